"""Unit tests for rightsdesk.facts.figures: extraction of numeric figures and their conflicts.

Plain pytest functions; no database.  Run alone with
    .venv/bin/python -m pytest tests/facts/test_figures.py -q -p no:cacheprovider
"""

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from rightsdesk.facts.figures import QUALIFIERS, Figure, extract_figures, parse_number

from ..conftest import reference_page_text

REPO = Path(__file__).resolve().parents[2]
DEMO_EN = REPO / "rightsdesk" / "demo" / "content" / "en"
DEMO_FA = REPO / "rightsdesk" / "demo" / "content" / "fa"

YEAR_WRITTEN_BARE = re.compile(r"(?<![\d,.])(?:19|20)\d\d(?![\d,.])")


def one(text: str) -> Figure:
    """The single figure of ``text``."""
    figs = extract_figures(text)
    assert len(figs) == 1, [f.quote for f in figs]
    return figs[0]


def check_offsets(text: str, figs: list[Figure]) -> None:
    previous_end = 0
    for f in figs:
        assert f.quote == text[f.start:f.end]
        assert previous_end <= f.start < f.end
        assert f.qualifier in QUALIFIERS
        previous_end = f.end


def strip_markdown(md: str) -> str:
    """Body of a demo article: TOML front matter and Markdown block markers removed."""
    parts = md.split("+++")
    body = parts[2] if md.startswith("+++") and len(parts) >= 3 else md
    return re.sub(r"(?m)^(?:#{1,6} |> ?)", "", body)


def conflicts(figs: list[Figure]) -> list[tuple[str, str]]:
    return [
        (a.quote, b.quote)
        for i, a in enumerate(figs)
        for b in figs[i + 1:]
        if a.conflicts_with(b)
    ]


# ---------------------------------------------------------------------------------------------
# parse_number
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, value",
    [
        ("30,000", 30000),
        ("30000", 30000),
        ("2.277", 2277),
        ("1.234.567", 1234567),
        ("2.5", 2.5),
        ("0.125", 0.125),
        ("۳۰٬۰۰۰", 30000),
        ("٣٠٠", 300),
        ("۲٫۵", 2.5),
        ("2.5 million", 2_500_000),
        ("3 million", 3_000_000),
        ("three", 3),
        ("twenty-five", 25),
        ("a dozen", 12),
        ("two dozen", 24),
        ("four hundred", 400),
        ("one hundred and fifty", 150),
        ("half a million", 500_000),
        ("40%", 40),
    ],
)
def test_parse_number(written, value):
    assert parse_number(written) == value


@pytest.mark.parametrize("written", ["", "thousands", "dozens", "abc", "1.2.3", "30,00", None, 5])
def test_parse_number_rejects_what_is_not_one_number(written):
    assert parse_number(written) is None


# ---------------------------------------------------------------------------------------------
# Extraction forms
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, quote, value, low, high, qualifier, counts",
    [
        ("30,000 people", "30,000 people", 30000, 30000, 30000, "exact", "people"),
        ("30000 people", "30000 people", 30000, 30000, 30000, "exact", "people"),
        ("2.5 million refugees", "2.5 million refugees", 2.5e6, 2.5e6, 2.5e6, "exact", "refugees"),
        ("3 million people", "3 million people", 3e6, 3e6, 3e6, "exact", "people"),
        ("three women", "three women", 3, 3, 3, "exact", "women"),
        ("twenty-five detainees", "twenty-five detainees", 25, 25, 25, "exact", "detainees"),
        ("a dozen activists", "a dozen activists", 12, 12, 12, "exact", "activists"),
        ("two dozen journalists", "two dozen journalists", 24, 24, 24, "exact", "journalists"),
        ("four hundred people", "four hundred people", 400, 400, 400, "exact", "people"),
        ("1.234.567 votes", "1.234.567 votes", 1234567, 1234567, 1234567, "exact", "votes"),
        ("between 2,800 and 3,800 people", "between 2,800 and 3,800 people", 2800, 2800, 3800,
         "range", "people"),
        ("2,800 to 3,800 people", "2,800 to 3,800 people", 2800, 2800, 3800, "range", "people"),
        ("from 2,800 to 5,000 victims", "from 2,800 to 5,000 victims", 2800, 2800, 5000, "range",
         "victims"),
        ("2-3 minutes", "2-3 minutes", 2, 2, 3, "range", "minutes"),
        ("2–3 days", "2–3 days", 2, 2, 3, "range", "days"),
        ("two or three guards", "two or three guards", 2, 2, 3, "range", "guards"),
        ("between 2 and 3 million people", "between 2 and 3 million people", 2e6, 2e6, 3e6,
         "range", "people"),
        ("40% of prisoners", "40%", 40, 40, 40, "exact", "percent"),
        ("40 percent of prisoners", "40 percent", 40, 40, 40, "exact", "percent"),
        ("40 per cent of them", "40 per cent", 40, 40, 40, "exact", "percent"),
        ("10-15%", "10-15%", 10, 10, 15, "range", "percent"),
        ("$5 million", "$5 million", 5e6, 5e6, 5e6, "exact", "dollars"),
        ("10 years in prison", "10 years", 10, 10, 10, "exact", "years"),
        ("killed 2000 people", "2000 people", 2000, 2000, 2000, "exact", "people"),
    ],
)
def test_extraction_forms(text, quote, value, low, high, qualifier, counts):
    f = one(text)
    assert (f.quote, f.value, f.low, f.high, f.qualifier, f.counts) == (
        quote, value, low, high, qualifier, counts)
    assert f.quote == text[f.start:f.end]


