"""Capturing in the capture browser: the page is loaded once in Debian's chromium, every request
it makes is fetched by rightsdesk (through the address policy) and written into the WARC, and
the text, the screenshot, the PDF print and the rendered page come from that one visit."""

import hashlib
import json
from io import BytesIO

import pytest
from warcio.archiveiterator import ArchiveIterator

from rightsdesk.evidence.capture import CaptureError, capture_url
from rightsdesk.evidence.models import Capture

from . import sites

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_browser(settings):
    from rightsdesk.evidence.browser import chromium_path

    if not chromium_path():
        pytest.skip("chromium is not installed here (make test installs Debian's chromium)")
    settings.RIGHTSDESK_CAPTURE_BROWSER = True


@pytest.fixture(scope="module")
def site():
    server = sites.Site()
    yield server
    server.close()


@pytest.fixture(scope="module")
def tls_site(tmp_path_factory):
    import ssl

    import trustme

    root = trustme.CA()
    intermediate = root.create_child_ca()
    leaf = intermediate.issue_cert("127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    leaf.configure_cert(context)  # presents the leaf and the intermediate
    server = sites.Site(tls=context)
    bundle = tmp_path_factory.mktemp("ca") / "ca.pem"
    root.cert_pem.write_to_path(str(bundle))
    server.bundle = str(bundle)
    server.leaf_pem = leaf.cert_chain_pems[0].bytes().decode()
    server.intermediate_pem = intermediate.cert_pem.bytes().decode()
    yield server
    server.close()


def warc_records(store, capture):
    with open(store.path(capture.warc_name), "rb") as stream:
        return [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.rec_headers,
                 r.content_stream().read()) for r in ArchiveIterator(stream)]


def provenance(records):
    (data,) = [json.loads(body) for kind, _, _, body in records if kind == "metadata"]
    return data


def test_a_page_whose_script_writes_its_text_is_captured_with_that_text(site, evidence_store):
    before = len(site.requests)
    capture = capture_url(site.url + "/js.html", screenshot_wanted=True).capture
    # The text is the rendered page's, not the placeholder the HTML carries.
    assert capture.title == "Statement written by script"
    assert sites.STATEMENT["first"] in capture.text and sites.STATEMENT["second"] in capture.text
    assert "Loading" not in capture.text
    assert capture.extraction.startswith("rendered in chromium")
    # The payload is still the page as served, hashed.
    assert capture.payload_sha256 == hashlib.sha256(sites.JS_PAGE).hexdigest()

    records = warc_records(evidence_store, capture)
    responses = {uri.replace(site.url, ""): body for kind, uri, _, body in records if kind == "response"}
    requests = [uri.replace(site.url, "") for kind, uri, _, _ in records if kind == "request"]
    # Every sub-resource of the visit is in the WARC: script, data, style, font, image.
    assert set(responses) == {"/js.html", "/app.js", "/data/statement.json", "/style.css", "/fonts/sample.woff2",
                              "/logo.png"}
    assert json.loads(responses["/data/statement.json"]) == sites.STATEMENT
    # ...and the WARC holds exactly what the server was asked: the browser fetched nothing itself.
    assert sorted(requests) == sorted(path for _, path, _ in site.requests[before:])

    resources = {uri.split(":", 2)[1]: (headers, body) for kind, uri, headers, body in records if kind == "resource"}
    assert set(resources) == {"dom", "screenshot", "pdf"}
    assert sites.STATEMENT["first"].encode() in resources["dom"][1]
    assert resources["pdf"][1].startswith(b"%PDF-")
    png = resources["screenshot"][1]
    assert png.startswith(b"\x89PNG") and hashlib.sha256(png).hexdigest() == capture.screenshot_sha256
    assert evidence_store.path(capture.screenshot_name).read_bytes() == png

    data = provenance(records)
    assert data["method"] == "rendered in a browser" and data["browser"].startswith("chromium ")
    assert data["software"].startswith("rightsdesk ") and data["hosts"]["127.0.0.1"]["address"] == "127.0.0.1"
    assert data["pdf"]["sha256"] == hashlib.sha256(resources["pdf"][1]).hexdigest()
    assert data["not_fetched"] == []


def test_the_imported_draft_holds_the_text_the_script_wrote(site):
    from rightsdesk.evidence.importing import import_capture

    capture = capture_url(site.url + "/js.html?draft").capture
    page = import_capture(capture, as_="article").obj
    body = " ".join(str(block.value) for block in page.body)
    assert sites.STATEMENT["first"] in body and "Loading" not in body


