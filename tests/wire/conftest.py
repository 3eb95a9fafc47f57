"""The wire tests' own feed server: files and crafted answers served from 127.0.0.1 in a thread
(ETag / Last-Modified with 304, errors, slow and oversize answers, binary content)."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FEEDS = Path(__file__).parent / "feeds"


@dataclass
class Route:
    body: bytes
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    etag: str = ""
    last_modified: str = ""
    delay: float = 0
    send_length: bool = True
    trickle: float = 0  # seconds between bytes: every read in time, the whole never


@dataclass
class FeedServer:
    """Routes by path; every request's path and headers are kept in `requests`."""

    port: int = 0
    routes: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path, body=None, *, fixture=None, **options):
        if fixture is not None:
            body = (FEEDS / fixture).read_bytes()
            if fixture.endswith(".atom"):
                options.setdefault("content_type", "application/atom+xml")
        self.routes[path] = Route(body, **options)
        return self.url(path)

    def headers_of(self, path):
        return [headers for seen, headers in self.requests if seen == path]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        server = self.server.feeds
        server.requests.append((self.path, dict(self.headers)))
        route = server.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        if route.delay:
            time.sleep(route.delay)
        if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
            not route.etag and route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
        ):
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        if route.send_length:
            self.send_header("Content-Length", str(len(route.body)))
        if route.etag:
            self.send_header("ETag", route.etag)
        if route.last_modified:
            self.send_header("Last-Modified", route.last_modified)
        self.end_headers()
        try:
            if route.trickle:
                for byte in route.body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(route.trickle)
            else:
                self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the monitor stopped reading (a size limit)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    # A client that hangs up early (timeout and size tests) is expected: no traceback on stderr,
    # where it would land in another test's captured output.
    httpd.handle_error = lambda request, client_address: None
    httpd.daemon_threads = True
    httpd.block_on_close = False
    httpd.feeds = FeedServer(port=httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.feeds
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def unused_port():
    """A port on 127.0.0.1 where nothing listens."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def make_feed(section):
    from rightsdesk.wire.models import WireFeed

    def make(url, agency="Northwire", *, publish=True, section_slug="wire", language="en", **fields):
        return WireFeed.objects.create(url=url, agency=agency, section=section(section_slug, language),
                                       publish_new_items=publish, **fields)

    return make
