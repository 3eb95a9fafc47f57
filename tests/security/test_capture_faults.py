"""Faults around capturing and the wire monitor (issue 21, item 8): one line instead of a
traceback, nothing half-written left behind, and a per-run limit for a flood of feed items."""

import errno
import os
import signal
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rightsdesk.cli import main
from rightsdesk.evidence.capture import CaptureError, capture_url
from rightsdesk.evidence.models import Capture
from tests.evidence.conftest import evidence_store, web  # noqa: F401 (fixtures)
from tests.wire.conftest import feed_server, make_feed  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


class _Closer(BaseHTTPRequestHandler):
    """Promises 100,000 bytes, sends 1,000, hangs up."""

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"<html><body><p>" + b"a" * 1000)
        self.wfile.flush()
        self.connection.shutdown(2)


@pytest.fixture
def closing_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Closer)
    server.daemon_threads = True
    server.handle_error = lambda *args: None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def one_line_error(capsys):
    err = capsys.readouterr().err
    assert err.startswith("rightsdesk: error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_a_server_closing_mid_body_is_one_line_and_nothing_is_stored(closing_server, evidence_store, capsys):
    assert main(["capture", closing_server + "/statement"]) == 1  # the tests' settings: no browser
    err = one_line_error(capsys)
    assert "the connection broke while reading" in err
    assert Capture.objects.count() == 0 and evidence_store.object_names() == []
    assert list(evidence_store.tmp.iterdir()) == []


@pytest.mark.parametrize("address", ["http://[::1", "http://[::1]:99999/", "http://exa mple.org/", "https:///x"])
def test_a_malformed_address_is_one_line(address, capsys):
    assert main(["capture", address]) == 1
    err = one_line_error(capsys)
    assert "address" in err


class _FullDisk:
    """A temporary file on a disk that fills up after `room` bytes."""

    def __init__(self, handle, room=2000):
        self._handle, self._room = handle, room

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def write(self, data):
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= len(data)
        return self._handle.write(data)


@pytest.mark.parametrize("browser", [False, True])
def test_a_disk_that_fills_up_while_the_warc_is_written(web, evidence_store, monkeypatch, capsys, settings, browser):
    import tempfile

    import rightsdesk.evidence.store as store_module

    if browser:
        from rightsdesk.evidence.browser import chromium_path

        if not chromium_path():
            pytest.skip("chromium is not installed here")
        settings.RIGHTSDESK_CAPTURE_BROWSER = True
    real = tempfile.NamedTemporaryFile
    monkeypatch.setattr(store_module.tempfile, "NamedTemporaryFile",
                        lambda *a, **k: _FullDisk(real(*a, **k), room=1500))
    assert main(["capture", web + "/article.html"]) == 1
    assert "no space left" in one_line_error(capsys)
    assert Capture.objects.count() == 0 and evidence_store.object_names() == []
    assert list(evidence_store.tmp.iterdir()) == []
    assert not evidence_store.log_path.exists()


def test_a_read_only_evidence_folder_is_one_line(web, evidence_store, monkeypatch, capsys):
    import rightsdesk.evidence.store as store_module

    evidence_store.ensure()

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(store_module.tempfile, "NamedTemporaryFile", read_only)
    assert main(["capture", web + "/article.html"]) == 1
    assert "is not writable" in one_line_error(capsys)
    with pytest.raises(CaptureError, match="not writable"):
        capture_url(web + "/text.txt")


WRITER = textwrap.dedent("""
    import sys, time
    from rightsdesk.evidence.store import Store
    with Store(sys.argv[1]).temporary(".warc.gz") as (handle, path):
        handle.write(b"WARC/1.1 partial record of a capture that will never finish")
        handle.flush()
        print(path, flush=True)
        time.sleep(120)
""")


def _writer(root):
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(root)], stdout=subprocess.PIPE, text=True)
    return process, process.stdout.readline().strip()


def test_a_capture_killed_half_way_leaves_no_partial_file_behind(web, evidence_store):
    dead, dead_file = _writer(evidence_store.root)
    alive, alive_file = _writer(evidence_store.root)
    try:
        os.kill(dead.pid, signal.SIGKILL)
        dead.wait(10)
        assert os.path.exists(dead_file)  # kill -9: no clean-up ran
        capture_url(web + "/article.html")  # the next capture cleans what the dead one left
        assert not os.path.exists(dead_file)
        assert os.path.exists(alive_file)  # a capture still being written is left alone
    finally:
        alive.kill()
        alive.wait(10)
    capture_url(web + "/text.txt")
    assert list(evidence_store.tmp.iterdir()) == []


def _flood(count):
    items = "".join(
        f"<item><title>Sample flood item {n}: {' '.join(f'word{(n * 7 + k) % 9973}' for k in range(6))}</title>"
        f"<link>https://agency.example/flood/{n}</link><guid>flood-{n}</guid>"
        f"<pubDate>Mon, 05 Oct 2026 10:00:00 GMT</pubDate></item>"
        for n in range(count))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Flood</title><link>https://agency.example/'
            f'</link><description>A sample feed of the rightsdesk tests</description>{items}</channel></rss>').encode()


def test_a_feed_of_20000_items_is_taken_in_parts(feed_server, make_feed, settings):
    from rightsdesk.wire.models import WireItem
    from rightsdesk.wire.monitor import check_feed

    settings.RIGHTSDESK_WIRE_MAX_ITEMS_PER_RUN = 30
    url = feed_server.serve("/flood.xml", _flood(20_000), etag='"flood-1"')
    feed = make_feed(url, publish=False)
    report = check_feed(feed)
    assert report.ok and report.new + report.grouped == 30 and report.left == 19_970
    assert "19970 left for the next check" in report.line()
    assert WireItem.objects.filter(feed=feed).count() == 30
    feed.refresh_from_db()
    assert feed.etag == ""  # not kept: the next check reads the whole feed again and goes on
    report = check_feed(feed)
    assert report.seen == 30 and report.new + report.grouped == 30
    assert WireItem.objects.filter(feed=feed).count() == 60