@pytest.mark.parametrize(
    "text, low, high, counts",
    [
        ("hundreds of protesters", 200, 10_000, "protesters"),
        ("thousands of political prisoners", 2_000, 100_000, "political prisoners"),
        ("tens of thousands of people", 20_000, 1_000_000, "people"),
        ("hundreds of thousands of refugees", 200_000, 10_000_000, "refugees"),
        ("dozens of children", 24, 1_200, "children"),
        ("millions of Iranians", 2_000_000, 100_000_000, "Iranians"),
        ("several thousand people", 2_000, 20_000, "people"),
        ("a few hundred people", 200, 2_000, "people"),
    ],
)
def test_vague_number_words(text, low, high, counts):
    f = one(text)
    assert (f.value, f.low, f.high, f.qualifier, f.counts, f.quote) == (
        None, low, high, "vague", counts, text)


def test_vague_word_without_a_noun_counts_nothing():
    f = one("Thousands took to the streets.")
    assert (f.quote, f.qualifier, f.counts) == ("Thousands", "vague", None)


def test_european_thousands_only_when_unambiguous():
    assert one("2.277 prisoners were held").value == 2277
    # the same text also writes "1,000": commas are its thousands separator, so "2.277" is decimal
    figs = extract_figures("There were 2.277 prisoners and 1,000 guards.")
    assert [f.value for f in figs] == [2.277, 1000]
    # no plural count noun after it: a decimal
    assert one("The index rose to 2.277 last year.").value == 2.277


def test_bare_one_is_a_figure_only_when_qualified():
    assert extract_figures("one of the prisoners said no one came one day") == []
    f = one("at least one child was killed")
    assert (f.quote, f.value, f.qualifier, f.counts) == ("at least one child", 1, "at least", "child")


def test_fractions_are_not_figures():
    assert extract_figures("two-thirds of the victims; three quarters of them") == []


def test_hyphenated_ages_are_figures_without_counts():
    f = one("a 17-year-old girl was arrested")
    assert (f.quote, f.value, f.counts) == ("17-year-old", 17, None)


# ---------------------------------------------------------------------------------------------
# Qualifiers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase, qualifier",
    [
        ("more than", "over"), ("over", "over"), ("above", "over"), ("in excess of", "over"),
        ("upwards of", "over"), ("well over", "over"),
        ("at least", "at least"), ("no fewer than", "at least"), ("a minimum of", "at least"),
        ("about", "about"), ("around", "about"), ("some", "about"), ("approximately", "about"),
        ("roughly", "about"), ("nearly", "about"), ("almost", "about"), ("close to", "about"),
        ("an estimated", "about"), ("estimated", "about"),
        ("up to", "up to"), ("as many as", "up to"), ("as high as", "up to"),
        ("a maximum of", "up to"), ("no more than", "up to"), ("at most", "up to"),
        ("fewer than", "fewer than"), ("less than", "fewer than"), ("under", "fewer than"),
        ("below", "fewer than"),
        ("", "exact"),
    ],
)
def test_qualifier_words(phrase, qualifier):
    text = f"They said {phrase} 500 prisoners were moved.".replace("  ", " ")
    f = one(text)
    assert f.qualifier == qualifier
    assert f.quote == f"{phrase} 500 prisoners".strip()
    assert f.counts == "prisoners"


