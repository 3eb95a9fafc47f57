"""Capturing pages as evidence: what is stored, what is recorded, and what bad input does."""

import errno
import gzip
import hashlib
import json
import os
import stat

import pytest
from warcio.archiveiterator import ArchiveIterator

from rightsdesk.cli import main
from rightsdesk.evidence.capture import CaptureError, capture_file, capture_url
from rightsdesk.evidence.models import Capture, CaptureEvent

from tests.pdfs import pdf_with_lines

from .conftest import ARTICLE_HTML

pytestmark = pytest.mark.django_db


def records(store, capture):
    with open(store.path(capture.warc_name), "rb") as stream:
        return [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
                 r.http_headers.get_statuscode() if r.http_headers and r.rec_type == "response" else None,
                 r.content_stream().read()) for r in ArchiveIterator(stream)]


def log(store):
    return [entry for _, _, entry in store.entries()]


def test_a_captured_page_is_stored_in_a_warc_named_by_its_hash(web, evidence_store):
    result = capture_url(web + "/article.html", note="statement of 2 October")
    capture = result.capture
    assert result.stored
    path = evidence_store.path(capture.warc_name)
    data = path.read_bytes()
    # Named by, and recorded with, the SHA-256 of the file's bytes; read-only.
    assert hashlib.sha256(data).hexdigest() == capture.warc_sha256 and capture.warc_sha256 in path.name
    assert not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    kinds = [(kind, uri, status) for kind, uri, status, _ in records(evidence_store, capture)]
    assert kinds == [("warcinfo", None, None), ("request", web + "/article.html", None),
                     ("response", web + "/article.html", "200"), ("metadata", web + "/article.html", None)]
    body = records(evidence_store, capture)[2][3]
    # Provenance: the software, the address connected to, the request headers sent.
    provenance = json.loads(records(evidence_store, capture)[3][3])
    assert provenance["software"].startswith("rightsdesk ") and provenance["method"].startswith("plain HTTP")
    assert provenance["hosts"]["127.0.0.1"]["address"] == "127.0.0.1"
    assert ["User-Agent", web.requests[-1][1]["User-Agent"]] in provenance["page_request_headers"]
    assert body == ARTICLE_HTML.encode()
    assert capture.payload_sha256 == hashlib.sha256(ARTICLE_HTML.encode()).hexdigest()
    # The request went out with a clear User-Agent.
    assert web.requests[-1][1]["User-Agent"].startswith("rightsdesk/")
    # Metadata: status, headers, time, who, software.
    assert capture.http_status == 200 and capture.final_url == capture.requested_url == web + "/article.html"
    assert ["Content-Type", "text/html; charset=utf-8"] in capture.http_headers
    assert capture.captured_by_name == "system" and capture.software.startswith("rightsdesk ")
    assert capture.title == "Statement on the prison executions"
    assert capture.author == "Sample Researcher"
    assert capture.text.startswith("This is sample text written for the rightsdesk tests.")
    assert "Most read" not in capture.text and "Home" not in capture.text
    # The custody log says the same.
    (entry,) = log(evidence_store)
    assert entry["action"] == "capture" and entry["capture"] == capture.pk and entry["stored"] is True
    assert entry["payload_sha256"] == capture.payload_sha256
    assert entry["files"] == {capture.warc_name: capture.warc_sha256}
    assert entry["note"] == "statement of 2 October" and entry["actor"] == "system"


def test_redirects_are_followed_and_each_hop_recorded(web, evidence_store):
    capture = capture_url(web + "/old").capture
    assert capture.requested_url == web + "/old"
    assert capture.final_url == web + "/article.html"
    assert [(hop["status"], hop["location"]) for hop in capture.redirects] == [
        (301, "/moved"), (302, web + "/article.html")]
    responses = [(uri, status) for kind, uri, status, _ in records(evidence_store, capture) if kind == "response"]
    assert responses == [(web + "/old", "301"), (web + "/moved", "302"), (web + "/article.html", "200")]


def test_the_same_bytes_captured_twice_are_stored_once_and_both_events_recorded(web, evidence_store):
    first = capture_url(web + "/article.html")
    second = capture_url(web + "/mirror/article.html")  # another address, the same bytes
    assert first.stored and not second.stored
    assert second.capture.pk == first.capture.pk
    assert Capture.objects.count() == 1
    assert list(CaptureEvent.objects.values_list("final_url", "stored")) == [
        (web + "/article.html", True), (web + "/mirror/article.html", False)]
    assert len(evidence_store.object_names()) == 1
    entries = log(evidence_store)
    assert [(e["action"], e["stored"], e["final_url"]) for e in entries] == [
        ("capture", True, web + "/article.html"), ("capture", False, web + "/mirror/article.html")]


