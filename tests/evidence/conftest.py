"""A web server on 127.0.0.1 serving the pages the evidence tests capture, and a fresh evidence
store for every test."""

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ARTICLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Statement on the prison executions | Sample Monitor</title>
<meta name="author" content="Sample Researcher"><meta property="article:published_time" content="2026-10-02">
</head><body>
<nav><a href="/">Home</a> <a href="/reports/">Reports</a> <a href="/about/">About us</a></nav>
<article>
<h1>Statement on the prison executions</h1>
<p>This is sample text written for the rightsdesk tests. Our monitors recorded at least 120 executions in the
province during the first half of the year, most of them in the central prison.</p>
<p>Relatives told the monitors that they were not warned before the executions and that several bodies were
buried without the families being present. The statement asks for an independent inquiry.</p>
<p>The count is drawn from court records, interviews with relatives and local reports, checked against each
other where that was possible, and it will be revised as new information arrives.</p>
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Another story</a></li><li><a href="/b">A third story</a></li></ul></aside>
<footer>Sample Monitor, an example organisation for tests.</footer>
</body></html>
"""

# A text page in the shape of a news site saved as text: chrome lines, a headline, the article,
# then teaser blocks under headings other than those of the reference page.
TEXT_PAGE = """Sample Monitor | Home | Reports | Campaigns | About

Sample Monitor reports on the provinces and…

Court confirms sentences against four labour activists

The provincial appeals court has upheld prison sentences against four labour activists who organised a strike at a sugar factory last spring, their lawyer told the sample monitor this week.

The four were convicted of acting against national security for their part in the strike, in which several hundred workers demanded unpaid wages. Their families say the trial lasted less than an hour.

"They were punished for asking to be paid," the lawyer said in a statement, adding that an appeal to the supreme court would be lodged before the end of the month.

Top stories

Families gather outside the central prison

Dozens of relatives of detained protesters gathered outside the gate on…

Teachers' union leader summoned again

A union leader who was released on bail in the spring has been summoned to…

Editors' selection

Ten years of the death penalty in numbers

AFP: A review of official statements shows the number of…
"""


class Handler(BaseHTTPRequestHandler):
    server_version = "TestServer/1.0"
    routes = {}

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        self.server.requests.append((self.path, dict(self.headers)))
        route = self.routes.get(self.path.split("?")[0])
        if route is None:
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<p>Not found</p>")
            return
        route(self)


def _send(handler, body, content_type="text/html; charset=utf-8", status=200, headers=()):
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers:
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def _redirect(to, status=302):
    def route(handler):
        handler.send_response(status)
        handler.send_header("Location", to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return route


def _big_streamed(handler):
    # No Content-Length: the client only finds out while reading.
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    chunk = b"<p>" + b"x" * 65536 + b"</p>\n"
    try:
        for _ in range(64):
            handler.wfile.write(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass


def _slow(handler):
    time.sleep(3)
    _send(handler, b"<p>late</p>")


def _gzipped(handler):
    body = gzip.compress(ARTICLE_HTML.encode())
    _send(handler, body, headers=[("Content-Encoding", "gzip")])


_changing = {"n": 0}


def _changing_page(handler):
    _changing["n"] += 1
    _send(handler, f"<html><body><p>Version {_changing['n']} of a page that changes.</p></body></html>".encode())


Handler.routes = {
    "/article.html": lambda h: _send(h, ARTICLE_HTML.encode()),
    "/mirror/article.html": lambda h: _send(h, ARTICLE_HTML.encode()),
    "/text.txt": lambda h: _send(h, TEXT_PAGE.encode(), "text/plain; charset=utf-8"),
    "/old": _redirect("/moved", 301),
    "/moved": _redirect("http://127.0.0.1:{port}/article.html", 302),
    "/loop": _redirect("/loop"),
    "/big": lambda h: _send(h, b"<p>" + b"y" * 3_000_000 + b"</p>"),
    "/big-streamed": _big_streamed,
    "/image.png": lambda h: _send(h, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "image/png"),
    "/binary.html": lambda h: _send(h, b"\x00\x01\x02\x03" * 1000, "text/html"),
    "/gone": lambda h: _send(h, b"<p>Gone</p>", status=410),
    "/error": lambda h: _send(h, b"<p>Server error</p>", status=500),
    "/slow": _slow,
    "/gzip.html": _gzipped,
    "/changing": _changing_page,
    "/broken.html": lambda h: _send(h, b"<html><head><title>Broken markup</title><body><div><p>This sample page has "
                                       b"markup that is never closed, <b>bold <i>and italic, and a table <table><tr>"
                                       b"<td>cell</p></div></span></body>"),
}


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client that hung up early (the timeout and size-limit tests do) is expected: no
        traceback on stderr, where it would land in another test's captured output."""


@pytest.fixture(scope="session")
def web():
    """Base URL of a test web server on 127.0.0.1; `web.requests` lists what it was asked."""
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.requests = []
    port = server.server_address[1]
    Handler.routes["/moved"] = _redirect(f"http://127.0.0.1:{port}/article.html", 302)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    class Web(str):
        pass

    base = Web(f"http://127.0.0.1:{port}")
    base.requests = server.requests
    yield base
    server.shutdown()


@pytest.fixture(autouse=True)
def evidence_store(settings, tmp_path):
    """Every test gets its own empty evidence store."""
    settings.RIGHTSDESK_EVIDENCE_DIR = tmp_path / "evidence"
    settings.RIGHTSDESK_CAPTURE_SCREENSHOTS = False
    from rightsdesk.evidence.store import default_store

    return default_store()