def test_qualifier_intervals():
    assert (one("over 300 people").low, one("over 300 people").high) == (300, None)
    assert (one("at least 5 people").low, one("at least 5 people").high) == (5, None)
    assert (one("about 60 people").low, one("about 60 people").high) == (40, 90)
    assert (one("nearly 50 people").low, one("nearly 50 people").high) == (40, 50)
    assert (one("up to 50 people").low, one("up to 50 people").high) == (0, 50)
    assert (one("fewer than 50 people").low, one("fewer than 50 people").high) == (0, 50)


@pytest.mark.parametrize(
    "text, qualifier",
    [("10 or more people", "at least"), ("100+ people", "over"), ("30 or so people", "about"),
     ("100 or fewer people", "up to")],
)
def test_qualifiers_after_the_number(text, qualifier):
    f = one(text)
    assert (f.qualifier, f.quote, f.counts) == (qualifier, text, "people")


# ---------------------------------------------------------------------------------------------
# What a figure counts
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, quote, counts",
    [
        ("an effort by 463 current and former UN officials and rapporteurs, as well as",
         "463 current and former UN officials", "current and former UN officials"),
        ("the massacre of over 30,000 political prisoners started by the issuance",
         "over 30,000 political prisoners", "political prisoners"),
        ("Unprecedented Call by 463 Human Rights Advocates Prosecuting Iran",
         "463 Human Rights Advocates", "Human Rights Advocates"),
        ("disappearances of thousands of political prisoners in 1988",
         "thousands of political prisoners", "political prisoners"),
        ("letter signed by these 463 experts, he could face arrest", "463 experts", "experts"),
        ("So that over 30000 people were massacred.", "over 30000 people", "people"),
        ("signed by 463 former UN officials, human rights experts, jurists and NGOs",
         "463 former UN officials", "former UN officials"),
        ("families of 12 non-governmental organisations' members", "12 non-governmental organisations' members",
         "non-governmental organisations' members"),
        ("at least 100 face charges punishable by death", "at least 100", None),
    ],
)
def test_counts_noun_phrase(text, quote, counts):
    f = one(text)
    assert (f.quote, f.counts) == (quote, counts)


def test_anaphoric_number_takes_the_counts_of_the_previous_figure():
    text = ("A letter was signed by 463 current and former UN officials. "
            "The 462 called on the United Nations to act.")
    first, second = extract_figures(text)
    assert (second.quote, second.value) == ("462", 462)
    assert second.counts == first.counts == "current and former UN officials"
    assert first.conflicts_with(second)


def test_anaphora_skips_units_and_needs_a_determiner():
    text = "463 experts signed it in 40 minutes. The 462 asked for more. Amnesty counted 853."
    figs = extract_figures(text)
    assert [(f.quote, f.counts) for f in figs] == [
        ("463 experts", "experts"), ("40 minutes", "minutes"), ("462", "experts"), ("853", None)]


@pytest.mark.parametrize(
    "text, quote, counts",
    [
        ("12 of the 30 prisoners were released", "12", None),
        ("two of them were released", "two", None),
        ("12 out of 30 prisoners were released", "12", None),
        ("Of those executed, 12 were women.", "12", None),
        ("security forces killed 96 people, including 10 children", "10 children", "children"),
        ("Of these, 471 people were executed for drug offences.", "471 people", "people"),
        ("We documented 32 cases. Another 18 cases remain unverified.", "18 cases", "cases"),
        ("The remaining 20 prisoners were freed.", "20 prisoners", "prisoners"),
        ("Among those executed this year were 31 women.", "31 women", "women"),
        ("Iran executes more than 3 people a day.", "more than 3 people", "people"),
    ],
)
def test_parts_and_increments_are_not_comparable(text, quote, counts):
    """Their noun names a part of (or an addition to) another total: comparing it would mislead."""
    part = next(f for f in extract_figures(text) if f.quote == quote)
    assert part.counts == counts
    total = one(f"There were 1000 {counts or 'prisoners'}.")
    assert not part.same_thing(total) and not total.same_thing(part)
    assert not part.conflicts_with(total)