def test_a_page_that_changed_is_a_new_capture(web):
    a = capture_url(web + "/changing").capture
    b = capture_url(web + "/changing").capture
    assert a.pk != b.pk and a.payload_sha256 != b.payload_sha256


def test_broken_html_is_stored_as_served_and_read_as_well_as_it_can_be(web, evidence_store):
    capture = capture_url(web + "/broken.html").capture
    assert capture.title == "Broken markup"
    assert "markup that is never closed" in capture.text
    assert records(evidence_store, capture)[2][3].endswith(b"</span></body>")


def test_content_encoding_is_undone_for_the_payload_hash_and_kept_in_the_warc(web, evidence_store):
    capture = capture_url(web + "/gzip.html").capture
    assert capture.payload_sha256 == hashlib.sha256(ARTICLE_HTML.encode()).hexdigest()
    assert capture.title == "Statement on the prison executions"
    with open(evidence_store.path(capture.warc_name), "rb") as stream:
        stored = [(r.http_headers.get_header("Content-Encoding"), r.raw_stream.read())
                  for r in ArchiveIterator(stream) if r.rec_type == "response"]
    assert stored[0][0] == "gzip" and gzip.decompress(stored[0][1]) == ARTICLE_HTML.encode()


@pytest.mark.parametrize("path, message", [
    ("/missing", "answered 404"),
    ("/gone", "answered 410"),
    ("/error", "answered 500"),
    ("/big", "over the size limit of 1 MB"),
    ("/big-streamed", "over the size limit of 1 MB"),
    ("/image.png", "is image/png, not a web page"),
    ("/binary.html", "binary content"),
    ("/loop", "more than 10 redirects"),
])
def test_bad_pages_are_refused_with_a_clear_error_and_nothing_is_stored(web, evidence_store, path, message):
    with pytest.raises(CaptureError) as error:
        capture_url(web + path, max_bytes=1_000_000)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert Capture.objects.count() == 0 and CaptureEvent.objects.count() == 0
    assert evidence_store.object_names() == []
    assert list(evidence_store.tmp.iterdir()) == []
    assert not evidence_store.log_path.exists()


def test_a_server_that_does_not_answer_or_does_not_exist(web, evidence_store):
    with pytest.raises(CaptureError, match="did not answer within 1 s"):
        capture_url(web + "/slow", timeout=1)
    with pytest.raises(CaptureError, match="could not connect"):
        capture_url("http://127.0.0.1:9/nothing-listens-here")
    with pytest.raises(CaptureError, match="not a web address"):
        capture_url("ftp://example.org/file")
    assert Capture.objects.count() == 0 and evidence_store.object_names() == []


def test_private_addresses_are_refused_unless_allowed(web, settings):
    settings.RIGHTSDESK_FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(CaptureError, match="private network"):
        capture_url(web + "/article.html")


def test_a_full_disk_leaves_nothing_half_written(web, evidence_store, monkeypatch):
    capture_url(web + "/article.html")
    log_before = evidence_store.log_path.read_bytes()
    objects_before = evidence_store.object_names()
    real_write = os.write

    import rightsdesk.evidence.store as store_module

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    # The log append fails: the new capture's WARC is removed again and no row is left.
    monkeypatch.setattr(store_module.Store, "append", lambda self, *a, **k: (_ for _ in ()).throw(
        store_module._disk_error(OSError(errno.ENOSPC, "No space left on device"), self.root)))
    with pytest.raises(CaptureError, match="no space left"):
        capture_url(web + "/text.txt")
    assert evidence_store.object_names() == objects_before
    assert evidence_store.log_path.read_bytes() == log_before
    assert Capture.objects.count() == 1
    monkeypatch.undo()
    # The WARC cannot be moved into place.
    monkeypatch.setattr(store_module.os, "replace", full)
    with pytest.raises(CaptureError, match="no space left"):
        capture_url(web + "/text.txt")
    assert evidence_store.object_names() == objects_before and Capture.objects.count() == 1
    assert list(evidence_store.tmp.iterdir()) == []
    assert os.write is real_write


