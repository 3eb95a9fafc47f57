"""What the lint reads: text, Markdown and HTML reduced to text; a page's chrome left out."""

import pytest

from rightsdesk.facts import reading


def test_markdown_front_matter_and_markup_are_removed(tmp_path):
    path = tmp_path / "a.md"
    path.write_text('+++\ntitle = "x"\n+++\n## Heading\n\nA **bold** claim of 300 people.\n\n> A quote\n', encoding="utf-8")
    text, fmt = reading.read(str(path))
    assert fmt == "markdown"
    assert text == "Heading\n\nA bold claim of 300 people.\n\nA quote"


def test_html_fragment_keeps_paragraphs_and_drops_scripts(tmp_path):
    path = tmp_path / "a.html"
    path.write_text("<p>One <b>thing</b>.</p><script>var x = 1;</script><p>Two &amp; three.</p>", encoding="utf-8")
    text, fmt = reading.read(str(path))
    assert fmt == "html"
    assert text == "One thing.\n\nTwo & three."


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("report.pdf", b"%PDF-1.7", "unsupported format '.pdf'"),
        ("notes.txt", b"caf\xe9 latin-1", "is not UTF-8 text"),
        ("blob.txt", b"\x00\x01\x02", "binary file"),
    ],
)
def test_bad_input_says_what_to_do(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(reading.InputError, match=message):
        reading.read(str(path))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(reading.InputError, match="no such file"):
        reading.read(str(tmp_path / "nope.txt"))
    with pytest.raises(reading.InputError, match="is a folder"):
        reading.read(str(tmp_path))


PAGE = """Site NameA Headline That Was Cut Off In The Breadcrumb...

A Headline of the Article

The first paragraph of the article is long enough to be prose and it ends with a full stop.

A second paragraph, also a proper sentence with more than twelve words in it, ends here.

Latest news

Another Story Title

The opening words of another story are shown here and then cut off...

Yet Another Title

More opening words of a teaser that stops in the middle of...

Must read

Agency: Something happened somewhere and the wire said...
"""


def test_main_span_leaves_out_leading_and_trailing_chrome():
    start, end = reading.main_span(PAGE)
    main = PAGE[start:end]
    assert main.startswith("A Headline of the Article")
    assert main.endswith("ends here.")
    assert "Latest news" not in main and "cut off" not in main


def test_text_without_structure_is_read_whole():
    assert reading.main_span("just a note") == (0, len("just a note"))