def test_parts_of_different_totals_do_not_conflict():
    text = ("In Zahedan, security forces killed at least 96 people, including 10 children. "
            "More than 500 protesters were killed in 2022, including 70 children.")
    assert conflicts(extract_figures(text)) == []


def test_a_part_is_an_ordinary_count_against_itself_and_hand_made_figures():
    text = ("Security forces killed 96 people, including 10 children. "
            "More than 500 protesters were killed, including 70 children.")
    _, ten, _, seventy = extract_figures(text)
    assert not ten.same_thing(seventy)
    assert ten.same_thing(ten)  # a count all the same
    by_hand = Figure(70, 70, 70, "exact", "children", "70 children", 0, 11)
    assert ten.same_thing(by_hand) and ten.conflicts_with(by_hand)
    # what extract_figures saw survives dataclasses.replace, and stays out of equality and repr
    moved = replace(ten, start=ten.start + 100, end=ten.end + 100)
    assert not moved.same_thing(seventy)
    assert replace(seventy, _context=None) == seventy
    assert "_context" not in repr(ten)
    assert set(ten.as_dict()) == {"value", "low", "high", "qualifier", "counts", "quote", "start", "end"}


def test_what_happened_and_when_tell_counts_apart():
    text = ("Iran has executed 1,000 people this year. Iran has arrested 14,000 people. "
            "In the past 24 hours, 12 people were executed.")
    executed, arrested, _hours, executed_today = extract_figures(text)
    assert executed.counts == arrested.counts == executed_today.counts == "people"
    assert not executed.same_thing(arrested)  # executed vs arrested
    assert not executed.same_thing(executed_today)  # this year vs the past 24 hours
    assert conflicts([executed, arrested, executed_today]) == []
    # without such context the same numbers do conflict
    assert one("There were 1,000 people.").conflicts_with(one("There were 14,000 people."))


def test_change_is_two_figures_not_a_range():
    figs = extract_figures("Executions rose from 582 to 834.")
    assert [(f.value, f.qualifier, f.counts) for f in figs] == [(582, "exact", None), (834, "exact", None)]


# ---------------------------------------------------------------------------------------------
# Things that are not figures
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # years
        "in 1988", "the 1988 massacre", "since 2022", "the 2022 protests were", "the 2023 report says",
        "from 2018 to 2024", "between 2019 and 2023", "the 2023-24 season", "in mid-2022",
        "the 1980s", "in the 1990's",
        # dates
        "Thursday, January 27, 2022", "27 January 2022", "27/01/2022", "2022-01-27", "January 27",
        "on 19 May 2023", "Mahsa Amini died on 16 September 2022.", "Jan. 5, 2021", "27-28 January",
        # times
        "10:30", "3 p.m.", "3pm", "at 9", "The hearing began at 9 in the morning.", "10.30am",
        # ordinals
        "27th", "1st", "the 3rd of May", "first", "second", "the twenty-first century",
        # phone numbers
        "+98 21 1234 5678", "(020) 7946 0000", "020-7946-0000",
        # article, legal and document numbering
        "Article 6", "article 7(1)", "Articles 6 and 7", "Articles 6, 7 and 14 of the Covenant",
        "paragraph 153", "paragraphs 153-155", "¶155", "§ 3", "Resolution 2231",
        "resolution 77/228", "Section 3", "Rule 12", "No. 5", "Chapter 2", "page 12", "pp. 12-15",
        "A/HRC/52/67", "S/RES/2231", "Ward 209 of Evin prison",
        # glued to letters, versions, ratios, rates, links
        "G7", "COVID-19", "Q1065", "Flight PS752", "24/7", "version 2.1.3", "1.2.3",
        "Python 3.11 was released", "one in five", "1 in 5", "per 100,000",
        "See https://example.org/2022/01/27/463-experts.", "Write to a463@example.org.",
        "[12]",
        # Persian: a date, a year, an article number
        "۷ بهمن", "سال ۱۳۶۷", "ماده ۹۱",
    ],
)
def test_not_figures(text):
    assert extract_figures(text) == [], [f.quote for f in extract_figures(text)]


