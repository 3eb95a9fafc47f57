"""Fetch a page and write what was said on the wire into a WARC file (warcio).

Every hop of a redirect chain is its own request/response pair in the WARC. The response records
keep the body as transferred (content encoding included); the payload hash is taken over the
document itself (content encoding undone), which is what `sha256sum` of the saved page gives.
"""

from __future__ import annotations

import hashlib
import json
import threading
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from urllib.parse import urljoin, urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from rightsdesk import __version__, net

MAX_REDIRECTS = 10
# What a capture may be: web pages, text and PDF documents. Images, archives, programs are not.
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/pdf", "text/xml",
                  "application/xml", "text/markdown")
USER_AGENT = f"rightsdesk/{__version__} (evidence capture; +https://github.com/rightsdesk)"


class FetchError(Exception):
    """The page could not be captured; the message says why and what to do."""


@dataclass
class Hop:
    url: str
    status: int
    reason: str
    headers: list  # [(name, value)] as received
    location: str = ""


@dataclass
class Fetched:
    requested_url: str
    final_url: str
    status: int
    headers: list
    content_type: str
    payload: bytes
    payload_sha256: str
    redirects: list = field(default_factory=list)  # [{"url", "status", "location"}]
    peer: str = ""


def warcinfo(writer: WARCWriter, filename: str, extra: dict | None = None):
    info = {"software": f"rightsdesk {__version__} (warcio)", "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"}
    info.update(extra or {})
    writer.write_record(writer.create_warcinfo_record(filename, info))


def _decode_body(raw: bytes, encoding: str, max_bytes: int, url: str) -> bytes:
    encoding = (encoding or "").strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        try:
            decoder = zlib.decompressobj(wbits)
            data = decoder.decompress(raw, max_bytes + 1)
        except zlib.error:
            try:
                data = zlib.decompressobj(-zlib.MAX_WBITS).decompress(raw, max_bytes + 1)
            except zlib.error:
                raise FetchError(f"{url}: the server sent a damaged {encoding} body; try again later") from None
        if len(data) > max_bytes:
            raise FetchError(_too_big(url, max_bytes))
        return data
    raise FetchError(f"{url}: the server used an unsupported content encoding {encoding!r}")


def _too_big(url, max_bytes):
    return (f"{url}: the page is over the size limit of {max_bytes / 1e6:g} MB; raise it with --max-bytes "
            "(or RIGHTSDESK_CAPTURE_MAX_BYTES) if it is really needed")


def web_address(url: str) -> str:
    """`url` if it is a well-formed http(s) address (nothing is resolved); raises FetchError."""
    shown = " ".join(str(url).split())[:300]
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port
    except ValueError as exc:
        raise FetchError(f"{shown}: not a valid web address ({exc}); check it") from None
    if parts.scheme not in ("http", "https") or not host:
        raise FetchError(f"{shown}: not a web address; give a full http:// or https:// URL")
    return url


def check_address(url: str, allow_private: bool = False):
    """Refuse `url` unless it is a web address whose host resolves only to public addresses
    (loopback too when allowed). Connections made by a Recorder check again, at connect time."""
    web_address(url)
    parts = urlsplit(url)
    try:
        net.resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                    allow_loopback=allow_private or None)
    except net.AddressRefused as exc:
        raise FetchError(f"{url}: {exc}") from None


def _pem(der: bytes) -> str:
    import ssl

    return ssl.DER_cert_to_PEM_cert(der)


@dataclass
class Exchange:
    """One request and its answer, as sent and received (no redirect followed)."""

    url: str
    method: str
    status: int
    reason: str
    headers: list  # [(name, value)] as received
    raw: bytes  # the body as transferred (content encoding kept)
    content_type: str
    peer: str
    request_headers: list
    record_id: str = ""

    def header(self, name, default=""):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return default

    @property
    def mime(self):
        return self.content_type.split(";")[0].strip().lower()

    @property
    def is_redirect(self):
        return self.status in (301, 302, 303, 307, 308) and bool(self.header("Location"))

    def payload(self, max_bytes: int) -> bytes:
        """The document itself: content encoding undone. Raises FetchError."""
        return _decode_body(self.raw, self.header("Content-Encoding"), max_bytes, self.url)


