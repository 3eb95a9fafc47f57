"""The evidence desk in the admin: capture, browse, read, download (logged), withdraw (logged),
import; and no way to change or delete an original."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from rightsdesk.evidence.capture import capture_url
from rightsdesk.evidence.models import Capture

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model, client):
    user = django_user_model.objects.create_user("researcher", password="a-long-test-password")
    group = Group.objects.create(name="Researchers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="evidence",
                                   codename__in=["view_capture", "add_capture", "withdraw_capture"]),
    )
    user.groups.add(group)
    client.force_login(user)
    return user


def log(store):
    return [entry for _, _, entry in store.entries()]


def test_an_editor_captures_a_url_and_reads_what_was_stored(editor, client, web, evidence_store):
    response = client.post(reverse("evidence:add"), {"url": web + "/old", "note": "before it is deleted"})
    capture = Capture.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("evidence:detail", args=[capture.pk])
    assert capture.captured_by == editor and capture.captured_by_name == "researcher"
    page = client.get(response["Location"]).content.decode()
    for shown in (capture.payload_sha256, capture.warc_sha256, web + "/article.html", "301", "302",
                  "Statement on the prison executions", "This is sample text written for the rightsdesk tests.",
                  "before it is deleted", "researcher"):
        assert shown in page
    listing = client.get(reverse("evidence:index"), {"q": "prison"}).content.decode()
    assert "Statement on the prison executions" in listing and capture.short_hash in listing
    assert "No captures match" in client.get(reverse("evidence:index"), {"q": "nothing like it"}).content.decode()
    assert log(evidence_store)[0]["actor"] == "researcher"


def test_capture_errors_are_shown_on_the_form(editor, client, web, evidence_store):
    response = client.post(reverse("evidence:add"), {"url": web + "/missing"})
    assert response.status_code == 200
    assert "answered 404" in response.content.decode()
    response = client.post(reverse("evidence:add"), {"url": ""})
    assert "Give the address of the page to capture" in response.content.decode()
    assert Capture.objects.count() == 0 and not evidence_store.log_path.exists()


def test_uploading_a_saved_page(editor, client, evidence_store):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import TEXT_PAGE

    upload = SimpleUploadedFile("court.txt", TEXT_PAGE.encode(), content_type="text/plain")
    response = client.post(reverse("evidence:add"), {"url": "https://example.org/court", "file": upload})
    capture = Capture.objects.get()
    assert response.status_code == 302 and capture.method == "saved"
    assert capture.title == "Court confirms sentences against four labour activists"


def test_downloading_an_original_is_logged(editor, client, web, evidence_store):
    capture = capture_url(web + "/article.html").capture
    response = client.get(reverse("evidence:original", args=[capture.pk, "warc"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == evidence_store.path(capture.warc_name).read_bytes()
    assert "attachment" in response["Content-Disposition"]
    entry = log(evidence_store)[-1]
    assert entry["action"] == "view" and entry["actor"] == "researcher" and entry["capture"] == capture.pk
    assert client.get(reverse("evidence:original", args=[capture.pk, "screenshot"])).status_code == 404


def test_withdrawing_needs_a_reason_keeps_the_original_and_is_logged(editor, client, web, evidence_store):
    capture = capture_url(web + "/article.html").capture
    client.post(reverse("evidence:withdraw", args=[capture.pk]), {"reason": ""})
    capture.refresh_from_db()
    assert not capture.withdrawn
    client.post(reverse("evidence:withdraw", args=[capture.pk]), {"reason": "The page was a forgery."})
    capture.refresh_from_db()
    assert capture.withdrawn and capture.withdrawn_reason == "The page was a forgery."
    assert evidence_store.path(capture.warc_name).exists()
    entry = log(evidence_store)[-1]
    assert (entry["action"], entry["reason"], entry["actor"]) == ("withdraw", "The page was a forgery.", "researcher")
    page = client.get(reverse("evidence:detail", args=[capture.pk])).content.decode()
    assert "Withdrawn" in page and "The page was a forgery." in page and "Import as draft article" not in page


def test_nothing_in_the_admin_edits_or_deletes_an_original(editor, client, web, evidence_store):
    from rightsdesk.evidence.wagtail_hooks import evidence_urls

    capture = capture_url(web + "/article.html").capture
    before = evidence_store.path(capture.warc_name).read_bytes()
    (included,) = evidence_urls()
    names = {pattern.name for pattern in included.url_patterns}
    # The replay and the watched sources only read originals (a watch check captures anew).
    assert names == {"index", "add", "detail", "original", "import", "source", "withdraw", "replay_index",
                     "replay_asset", "replay_source", "watch", "watch_detail", "watch_check"}
    # Captures are not snippets or model-admin objects either.
    assert client.get(f"/admin/snippets/evidence/capture/edit/{capture.pk}/").status_code == 404
    assert client.post(f"/admin/snippets/evidence/capture/delete/{capture.pk}/").status_code == 404
    assert evidence_store.path(capture.warc_name).read_bytes() == before


def test_without_permission_nothing_is_shown(client, django_user_model, web):
    user = django_user_model.objects.create_user("reader", password="a-long-test-password")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    capture = capture_url(web + "/article.html").capture
    # Wagtail turns a refusal into a redirect to the dashboard with "no permission".
    for response in (client.get(reverse("evidence:index")), client.get(reverse("evidence:detail", args=[capture.pk])),
                     client.get(reverse("evidence:original", args=[capture.pk, "warc"])),
                     client.post(reverse("evidence:add"), {"url": web + "/text.txt"})):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert Capture.objects.count() == 1
    assert "Evidence desk" not in client.get("/admin/").content.decode()


def test_import_from_the_admin_opens_the_draft_in_the_editor(admin_client, web):
    from rightsdesk.newsroom.models import SectionPage

    capture = capture_url(web + "/article.html").capture
    section = SectionPage.objects.get(slug="news", locale__language_code="en")
    response = admin_client.post(reverse("evidence:import", args=[capture.pk]), {"section": section.pk})
    link = capture.links.get()
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[link.page.pk])
    editor = admin_client.get(response["Location"]).content.decode()
    assert "Made from" in editor and f"capture {capture.pk}" in editor
    assert "Facts check" in editor and "unsourced-figure" in editor