def test_figures_next_to_non_figures_survive():
    text = ("On Thursday, January 27, 2022, at 10:30, under Article 6 and resolution 77/228, "
            "463 experts (call +98 21 1234 5678) condemned the 1988 massacre of 2000 prisoners.")
    figs = extract_figures(text)
    assert [f.quote for f in figs] == ["463 experts", "2000 prisoners"]


def test_a_year_used_as_a_year_elsewhere_is_not_a_count():
    text = "Nouri was sentenced over 1988 executions. The killings of 1988 were never investigated."
    assert extract_figures(text) == []


def test_markdown_list_markers_and_footnotes_are_not_figures():
    text = "1. First point\n2. Second point, with 30 prisoners[3]"
    assert [f.quote for f in extract_figures(text)] == ["30 prisoners"]


# ---------------------------------------------------------------------------------------------
# Persian and Arabic-Indic digits
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, counts, qualifier",
    [
        ("۴۶۳ نفر", 463, "نفر", "exact"),
        ("٤٦٣ شخص", 463, "شخص", "exact"),
        ("۳۰٬۰۰۰ زندانی سیاسی", 30000, "زندانی", "exact"),
        ("۲٫۵ میلیون نفر", 2_500_000, "نفر", "exact"),
        ("تا ۳۰ هزار نفر", 30000, "نفر", "up to"),
        ("بیش از ۱۵ ماه", 15, "ماه", "over"),
        ("دست‌کم ۵ نفر", 5, "نفر", "at least"),
    ],
)
def test_persian(text, value, counts, qualifier):
    f = one(text)
    assert (f.value, f.counts, f.qualifier) == (value, counts, qualifier)
    assert f.quote == text[f.start:f.end]


def test_persian_range_vague_and_dates():
    text = ("سازمان‌ها از حدود ۲٬۸۰۰ تا ۵٬۰۰۰ قربانی سخن گفته‌اند. هزاران زندانی سیاسی در تابستان ۱۳۶۷ "
            "اعدام شدند. روز جمعه ۸ مهر ۱۴۰۱ (۳۰ سپتامبر ۲۰۲۲) ده‌ها نفر کشته شدند.")
    figs = extract_figures(text)
    check_offsets(text, figs)
    assert [(f.qualifier, f.low, f.high, f.counts) for f in figs] == [
        ("range", 2800, 5000, "قربانی"),
        ("vague", 2000, 100_000, "زندانی"),
        ("vague", 20, 1000, "نفر"),
    ]
    assert figs[1].period == "1367"


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------


def test_period_is_the_year_of_the_sentence_nearest_in_clauses():
    text = ("Iran executed at least 834 people in 2023, up from 582 executions in 2022. "
            "In 2021, 314 people were executed. Monitors counted 12 executions. "
            "Between 2023 and 2024, 1,809 people were executed.")
    figs = extract_figures(text)
    assert [(f.value, f.period) for f in figs] == [
        (834, "2023"), (582, "2022"), (314, "2021"), (12, None), (1809, "2023–2024")]


@pytest.mark.parametrize(
    "text, period",
    [
        ("In the 1980s, thousands of prisoners were executed.", "1980–1989"),
        ("In 2023-24, 1,809 people were executed.", "2023–2024"),
        ("In 2023 and 2024, 1,809 people were executed.", "2023–2024"),
        ("On 27 January 2022, 463 experts signed.", "2022"),
        ("Iran executed 1,000 people this year, the highest number since 2015.", None),
        ("Iran has arrested 14,000 people since September 2022.", "2022"),
    ],
)
def test_period_forms(text, period):
    assert one(text).period == period


def test_different_periods_are_not_the_same_thing():
    a, b = extract_figures("There were 834 executions in 2023 and 975 executions in 2024.")
    assert (a.period, b.period) == ("2023", "2024")
    assert not a.same_thing(b)
    assert not a.conflicts_with(b)
    unknown = one("Monitors recorded 975 executions.")
    assert unknown.period is None and unknown.same_thing(a) and unknown.conflicts_with(a)