class Recorder:
    """One capture's connection to the web. Every request goes through the address policy
    (rightsdesk/net.py: resolved once, public addresses only, connected to the address checked)
    and is written into the WARC as a request/response pair, exactly as sent and received. All
    requests of a capture share one size budget and one total deadline. Safe to use from several
    threads (the browser's requests arrive in parallel)."""

    def __init__(self, warc_file, *, max_bytes: int, timeout: float, deadline: float | None = None,
                 allow_loopback: bool | None = None, info: dict | None = None, ca_bundle: str | None = None,
                 user_agent: str = USER_AGENT):
        self.writer = WARCWriter(warc_file, gzip=True, warc_version="1.1")
        warcinfo(self.writer, getattr(warc_file, "name", "capture.warc.gz").rsplit("/", 1)[-1], info)
        self.guard = net.Guard(allow_loopback=allow_loopback, total_seconds=deadline)
        self.session = net.session(self.guard, ca_bundle=ca_bundle or None)
        self.session.headers.update({"User-Agent": user_agent, "Accept": "text/html,application/xhtml+xml,"
                                     "text/plain,application/pdf;q=0.9,*/*;q=0.5"})
        self.max_bytes, self.timeout, self.deadline = max_bytes, timeout, deadline
        self.used = 0
        self.exchanges: list[Exchange] = []
        self.failures: list[dict] = []  # requests that could not be made: {"url", "reason"}
        self.hosts: dict = {}  # host -> {"address", "certificates": [PEM]}
        self.write_error: OSError | None = None  # the WARC could not be written (a full disk)
        self._lock = threading.Lock()

    def _write(self, *records):
        """Write records into the WARC; a write error is kept (the capture fails with it)."""
        try:
            for record in records:
                self.writer.write_record(record)
        except OSError as exc:
            self.write_error = self.write_error or exc
            raise

    def close(self):
        self.guard.close()
        self.session.close()

    def _over_deadline(self, url):
        return FetchError(f"{url}: the capture did not finish within its total time limit of {self.deadline:g} s "
                          "(RIGHTSDESK_CAPTURE_DEADLINE); try again later")

    def exchange(self, url: str, *, method: str = "GET", headers: dict | None = None, body: bytes | None = None
                 ) -> Exchange:
        """Make one request (no redirect followed), record it, and return the answer. Raises
        FetchError with a one-line message (nothing recorded then)."""
        import requests
        import urllib3

        web_address(url)
        try:
            self.guard.check_time()
        except net.DeadlinePassed:
            raise self._over_deadline(url) from None
        sent = {k: v for k, v in (headers or {}).items() if k.lower() not in _NOT_FORWARDED}
        sent["Accept-Encoding"] = "gzip, deflate"  # the encodings _decode_body undoes
        try:
            response = self.session.request(method, url, headers=sent, data=body, stream=True, allow_redirects=False,
                                            timeout=(min(10, self.timeout), self.timeout))
        except net.AddressRefused as exc:
            raise FetchError(f"{url}: {exc}") from None
        except requests.exceptions.Timeout:
            if self.guard.expired:
                raise self._over_deadline(url) from None
            raise FetchError(f"{url}: the server did not answer within {self.timeout:g} s; try again later "
                             "or raise --timeout") from None
        except requests.exceptions.SSLError as exc:
            raise FetchError(f"{url}: the secure connection failed ({net.error_reason(exc)}); the site's "
                             "certificate is not trusted here") from None
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema, ValueError):
            raise FetchError(f"{url}: not a valid web address; check it") from None
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            if self.guard.expired:
                raise self._over_deadline(url) from None
            raise FetchError(f"{url}: could not connect ({net.error_reason(exc)}); check the address and that the "
                             "site is up") from None
        with response:
            connection = net.connection_of(response)
            peer = getattr(connection, "peer_address", "") or ""
            certificates = connection.peer_certificates if url.startswith("https:") and connection else []
            raw = self._read(response, url)
            exchange = Exchange(
                url=url, method=method, status=response.status_code, reason=response.reason or "",
                headers=list(response.raw.headers.items()), raw=raw,
                content_type=response.headers.get("Content-Type", ""), peer=peer,
                request_headers=[("Host", urlsplit(url).netloc), *response.request.headers.items()],
            )
            host = urlsplit(url).hostname
            with self._lock:
                if host not in self.hosts or (certificates and not self.hosts[host]["certificates"]):
                    self.hosts[host] = {"address": peer, "certificates": [_pem(c) for c in certificates]}
                self._write_pair(exchange, response.request.body)
                self.exchanges.append(exchange)
        return exchange

    def _read(self, response, url) -> bytes:
        import requests
        import urllib3

        length = response.headers.get("Content-Length", "")
        if length.isdigit() and self.used + int(length) > self.max_bytes:
            raise FetchError(_too_big(url, self.max_bytes))
        out = BytesIO()
        try:
            while True:
                chunk = response.raw.read(65536, decode_content=False)
                if not chunk:
                    break
                with self._lock:
                    self.used += len(chunk)
                    over = self.used > self.max_bytes
                if over:
                    raise FetchError(_too_big(url, self.max_bytes))
                out.write(chunk)
                if self.guard.expired:
                    raise self._over_deadline(url)
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            if self.guard.expired:
                raise self._over_deadline(url) from None
            raise FetchError(f"{url}: the connection broke while reading ({net.error_reason(exc)}); "
                             "try again") from None
        if self.guard.expired:
            raise self._over_deadline(url)
        return out.getvalue()

    def _write_pair(self, exchange: Exchange, request_body):
        target = urlsplit(exchange.url)
        path = (target.path or "/") + (f"?{target.query}" if target.query else "")
        stored_headers = [
            (f"X-Archive-Orig-{name}" if name.lower() == "transfer-encoding" else name, value)
            for name, value in exchange.headers
        ]
        warc_headers = {"WARC-IP-Address": exchange.peer} if exchange.peer else {}
        resp_record = self.writer.create_warc_record(
            exchange.url, "response", payload=BytesIO(exchange.raw), warc_headers_dict=warc_headers,
            http_headers=StatusAndHeaders(f"{exchange.status} {exchange.reason}", stored_headers, protocol="HTTP/1.1"),
        )
        exchange.record_id = resp_record.rec_headers.get_header("WARC-Record-ID")
        body = request_body if isinstance(request_body, bytes) else (request_body or "").encode()
        req_record = self.writer.create_warc_record(
            exchange.url, "request", payload=BytesIO(body),
            warc_headers_dict={"WARC-Concurrent-To": exchange.record_id},
            http_headers=StatusAndHeaders(f"{exchange.method} {path} HTTP/1.1", exchange.request_headers,
                                          protocol="HTTP/1.1"),
        )
        self._write(req_record, resp_record)

    def resource(self, uri: str, data: bytes, content_type: str, refers_to: str = "") -> str:
        """A resource record (a screenshot, a print, the rendered page, a media file); its id."""
        headers = {"WARC-Refers-To": refers_to} if refers_to else {}
        record = self.writer.create_warc_record(uri, "resource", payload=BytesIO(data), warc_content_type=content_type,
                                                warc_headers_dict=headers)
        with self._lock:
            self._write(record)
        return record.rec_headers.get_header("WARC-Record-ID")

    def metadata(self, uri: str, data: dict, refers_to: str = ""):
        headers = {"WARC-Refers-To": refers_to} if refers_to else {}
        record = self.writer.create_warc_record(
            uri, "metadata", payload=BytesIO(json.dumps(data, indent=2, ensure_ascii=False).encode()),
            warc_content_type="application/json", warc_headers_dict=headers)
        with self._lock:
            self._write(record)

    def provenance(self, url: str, *, method: str, extra: dict | None = None, refers_to: str = ""):
        """The metadata record that says how the capture was made: software, browser, the address
        each host resolved to and was connected at, the TLS certificate chain each https server
        presented, the request headers sent for the page, and what could not be fetched."""
        main = next((e for e in self.exchanges if e.url == url), None)
        data = {
            "software": f"rightsdesk {__version__}", "method": method,
            "hosts": self.hosts,
            "page_request_headers": [list(h) for h in main.request_headers] if main else [],
            "requests": len(self.exchanges), "bytes": self.used,
            "not_fetched": self.failures,
        }
        data.update(extra or {})
        self.metadata(url, data, refers_to=refers_to)
        return data