def test_a_lazy_page_is_scrolled_until_its_last_part_has_loaded(site, evidence_store):
    capture = capture_url(site.url + "/lazy.html").capture
    assert sites.LAZY_TEXT in capture.text
    uris = {uri.replace(site.url, "") for kind, uri, _, _ in warc_records(evidence_store, capture)
            if kind == "response"}
    assert {"/lazy/photo.png", "/lazy/more.json"} <= uris


def test_the_video_of_a_page_is_downloaded_into_the_capture_and_hashed(site, evidence_store, settings):
    capture = capture_url(site.url + "/video.html").capture
    records = warc_records(evidence_store, capture)
    media = provenance(records)["media"]
    stored = {m["url"].replace(site.url, ""): m for m in media if "sha256" in m}
    assert set(stored) == {"/media/clip.mp4", "/media/stream.m3u8"}, media
    assert stored["/media/clip.mp4"]["sha256"] == hashlib.sha256(sites.CLIP).hexdigest()
    assert stored["/media/stream.m3u8"]["size"] == sum(len(s) for s in sites.SEGMENTS)
    bodies = {hashlib.sha256(body).hexdigest() for kind, _, _, body in records if kind == "resource"}
    assert {m["sha256"] for m in stored.values()} <= bodies

    # Over the media limit: the page is captured, the film is not, and the record says why.
    settings.RIGHTSDESK_CAPTURE_MEDIA_MAX_BYTES = 1000
    site.server.routes["/video2.html"] = (sites.VIDEO_PAGE.replace(b"sample event", b"other event"), "text/html")
    capture = capture_url(site.url + "/video2.html").capture
    media = provenance(warc_records(evidence_store, capture))["media"]
    assert all("sha256" not in m for m in media) and any("limit" in m["error"] for m in media)


def test_a_page_over_https_records_the_certificate_chain_it_presented(tls_site, evidence_store, settings):
    settings.RIGHTSDESK_CAPTURE_CA_BUNDLE = tls_site.bundle
    capture = capture_url(tls_site.url + "/js.html").capture
    assert sites.STATEMENT["first"] in capture.text
    host = provenance(warc_records(evidence_store, capture))["hosts"]["127.0.0.1"]
    assert host["certificates"] == [tls_site.leaf_pem, tls_site.intermediate_pem]
    # A certificate nobody vouches for is refused, with one line.
    settings.RIGHTSDESK_CAPTURE_CA_BUNDLE = ""
    with pytest.raises(CaptureError, match="certificate") as error:
        capture_url(tls_site.url + "/lazy.html")
    assert "\n" not in str(error.value)


def test_no_browser_is_the_plain_fetch_of_the_page_as_served(site, evidence_store):
    capture = capture_url(site.url + "/js.html?plain", browser=False).capture
    assert "Loading" in capture.text and sites.STATEMENT["first"] not in capture.text
    kinds = [kind for kind, *_ in warc_records(evidence_store, capture)]
    assert kinds == ["warcinfo", "request", "response", "metadata"]


def test_documents_that_are_not_web_pages_are_stored_as_served(site, evidence_store):
    site.server.routes["/report.txt"] = (b"A sample plain text report of the rightsdesk tests.", "text/plain")
    capture = capture_url(site.url + "/report.txt").capture
    assert "A sample plain text report" in capture.title + capture.text
    assert not capture.screenshot_sha256
    kinds = [kind for kind, *_ in warc_records(evidence_store, capture)]
    assert kinds == ["warcinfo", "request", "response", "metadata"]
    with pytest.raises(CaptureError, match="answered 404"):
        capture_url(site.url + "/nothing-here")
    assert Capture.objects.filter(requested_url__endswith="/nothing-here").count() == 0


def _descendants(pid):
    import os

    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found += children
        todo += children
    return found


def test_the_browser_runs_sandboxed_as_an_unprivileged_user(site):
    """Chromium never runs with --no-sandbox; as root, it runs as RIGHTSDESK_CHROMIUM_USER."""
    import os
    import pwd

    capture_url(site.url + "/js.html?sandbox")  # the browser is running now
    browsers = []
    for pid in _descendants(os.getpid()):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                args = handle.read().split(b"\0")
            with open(f"/proc/{pid}/status") as handle:
                uid = int(next(line for line in handle if line.startswith("Uid:")).split()[1])
        except OSError:
            continue
        if args and args[0].endswith(b"chromium"):
            browsers.append((uid, args))
    assert browsers
    for uid, args in browsers:
        assert b"--no-sandbox" not in args
        if os.geteuid() == 0:
            assert uid == pwd.getpwnam("nobody").pw_uid