# ---------------------------------------------------------------------------------------------
# same_thing and conflicts
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("30 political prisoners", "40 prisoners", True),
        ("30 prisoners", "40 prisoner cells", False),
        ("30 political prisoners", "40 juvenile prisoners", False),
        ("30 Prisoners", "40 prisoners", True),
        ("30 people", "40 persons", True),
        ("463 signatories", "30,000 prisoners", False),
        ("3 children", "12 women", False),
        ("20 more prisoners", "100 prisoners", False),
        ("40%", "60%", False),
        ("10 years", "20 years", False),
        ("5 days", "5 days", False),
        ("$5 million", "$7 million", False),
        ("three times", "four times", False),
        ("74 lashes", "99 lashes", False),
        ("the 462 called", "463 experts", False),  # no counts
    ],
)
def test_same_thing(a, b, same):
    fa, fb = one(a), one(b)
    assert fa.same_thing(fb) is same
    assert fb.same_thing(fa) is same


@pytest.mark.parametrize(
    "a, b",
    [
        ("463 signatories", "462 signatories"),
        ("over 2,000 prisoners", "less than 1,000 prisoners"),
        ("fewer than 100 prisoners", "over 500 prisoners"),
        ("over 30,000 political prisoners", "over 300 political prisoners"),
        ("30,000 political prisoners", "over 300 political prisoners"),
        ("between 2,800 and 3,800 victims", "at least 5,000 victims"),
        ("about 5,000 victims", "at least 10,000 victims"),
        ("hundreds of victims", "over 30,000 victims"),
        ("dozens of victims", "thousands of victims"),
        ("thousands of victims", "fewer than 100 victims"),
        ("nearly 50 victims", "60 victims"),
    ],
)
def test_conflicts(a, b):
    fa, fb = one(a), one(b)
    assert fa.conflicts_with(fb)
    assert fb.conflicts_with(fa)


@pytest.mark.parametrize(
    "a, b",
    [
        ("at least 5,000 victims", "up to 30,000 victims"),
        ("thousands of political prisoners", "over 30,000 political prisoners"),
        ("thousands of political prisoners", "over 300 political prisoners"),
        ("about 5,000 victims", "5,100 victims"),
        ("5,000 victims", "5,100 victims"),  # a round number: 4,500..5,500
        ("2,800 to 5,000 victims", "up to 30,000 victims"),
        ("over 30,000 victims", "30,000 victims"),
        ("over 300 victims", "463 victims"),
        ("463 signatories", "463 signatories"),
        ("463 signatories", "30,000 prisoners"),
        ("3 children", "12 women"),
        ("hundreds of journalists", "two journalists"),  # a named subset
        ("40%", "60%"),
        ("at least 582 executions", "more than 250 executions"),
        ("a dozen victims", "14 victims"),
    ],
)
def test_no_conflict(a, b):
    fa, fb = one(a), one(b)
    assert not fa.conflicts_with(fb)
    assert not fb.conflicts_with(fa)


def test_a_figure_never_conflicts_with_itself():
    for text in ("463 signatories", "over 300 prisoners", "thousands of people", "2-3 days"):
        f = one(text)
        assert not f.conflicts_with(f)


def test_hand_made_figures_with_odd_values_do_not_raise():
    weird = [
        Figure(float("nan"), None, None, "exact", "people", "x", 0, 1),
        Figure(float("inf"), float("inf"), None, "over", "people", "x", 0, 1),
        Figure(None, None, None, "vague", "people", "x", 0, 1),
        Figure(1e300, 1e300, 1e300, "exact", "people", "x", 0, 1, "2020"),
        Figure(0, 0, 0, "exact", "", "", 0, 0),
        Figure(5, 5, 5, "nonsense", "  ", "", 0, 0),
    ]
    for a in weird:
        json.dumps(a.as_dict())
        for b in weird:
            a.conflicts_with(b)
            a.same_thing(b)


def test_as_dict_is_json_ready_with_ints_where_integral():
    d = one("over 30,000 political prisoners").as_dict()
    assert d == {"value": 30000, "low": 30000, "high": None, "qualifier": "over",
                 "counts": "political prisoners", "quote": "over 30,000 political prisoners",
                 "start": 0, "end": 31}
    assert isinstance(d["value"], int)
    assert one("2.5 percent").as_dict()["value"] == 2.5
    json.dumps(d)


# ---------------------------------------------------------------------------------------------
# Realistic prose
# ---------------------------------------------------------------------------------------------