def follow_redirects(recorder: Recorder, url: str, **request) -> tuple[Exchange, list]:
    """The final answer for `url` and the redirects on the way (each hop recorded). Raises FetchError."""
    redirects, current = [], url
    for _ in range(MAX_REDIRECTS + 1):
        exchange = recorder.exchange(current, **request)
        if exchange.is_redirect:
            location = exchange.header("Location")
            redirects.append({"url": current, "status": exchange.status, "location": location})
            current = urljoin(current, location)
            if exchange.status in (301, 302, 303):
                request = {key: value for key, value in request.items() if key == "headers"}
            continue
        return exchange, redirects
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects; check the address")


def follow(recorder: Recorder, url: str) -> Fetched:
    """Fetch `url` following redirects (each hop recorded), and check that what came back can be
    a capture: a web page, a text or a PDF document. Raises FetchError."""
    exchange, redirects = follow_redirects(recorder, url)
    return fetched_from(recorder, url, exchange, redirects)


def fetched_from(recorder: Recorder, url: str, exchange: Exchange, redirects: list) -> Fetched:
    """The Fetched of a final answer, after the checks every capture gets. Raises FetchError."""
    current = exchange.url
    if exchange.status >= 400:
        raise FetchError(f"{current}: the server answered {exchange.status} {exchange.reason}; check the address "
                         "(nothing was stored)")
    payload = exchange.payload(recorder.max_bytes)
    mime = exchange.mime
    if mime and not mime.startswith(ACCEPTED_TYPES):
        raise FetchError(f"{current}: is {mime}, not a web page or a text or PDF document; download it and "
                         "store it with `rightsdesk capture --file` if it is needed")
    if mime != "application/pdf" and b"\x00" in payload[:8192]:
        raise FetchError(f"{current}: sent binary content, not a web page; download it and store it with "
                         "`rightsdesk capture --file` if it is needed")
    return Fetched(
        requested_url=url, final_url=current, status=exchange.status, headers=exchange.headers,
        content_type=exchange.content_type, payload=payload, payload_sha256=hashlib.sha256(payload).hexdigest(),
        redirects=redirects, peer=exchange.peer,
    )


