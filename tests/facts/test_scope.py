"""Scopes of figures: the shapes of the facts desk's issue that are not conflicts, and the ones
that are (a breakdown over its total, a share that does not match, competing estimates), in
English and Persian."""

import pytest

from rightsdesk.facts import lint
from rightsdesk.facts.figures import extract_figures
from rightsdesk.facts.lint import lint_text


def kinds(text):
    return [p.kind for p in lint_text(text, whole=True).problems]


@pytest.mark.parametrize("text", [
    # a breakdown by charge
    "In 2023 there were 670 executions: drug-related offences (480 cases, 120 of them announced officially), "
    "murder (150 cases, 61 announced) and rape (40 cases, 9 announced).",
    # a comparison of countries
    "Iran, with at least 700 executions, led the region. Saudi Arabia carried out 150 executions and the "
    "United States 20 executions.",
    # parts and wholes
    "Commissions were set up in 10 provinces; the country then had 24 provinces.",
    "Of the 30 prisoners, at least 12 are sentenced to death.",
    "11 prisoners are at risk of execution, while at least 700 prisoners were executed in 2023.",
    # shares with their counts
    "Of 800 cases, at least 300 cases (37%) were reported by official sources and 500 cases (63%) by other sources.",
    # comparisons
    "The group recorded 834 executions in 2023, up from 582 executions the year before.",
    # a world total beside countries
    "The census counted 320 journalists in prison worldwide. China held 44 journalists and Iran 20 journalists.",
    # Persian: a breakdown after its total
    "در سال ۲۰۲۳ دست‌کم ۸۳۴ نفر در ایران اعدام شدند. از این تعداد، ۴۷۱ نفر به اتهام مواد مخدر اعدام شدند.",
])
def test_figures_of_different_scopes_are_not_problems(text):
    assert kinds(text) == []


def test_a_breakdown_over_its_total():
    report = lint_text("Courts handed down 600 death sentences: drug trafficking (480 sentences), murder "
                       "(150 sentences) and armed rebellion (40 sentences).", whole=True)
    [problem] = report.problems
    assert problem.kind == lint.BREAKDOWN_EXCEEDS_TOTAL and "670" in problem.message
    assert problem.quotes[0] == "600 death sentences"


def test_a_share_that_does_not_match_its_count_and_total():
    report = lint_text("The group recorded 834 executions. Of these, 471 executions (65%) were for drug offences.", whole=True)
    [problem] = report.problems
    assert problem.kind == lint.BREAKDOWN_EXCEEDS_TOTAL and "56.5%" in problem.message


def test_shares_that_cannot_come_from_one_total():
    report = lint_text("210 complaints (30%) came from women and 400 complaints (70%) from men.", whole=True)
    assert [p.kind for p in report.problems] == [lint.BREAKDOWN_EXCEEDS_TOTAL]


def test_competing_estimates_are_listed_with_each_source():
    text = ("Estimates vary. The death toll was between 2,000 and 5,000 according to one organisation, "
            "and 30,000 according to another group.")
    [problem] = lint_text(text, whole=True).problems
    assert problem.kind == lint.COMPETING_ESTIMATES and problem.kind in lint.INFO_KINDS
    assert "according to one organisation" in problem.message and "according to another group" in problem.message
    assert problem.quotes == ["between 2,000 and 5,000", "30,000"]


def test_competing_estimates_in_persian():
    text = ("به گفته یک سازمان حقوق بشری دست‌کم ۳۰۴ نفر کشته شدند، اما به گزارش یک خبرگزاری بین‌المللی "
            "۱۵۰۰ نفر کشته شدند.")
    assert kinds(text) == [lint.COMPETING_ESTIMATES]


def test_two_speakers_numbers_are_still_a_conflict():
    """Words a person said are not a credited estimate (the reference page's 30,000 / 300)."""
    text = ('Mr. Boumedra said, "over 30,000 political prisoners were massacred." '
            'Mr. Stevenson said, "the massacre of over 300 political prisoners in 1988."')
    assert kinds(text) == [lint.FIGURE_CONFLICT]


def test_one_scope_different_figures_nothing_to_explain_them():
    assert kinds("Police detained 120 students on Monday. Officials said 95 students were detained on Monday.") \
        == [lint.FIGURE_CONFLICT]
    assert kinds("در سال ۲۰۲۲ در مجموع ۴۵۰ نفر در ایران اعدام شدند. در همان سال ۵۰۰ نفر در ایران اعدام شدند.") \
        == [lint.FIGURE_CONFLICT]


@pytest.mark.parametrize("text, quote, low, high, qualifier", [
    ("۲ تا ۵ هزار نفر بازداشت شدند.", "۲ تا ۵ هزار نفر", 2000, 5000, "range"),
    ("دست‌کم ۸۳۴ نفر اعدام شدند.", "دست‌کم ۸۳۴ نفر", 834, None, "at least"),
    ("بیش از ۳۰ هزار زندانی اعدام شدند.", "بیش از ۳۰ هزار زندانی", 30000, None, "over"),
    ("صدها زندانی آزاد شدند.", "صدها زندانی", 200, 10000, "vague"),
    ("ده‌ها کودک بازداشت شدند.", "ده‌ها کودک", 20, 1000, "vague"),
    ("٣٠٠ شخص", "٣٠٠ شخص", 300, 300, "exact"),
])
def test_persian_figures(text, quote, low, high, qualifier):
    [figure] = extract_figures(text)
    assert (figure.quote, figure.low, figure.high, figure.qualifier) == (quote, low, high, qualifier)


def test_every_figure_has_a_scope():
    report = lint_text("In Iran, 834 executions were recorded in 2023, according to Iran Human Rights, "
                       "including 31 women.", whole=True)
    [total, women] = report.scopes
    assert (total.what, total.of, total.when, total.relation) == ("executions", "iran", "2023", "total")
    assert total.source == "iran human rights"
    assert women.relation == "part"


@pytest.mark.parametrize("text, value", [
    ("سه هزار نفر بازداشت شدند.", 3000), ("دو هزار و پانصد زندانی اعدام شدند.", 2500),
    ("پانصد نفر آزاد شدند.", 500), ("چهل و دو زندانی منتقل شدند.", 42), ("هزار زندانی آزاد شدند.", 1000),
])
def test_persian_number_words(text, value):
    [figure] = extract_figures(text)
    assert figure.value == value and figure.counts


@pytest.mark.parametrize("text", ["در یک روستای کوچک ده خانه بود.", "هزار و یک شب"])
def test_persian_words_that_are_not_figures(text):
    assert extract_figures(text) == []