def demo_articles(folder: Path) -> list[tuple[str, str]]:
    return [(p.name, strip_markdown(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("*.md"))]


def test_demo_articles_give_no_years_and_exact_quotes():
    articles = demo_articles(DEMO_EN) + demo_articles(DEMO_FA)
    assert len(articles) >= 10
    found = 0
    for name, text in articles:
        figs = extract_figures(text)
        check_offsets(text, figs)
        found += len(figs)
        for f in figs:
            if YEAR_WRITTEN_BARE.search(f.quote) and f.value is not None:
                assert not 1900 <= f.value <= 2099, (name, f.quote)
            assert f.period is None or re.fullmatch(r"\d{4}(?:–\d{4})?", f.period), f.period
    assert found > 50


def test_demo_articles_are_consistent():
    """Within one well-written article a conflict is rare, and would be a real inconsistency."""
    for name, text in demo_articles(DEMO_EN):
        found = conflicts(extract_figures(text))
        assert len(found) <= 1, (name, found)


def test_demo_article_figures():
    text = strip_markdown((DEMO_EN / "01-un-experts-urge-1988-inquiry.md").read_text(encoding="utf-8"))
    figs = extract_figures(text)
    assert [(f.quote, f.qualifier, f.counts) for f in figs] == [
        ("More than four hundred people", "over", "people"),
        ("thousands of political prisoners", "vague", "political prisoners"),
        ("463 signatures", "exact", "signatures"),
        ("roughly 2,800 to 5,000 victims", "range", "victims"),
        ("as high as 30,000", "up to", None),
    ]
    assert figs[1].period == "1988"


def test_reference_page_conflicts():
    page = reference_page_text()
    article = page.split("\nLatest news", 1)[0]
    figs = extract_figures(article)
    check_offsets(article, figs)
    quotes = [f.quote for f in figs]
    assert "over 30000 people" in quotes and "thousands of political prisoners" in quotes
    assert not any(q in ("1988", "2022", "27") or YEAR_WRITTEN_BARE.fullmatch(q) for q in quotes)
    assert not any("January" in q for q in quotes)
    found = {tuple(sorted((a, b))) for a, b in conflicts(figs)}
    assert found == {
        ("462", "463 current and former UN officials"),
        ("over 30,000 political prisoners", "over 300 political prisoners"),
    }
    # the whole page, site chrome included, is handled too
    check_offsets(page, extract_figures(page))


# ---------------------------------------------------------------------------------------------
# Robustness
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n", "-", "0", "00000000000000000000000000000000000000000000", "9" * 400,
     "1" * 400 + " people", "1,000,000,000,000,000,000,000,000 people", "$", "%", "between and",
     "İstanbul 30 people İİİ 40 prisoners", "٬٫٪۰", "a\u0000b 3 people", "\ud800 5 people",
     "over over over 5", "from 5 to", "5 -", "2.", ".5", "1.2.3.4.5.6", "+", "(", "۱۴۰۱",
     "one hundred and", "twenty-", "a dozen of", "tens of", "half a", "Articles 6, 7 and"],
)
def test_odd_inputs_do_not_raise(text):
    figs = extract_figures(text)
    check_offsets(text, figs)
    for f in figs:
        json.dumps(f.as_dict())


def test_non_str_input_gives_nothing():
    assert extract_figures(None) == []  # type: ignore[arg-type]
    assert extract_figures(b"30 people") == []  # type: ignore[arg-type]


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a test extra
    given = None

if given is not None:
    TOKENS = st.sampled_from([
        "over", "more than", "at least", "about", "nearly", "up to", "fewer than", "between", "and",
        "to", "from", "the", "The", "people", "prisoners", "in", "1988", "2022", "January", "27",
        "Article", "No.", "thousands", "tens of thousands", "dozen", "a", "one", "two", "twenty",
        "-", "–", "million", "percent", "%", "years", "17-year-old", "including", "of", "462",
        "30,000", "2.277", "1.234.567", "at", "9", "p.m.", "+98", "or more", "+", ",", ".", "\n",
        "۴۶۳", "نفر", "هزار", "$", "per", "in", "(", ")", "rose", "these",
    ])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(TOKENS, max_size=30).map(" ".join))
    def test_fuzz_token_soup(text):
        figs = extract_figures(text)
        check_offsets(text, figs)
        for a in figs:
            json.dumps(a.as_dict())
            for b in figs:
                assert a.conflicts_with(b) == b.conflicts_with(a)

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=80))
    def test_fuzz_any_text(text):
        check_offsets(text, extract_figures(text))
        parse_number(text)