def fetch(url: str, warc_file, *, max_bytes: int, timeout: float, allow_private: bool | None = None,
          info: dict | None = None, deadline: float | None = None, ca_bundle: str | None = None) -> Fetched:
    """Fetch `url` (following redirects) and write the WARC into the open binary `warc_file`:
    the plain fetch, without a browser."""
    recorder = Recorder(warc_file, max_bytes=max_bytes, timeout=timeout, deadline=deadline,
                        allow_loopback=allow_private, info=info, ca_bundle=ca_bundle)
    try:
        fetched = follow(recorder, url.strip())
        recorder.provenance(fetched.final_url, method="plain HTTP fetch (no browser)")
        return fetched
    finally:
        recorder.close()


# Headers of the browser's requests that the fetcher sets itself.
_NOT_FORWARDED = {"host", "content-length", "connection", "accept-encoding", "transfer-encoding", "keep-alive",
                  "proxy-connection", "upgrade", "te", "trailer"}


def write_resource(warc_file, *, uri: str, data: bytes, content_type: str, metadata: dict, info: dict | None = None):
    """A WARC for a file saved by hand: a resource record with its bytes and a metadata record
    saying how it came in."""
    writer = WARCWriter(warc_file, gzip=True, warc_version="1.1")
    warcinfo(writer, getattr(warc_file, "name", "saved.warc.gz").rsplit("/", 1)[-1], info)
    resource = writer.create_warc_record(uri, "resource", payload=BytesIO(data),
                                         warc_content_type=content_type or "application/octet-stream")
    writer.write_record(resource)
    meta = writer.create_warc_record(
        uri, "metadata", payload=BytesIO(json.dumps(metadata, indent=2, ensure_ascii=False).encode()),
        warc_content_type="application/json",
        warc_headers_dict={"WARC-Refers-To": resource.rec_headers.get_header("WARC-Record-ID")},
    )
    writer.write_record(meta)
