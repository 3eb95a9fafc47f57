"""One address policy for every request the server makes (issue 21, item 4): host names resolved
once, every non-public address refused, the connection made to the very address checked, a total
deadline per capture, no proxy from the environment, and the loopback allowance (for tests and
the demo) reported by `check --deploy`.

Nothing here reaches another host: connections to any address other than 127.0.0.1 are refused
by the test itself (and recorded), before a packet leaves the machine."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rightsdesk import net
from rightsdesk.evidence.capture import CaptureError, capture_url
from rightsdesk.evidence.models import Capture
from tests.evidence.conftest import evidence_store  # noqa: F401 (fixture: a store of its own per test)
from tests.wire.conftest import make_feed  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

PAGE = b"<html><head><title>Internal dashboard</title></head><body><p>Only for the office network.</p></body></html>"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        self.server.hits.append(self.path)
        if self.path.startswith("/drip"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "400")
            self.end_headers()
            try:
                for _ in range(400):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)


@pytest.fixture
def internal(settings):
    """A service of the organisation's own network, on 127.0.0.1; fetches may not reach loopback."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.handle_error = lambda *args: None
    server.hits = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.RIGHTSDESK_FETCH_ALLOW_LOOPBACK = False
    settings.RIGHTSDESK_CAPTURE_ALLOW_PRIVATE = False  # the older name of the same allowance
    settings.RIGHTSDESK_CAPTURE_SCREENSHOTS = False
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def connections(monkeypatch):
    """Every outgoing connection attempt: to 127.0.0.1 it goes through, to anything else it is
    refused here (the tests never reach another host)."""
    attempts = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        attempts.append(address[0])
        if address[0] not in ("127.0.0.1", "::1"):
            raise ConnectionRefusedError(111, "Connection refused (by the test)")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempts


def answers(monkeypatch, *sequence):
    """Make every name resolve to the given addresses, one answer per lookup, the last repeated."""
    lookups = []

    def resolver(host, port, *args, **kwargs):
        if host in ("127.0.0.1", "::1", "localhost"):
            return real(host, port, *args, **kwargs)
        address = sequence[min(len(lookups), len(sequence) - 1)]
        lookups.append((host, address))
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port, 0, 0) if ":" in address else (address, port))]

    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    monkeypatch.setattr(net, "resolver", resolver, raising=False)
    return lookups


def test_dns_rebinding_cannot_reach_the_organisations_network(internal, connections, monkeypatch):
    """The name resolves to a public address when checked and to 127.0.0.1 the next time: the
    connection goes to the address that was checked, never to the second answer."""
    port = internal.server_address[1]
    lookups = answers(monkeypatch, "93.184.216.34", "127.0.0.1")
    with pytest.raises(CaptureError, match="could not connect"):
        capture_url(f"http://rebind.example:{port}/")
    assert internal.hits == []
    assert "127.0.0.1" not in connections and connections == ["93.184.216.34"]
    assert len(lookups) == 1  # resolved once
    assert Capture.objects.count() == 0


@pytest.mark.parametrize("address", [
    "100.64.0.1", "100.127.255.254",  # shared address space (carrier-grade NAT)
    "224.0.0.251", "239.255.255.250", "ff05::2",  # multicast
    "2002:a9fe:a9fe::1",  # 6to4 form of the same
    "2002:7f00:1::1",  # 6to4 form of 127.0.0.1
])
def test_every_non_public_address_is_refused_before_connecting(internal, connections, monkeypatch, address):
    answers(monkeypatch, address)
    with pytest.raises(CaptureError, match="refusing to connect") as error:
        capture_url("http://service.example/")
    assert address in str(error.value) and "\n" not in str(error.value)
    assert connections == []


def test_loopback_and_private_addresses_stay_refused_in_their_other_spellings(internal, connections, monkeypatch):
    """These were refused before the policy too: a guard that they stay so."""
    for address in ("64:ff9b::a9fe:a9fe", "127.0.0.1", "::ffff:127.0.0.1", "::ffff:10.1.2.3", "169.254.169.254", "fd12::1", "fe80::1",
                    "10.0.0.1", "0.0.0.0", "::"):
        answers(monkeypatch, address)
        with pytest.raises(CaptureError, match="refusing to"):
            capture_url("http://service.example/")
    assert connections == [] and internal.hits == []


