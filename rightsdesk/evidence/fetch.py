"""Fetch a page and write what was said on the wire into a WARC file (warcio).

Every hop of a redirect chain is its own request/response pair in the WARC. The response records
keep the body as transferred (content encoding included); the payload hash is taken over the
document itself (content encoding undone), which is what `sha256sum` of the saved page gives.
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from urllib.parse import urljoin, urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from rightsdesk import __version__
from rightsdesk.net import error_reason as _reason

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


def check_address(url: str, allow_private: bool):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url}: not a web address; give a full http:// or https:// URL")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror:
        raise FetchError(f"{url}: the host name {parts.hostname} does not resolve; check the address") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            raise FetchError(f"{url}: refusing to capture an address on a private network ({address}); set "
                             "RIGHTSDESK_CAPTURE_ALLOW_PRIVATE=1 if this is intended")


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


def _read_raw(response, max_bytes: int, url: str) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise FetchError(_too_big(url, max_bytes))
    out, total = BytesIO(), 0
    while True:
        chunk = response.raw.read(65536, decode_content=False)
        if not chunk:
            break
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(_too_big(url, max_bytes))
        out.write(chunk)
    return out.getvalue()


def _peer(response) -> str:
    try:
        return response.raw.connection.sock.getpeername()[0]
    except Exception:  # noqa: BLE001 (the address is a nicety; urllib3 may not expose it)
        return ""


def _write_pair(writer: WARCWriter, response, hop: Hop, body: bytes, peer: str):
    request = response.request
    target = urlsplit(request.url)
    path = (target.path or "/") + (f"?{target.query}" if target.query else "")
    request_headers = [("Host", target.netloc), *request.headers.items()]
    stored_headers = [
        (f"X-Archive-Orig-{name}" if name.lower() == "transfer-encoding" else name, value)
        for name, value in hop.headers
    ]
    warc_headers = {"WARC-IP-Address": peer} if peer else {}
    resp_record = writer.create_warc_record(
        hop.url, "response", payload=BytesIO(body), warc_headers_dict=warc_headers,
        http_headers=StatusAndHeaders(f"{hop.status} {hop.reason}", stored_headers, protocol="HTTP/1.1"),
    )
    req_record = writer.create_warc_record(
        hop.url, "request", payload=BytesIO(b""),
        warc_headers_dict={"WARC-Concurrent-To": resp_record.rec_headers.get_header("WARC-Record-ID")},
        http_headers=StatusAndHeaders(f"{request.method} {path} HTTP/1.1", request_headers, protocol="HTTP/1.1"),
    )
    writer.write_record(req_record)
    writer.write_record(resp_record)


def fetch(url: str, warc_file, *, max_bytes: int, timeout: float, allow_private: bool,
          info: dict | None = None) -> Fetched:
    """Fetch `url` (following redirects) and write the WARC into the open binary `warc_file`."""
    import requests

    writer = WARCWriter(warc_file, gzip=True, warc_version="1.1")
    warcinfo(writer, getattr(warc_file, "name", "capture.warc.gz").rsplit("/", 1)[-1], info)
    session = requests.Session()
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,text/plain,"
                            "application/pdf;q=0.9,*/*;q=0.5"})
    redirects, current = [], url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            check_address(current, allow_private)
            try:
                response = session.get(current, stream=True, allow_redirects=False, timeout=(10, timeout))
            except requests.exceptions.Timeout:
                raise FetchError(f"{current}: the server did not answer within {timeout:g} s; try again later "
                                 "or raise --timeout") from None
            except requests.exceptions.InvalidURL:
                raise FetchError(f"{current}: not a valid web address; check it") from None
            except requests.exceptions.ConnectionError as exc:
                reason = _reason(exc)
                raise FetchError(f"{current}: could not connect ({reason}); check the address and that the "
                                 "site is up") from None
            with response:
                peer = _peer(response)
                hop = Hop(current, response.status_code, response.reason or "", list(response.raw.headers.items()))
                try:
                    raw = _read_raw(response, max_bytes, current)
                except requests.exceptions.RequestException as exc:
                    raise FetchError(f"{current}: the connection broke while reading ({_reason(exc)}); "
                                     "try again") from None
                _write_pair(writer, response, hop, raw, peer)
                if response.is_redirect:
                    hop.location = response.headers.get("Location", "")
                    redirects.append({"url": current, "status": hop.status, "location": hop.location})
                    current = urljoin(current, hop.location)
                    continue
                break
        else:
            raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects; check the address")
    finally:
        session.close()

    if hop.status >= 400:
        raise FetchError(f"{current}: the server answered {hop.status} {hop.reason}; check the address (nothing "
                         "was stored)")
    content_type = response.headers.get("Content-Type", "")
    mime = content_type.split(";")[0].strip().lower()
    payload = _decode_body(raw, response.headers.get("Content-Encoding", ""), max_bytes, current)
    if mime and not mime.startswith(ACCEPTED_TYPES):
        raise FetchError(f"{current}: is {mime}, not a web page or a text or PDF document; download it and "
                         "store it with `rightsdesk capture --file` if it is needed")
    if mime != "application/pdf" and b"\x00" in payload[:8192]:
        raise FetchError(f"{current}: sent binary content, not a web page; download it and store it with "
                         "`rightsdesk capture --file` if it is needed")
    return Fetched(
        requested_url=url, final_url=current, status=hop.status, headers=hop.headers, content_type=content_type,
        payload=payload, payload_sha256=hashlib.sha256(payload).hexdigest(), redirects=redirects, peer=peer,
    )


def write_resource(warc_file, *, uri: str, data: bytes, content_type: str, metadata: dict, info: dict | None = None):
    """A WARC for a file saved by hand: a resource record with its bytes and a metadata record
    saying how it came in."""
    import json

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