def test_a_custody_line_is_written_whole_or_not_at_all(evidence_store, monkeypatch):
    evidence_store.append("test", "someone")
    before = evidence_store.log_path.read_bytes()

    import builtins

    real_open = builtins.open

    class HalfWriter:
        def __init__(self, handle):
            self.handle = handle

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    def fake_open(path, mode="r", *args, **kwargs):
        handle = real_open(path, mode, *args, **kwargs)
        return HalfWriter(handle) if str(path) == str(evidence_store.log_path) and "a" in mode else handle

    monkeypatch.setattr(builtins, "open", fake_open)
    from rightsdesk.evidence.store import StoreError

    with pytest.raises(StoreError, match="no space left"):
        evidence_store.append("test", "someone")
    monkeypatch.undo()
    assert evidence_store.log_path.read_bytes() == before


def test_a_page_saved_by_hand_is_stored_and_marked_as_such(tmp_path, evidence_store):
    saved = tmp_path / "statement.html"
    saved.write_text(ARTICLE_HTML)
    result = capture_file(str(saved), original_url="https://example.org/statement")
    capture = result.capture
    assert capture.method == "saved" and capture.get_method_display() == "Saved by hand, then stored"
    assert capture.original_filename == "statement.html" and capture.final_url == "https://example.org/statement"
    assert capture.payload_sha256 == hashlib.sha256(saved.read_bytes()).hexdigest()
    kinds = [(kind, uri) for kind, uri, _, _ in records(evidence_store, capture)]
    assert kinds == [("warcinfo", None), ("resource", "https://example.org/statement"),
                     ("metadata", "https://example.org/statement")]
    metadata = json.loads(records(evidence_store, capture)[2][3])
    assert metadata["method"].startswith("saved by hand") and metadata["file_name"] == "statement.html"
    assert capture.title == "Statement on the prison executions"
    assert log(evidence_store)[0]["method"] == "saved"


def test_saved_text_and_pdf_files(tmp_path):
    text = tmp_path / "page.txt"
    from .conftest import TEXT_PAGE

    text.write_text(TEXT_PAGE)
    capture = capture_file(str(text), original_url="https://example.org/court").capture
    assert capture.title == "Court confirms sentences against four labour activists"
    assert capture.text.startswith("The provincial appeals court has upheld")
    assert capture.text.endswith("before the end of the month.")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(_pdf("Sample report on detention conditions"))
    capture = capture_file(str(pdf)).capture
    assert capture.content_type == "application/pdf"
    assert "Sample report on detention conditions" in capture.title + capture.text


def _pdf(text):
    """A one-page PDF with a line of text."""
    return pdf_with_lines([text], size=18)


@pytest.mark.parametrize("name, content, message", [
    ("photo.jpg", b"\xff\xd8\xff", "unsupported file type .jpg"),
    ("empty.html", b"", "the file is empty"),
    ("fake.pdf", b"<html>not a pdf</html>", "is not a PDF file"),
    ("binary.txt", b"\x00\x01" * 100, "binary file"),
])
def test_bad_saved_files_are_refused(tmp_path, evidence_store, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CaptureError, match=message):
        capture_file(str(path), original_url="https://example.org/x")
    assert evidence_store.object_names() == [] and Capture.objects.count() == 0


def test_cli_capture_prints_hashes_and_exits_0_or_1_with_one_line(web, capsys):
    assert main(["capture", web + "/article.html", "--no-screenshot"]) == 0
    out = capsys.readouterr().out
    capture = Capture.objects.get()
    assert f"as capture {capture.pk}" in out and capture.payload_sha256 in out and capture.warc_sha256 in out
    assert main(["capture", web + "/article.html", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stored"] is False and data["capture"] == capture.pk
    assert main(["capture", web + "/missing"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rightsdesk: error: ") and "404" in err and err.count("\n") == 1


def test_screenshot_is_stored_hashed_and_stamped(web, evidence_store):
    from rightsdesk.evidence.screenshot import chromium_path

    if not chromium_path():
        pytest.skip("chromium is not installed here (make test installs Debian's chromium)")
    from io import BytesIO

    from PIL import Image

    capture = capture_url(web + "/article.html", screenshot_wanted=True).capture
    assert capture.screenshot_sha256, capture.screenshot_note
    data = evidence_store.path(capture.screenshot_name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == capture.screenshot_sha256
    image = Image.open(BytesIO(data))
    assert image.format == "PNG" and image.width == 1280
    assert image.text["URL"] == web + "/article.html"
    assert image.text["Payload SHA-256"] == capture.payload_sha256
    assert image.text["Creation Time"] == capture.captured_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    # The page was drawn: the picture is not one flat colour.
    assert len(image.convert("L").getcolors(maxcolors=100000) or []) > 2
    assert log(evidence_store)[0]["files"][capture.screenshot_name] == capture.screenshot_sha256
