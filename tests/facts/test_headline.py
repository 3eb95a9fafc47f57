"""Headlines and bodies of saved pages: the headline, never a line of the site's chrome; when
there is none, the first sentence, marked for the editor (text, Markdown, HTML, PDF)."""

import pytest

from rightsdesk.evidence.extract import extract
from rightsdesk.facts import headline
from tests.pdfs import pdf_with_lines

HEADLINE = "Iran: 834 executions recorded in 2023, the highest in eight years"
BODY = ("In 2023 at least 834 people were executed in Iran, according to the annual report of a monitoring "
        "group, the highest number it has recorded since 2015.")


@pytest.mark.parametrize("chrome", [
    "Home | About | Reports | Statements | Donate",
    "Home › Reports › Iran",
    "Share Tweet Email",
    "Close ×",
    "We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.",
    "Photo: Relatives wait outside Ghezel Hesar prison (Credit: Example Agency)",
    "Published 12 January 2024",
    "Updated 3 March 2024 · 4 min read",
    "By Example Reporter",
    "From Wikipedia, the free encyclopedia",
    "Capture 3",
    "Most read",
    "خانه | اخبار | گزارش‌ها | تماس با ما",
    "۲۲ دی ۱۴۰۲",
])
def test_chrome_lines(chrome):
    assert headline.is_chrome(chrome)


@pytest.mark.parametrize("line", [HEADLINE, BODY, "UN experts alarmed at rising executions",
                                  "برآوردها از شمار بازداشت‌شدگان در کردستان", "Executions by country in 2023"])
def test_headlines_and_prose_are_not_chrome(line):
    assert not headline.is_chrome(line)


def page(*top, after=()):
    return "\n".join([*top, BODY, "Drug-related offences accounted for 471 of the executions, a sharp rise on the year before.", *after])


@pytest.mark.parametrize("text", [
    page("Skip to content", "Home | About | Reports", "Home › Reports › Iran", HEADLINE, "Published 12 January 2024",
         "Share Tweet Email", "Photo: A prison gate in Karaj (Credit: Example Agency)"),
    page("Most read", "Saudi court jails teacher over online posts", HEADLINE),  # a sidebar above
    page(HEADLINE, "Most read", "Saudi court jails teacher over online posts", "Iraq: power cuts spark protests"),  # below
    page(f"Home › Reports › {HEADLINE}"),  # a breadcrumb run into the headline
    page(HEADLINE, "From Wikipedia, the free encyclopedia", "Jump to navigation"),
    page("Capture 3", "Saved from https://example.org/x", HEADLINE),
    page("We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.", HEADLINE),
])
def test_the_headline_of_a_text_page(text):
    found = headline.from_text(text, [])
    assert found.found and found.title == HEADLINE
    assert found.paragraphs[0] == BODY
    assert not any(headline.is_chrome(p) for p in found.paragraphs)


def test_no_headline_uses_the_first_sentence_and_says_so():
    extracted = extract(page().encode(), "text/plain", "", "page.txt")
    assert extracted.title == BODY
    assert headline.NOT_FOUND_NOTE in extracted.method


def test_markdown_and_html():
    md = f"[Home](/) / [News](/news/)\n\n# {HEADLINE}\n\n*5 min read*\n\n{BODY}\n"
    assert extract(md.encode(), "text/markdown", "", "page.md").title == HEADLINE
    html = (f"<html><head><title>{HEADLINE} | Example Monitor</title></head><body><nav><a>Home</a> | <a>News</a> | "
            f"<a>Donate</a></nav><article><p>Home › News</p><h1>{HEADLINE}</h1><p>27 March 2024</p><p>{BODY}</p>"
            f"<p>Drug-related offences accounted for 471 of the executions, a sharp rise on the year before.</p>"
            f"</article></body></html>")
    extracted = extract(html.encode(), "text/html", "", "page.html")
    assert extracted.title == HEADLINE and headline.NOT_FOUND_NOTE not in extracted.method
    assert BODY in extracted.text and "27 March 2024" not in extracted.text


def _pdf(lines):
    return pdf_with_lines(lines)


def test_pdf():
    data = _pdf(["Page 1 of 4", "Annual report on the death penalty in 2023", "",
                 BODY[:90], BODY[90:] + " The group verified every case with two sources.", ""])
    extracted = extract(data, "application/pdf", "", "report.pdf")
    assert extracted.title == "Annual report on the death penalty in 2023"
    assert extracted.paragraphs and "Page 1 of 4" not in extracted.text


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

LINES = st.sampled_from([HEADLINE, BODY, "Home | News", "Share", "Most read", "Capture 2", "", "…", "۲۲ دی ۱۴۰۲",
                         "By A. Writer", "Photo: x", "Latest news", "A short line", "In 2023, 5 were held."])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(LINES, st.text(max_size=80)), max_size=25))
def test_never_crashes_and_always_gives_a_title_or_says_none_was_found(lines):
    found = headline.find(lines)
    assert isinstance(found.title, str)
    assert found.found or not found.title or found.title in " ".join(found.paragraphs)
    assert all(not headline.is_chrome(p) for p in found.paragraphs if p)