def test_the_wire_monitor_checks_addresses_too(internal, make_feed):
    from rightsdesk.wire.monitor import check_feed

    feed = make_feed(f"http://127.0.0.1:{internal.server_address[1]}/feed.xml")
    report = check_feed(feed)
    assert "refusing to connect to 127.0.0.1" in report.error
    assert internal.hits == []


def test_a_slow_drip_server_cannot_hold_a_capture_beyond_its_total_deadline(internal, settings):
    """Each byte arrives within the per-read timeout; the capture as a whole is cut off."""
    settings.RIGHTSDESK_FETCH_ALLOW_LOOPBACK = settings.RIGHTSDESK_CAPTURE_ALLOW_PRIVATE = True
    settings.RIGHTSDESK_CAPTURE_DEADLINE = 2
    started = time.monotonic()
    with pytest.raises(CaptureError, match="total time limit of 2 s") as error:
        capture_url(f"http://127.0.0.1:{internal.server_address[1]}/drip", timeout=30)
    assert "\n" not in str(error.value)
    assert time.monotonic() - started < 30  # the drip alone lasts 40 s
    assert Capture.objects.count() == 0


def test_proxies_from_the_environment_are_not_used(internal, settings, monkeypatch):
    """A proxy would connect on the server's behalf, unchecked: requests go direct."""
    settings.RIGHTSDESK_FETCH_ALLOW_LOOPBACK = settings.RIGHTSDESK_CAPTURE_ALLOW_PRIVATE = True
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    capture = capture_url(f"http://127.0.0.1:{internal.server_address[1]}/page").capture
    assert capture.title == "Internal dashboard" and internal.hits == ["/page"]


def test_the_capture_browsers_own_requests_go_through_the_policy(internal, settings, evidence_store):
    """A page (on loopback, allowed for this test) whose image and script point at the cloud
    metadata address: the browser does not reach them; the capture says what was refused."""
    import json

    from rightsdesk.evidence.browser import chromium_path

    if not chromium_path():
        pytest.skip("chromium is not installed here (make test installs Debian's chromium)")
    settings.RIGHTSDESK_FETCH_ALLOW_LOOPBACK = True
    settings.RIGHTSDESK_CAPTURE_BROWSER = True
    page = (b"<html><head><title>Hostile page</title><script src='http://169.254.169.254/latest/meta-data/'>"
            b"</script></head><body><p>A sample hostile page for the rightsdesk tests.</p>"
            b"<img src='http://10.0.0.1/router.png'></body></html>")

    def hostile(handler):
        handler.server.hits.append(handler.path)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(page)))
        handler.end_headers()
        handler.wfile.write(page)

    original = _Handler.do_GET
    _Handler.do_GET = hostile
    try:
        capture = capture_url(f"http://127.0.0.1:{internal.server_address[1]}/hostile").capture
    finally:
        _Handler.do_GET = original
    from warcio.archiveiterator import ArchiveIterator

    with open(evidence_store.path(capture.warc_name), "rb") as stream:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
                   for r in ArchiveIterator(stream)]
    fetched = {uri for kind, uri, _ in records if kind == "response"}
    assert not any("169.254" in uri or "10.0.0.1" in uri for uri in fetched)
    (provenance,) = [json.loads(body) for kind, _, body in records if kind == "metadata"]
    refused = {item["url"]: item["reason"] for item in provenance["not_fetched"]}
    assert "refusing to connect to 169.254.169.254" in refused["http://169.254.169.254/latest/meta-data/"]
    assert "refusing to connect to 10.0.0.1" in refused["http://10.0.0.1/router.png"]


def test_check_deploy_reports_the_loopback_allowance(settings):
    from django.core import checks

    settings.RIGHTSDESK_FETCH_ALLOW_LOOPBACK = True
    found = [m.id for m in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])]
    assert "rightsdesk.E101" in found
    settings.RIGHTSDESK_FETCH_ALLOW_LOOPBACK = False
    found = [m.id for m in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])]
    assert "rightsdesk.E101" not in found
