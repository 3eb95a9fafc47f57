"""A saved page without a headline becomes a draft whose title is its first sentence, and the
editor is told to check it (issue 17: headlines of imported pages)."""

import pytest

from rightsdesk.evidence.capture import capture_file
from rightsdesk.evidence.importing import as_article
from rightsdesk.facts.headline import NOT_FOUND_NOTE

pytestmark = pytest.mark.django_db

FIRST = ("The court in Karaj upheld the death sentences of two protesters on Sunday, their lawyer said, despite "
         "serious doubts about the confessions used against them.")
NO_HEADLINE = f"""Share Tweet Email
{FIRST}
Their families have appealed to the head of the judiciary and to UN experts to intervene before the sentences are carried out.
"""
WITH_HEADLINE = f"""Home | News | Reports | Donate
Home › News › Iran
Court upholds death sentences of two protesters
Published 12 January 2024
Photo: The court building in Karaj (Credit: Example Agency)
{FIRST}
Their families have appealed to the head of the judiciary and to UN experts to intervene before the sentences are carried out.
"""


def test_no_headline_first_sentence_and_the_draft_is_marked(tmp_path, admin_client):
    path = tmp_path / "saved.txt"
    path.write_text(NO_HEADLINE, encoding="utf-8")
    capture = capture_file(str(path), original_url="https://example.org/karaj").capture
    assert capture.title == FIRST and NOT_FOUND_NOTE in capture.extraction
    imported = as_article(capture)
    assert imported.needs_title and imported.obj.title == FIRST
    html = admin_client.get(f"/admin/pages/{imported.obj.pk}/edit/").content.decode()
    assert "data-evidence-needs-title" in html and "Check the title" in html
    assert "Share Tweet Email" not in capture.text


def test_the_headline_never_a_chrome_line(tmp_path, admin_client):
    path = tmp_path / "saved.txt"
    path.write_text(WITH_HEADLINE, encoding="utf-8")
    capture = capture_file(str(path), original_url="https://example.org/karaj").capture
    assert capture.title == "Court upholds death sentences of two protesters"
    assert capture.text.startswith(FIRST)
    for chrome in ("Home | News", "Published 12 January", "Photo:"):
        assert chrome not in capture.text
    imported = as_article(capture)
    assert not imported.needs_title
    assert "data-evidence-needs-title" not in admin_client.get(f"/admin/pages/{imported.obj.pk}/edit/").content.decode()
