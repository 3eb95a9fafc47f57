"""The one address policy for every request the server makes (evidence capture, the capture
browser's own requests, media downloads, the wire monitor), and small helpers for their errors.

What it promises:

- A host name is resolved **once**, when the connection is made, and every address it resolves
  to must be public: loopback, private (RFC 1918, ULA), link-local, shared address space
  (100.64.0.0/10, carrier-grade NAT), multicast, unspecified, reserved and documentation ranges
  are refused, and so are IPv6 addresses that carry one of those IPv4 addresses (IPv4-mapped,
  NAT64, 6to4, Teredo).
- The connection goes to the very address that was checked (urllib3's own connect resolves
  again; the `Guard`'s connections never do), so a DNS answer that changes between the check
  and the connection (DNS rebinding) cannot reach the organisation's network.
- Proxies from the environment are never used (they would connect on our behalf unchecked).
- A `Guard` carries a total deadline: when it passes, every socket still open through it is shut,
  so a server sending one byte at a time cannot hold a capture for minutes.

Loopback only (127.0.0.0/8, ::1), never the other private ranges, is allowed when the setting
``RIGHTSDESK_FETCH_ALLOW_LOOPBACK`` is on: the tests and the demo serve pages from 127.0.0.1.
It is off by default and production's deploy check refuses it.

Why not a library: advocate (the known requests wrapper for this) was last released in 2020 and
does not support urllib3 2; requests-safe neither. This module is urllib3's own connection
classes with `_new_conn` replaced, about a hundred lines.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

# Tests replace this with a resolver of their own (e.g. one that answers differently each time).
resolver = socket.getaddrinfo

_ENCODING_DER = 2  # _ssl.ENCODING_DER
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


class AddressRefused(Exception):
    """A request to an address the policy does not allow; the message is one line."""


def error_reason(exc):
    """The innermost, most readable reason of a requests/urllib3 error (e.g. "Connection refused"),
    for one-line messages."""
    inner = exc
    while inner.__context__ is not None or getattr(inner, "reason", None) is not None:
        nxt = getattr(inner, "reason", None) or inner.__context__
        if nxt is inner or not isinstance(nxt, BaseException):
            break
        inner = nxt
    text = getattr(inner, "strerror", None) or str(inner) or type(inner).__name__
    return " ".join(str(text).split())[:200]


def refused_because(address) -> str | None:
    """Why `address` (an ipaddress object or a string) is not a public address, or None."""
    ip = ipaddress.ip_address(str(address).split("%")[0]) if not isinstance(
        address, (ipaddress.IPv4Address, ipaddress.IPv6Address)) else address
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and (ip in _NAT64 or ip in _NAT64_LOCAL):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = refused_because(embedded)
            return f"{inner} inside an IPv6 address" if inner else None
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.version == 4 and ip in _SHARED:
        return "a shared (carrier-grade NAT) address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        return "not a public address"
    return None


def loopback_allowed() -> bool:
    """The setting RIGHTSDESK_FETCH_ALLOW_LOOPBACK (off when Django is not configured)."""
    try:
        from django.conf import settings

        return bool(getattr(settings, "RIGHTSDESK_FETCH_ALLOW_LOOPBACK", False))
    except Exception:  # noqa: BLE001 (no Django settings: the strict default)
        return False


def resolve(host: str, port: int, *, allow_loopback: bool | None = None) -> list[str]:
    """The addresses of `host`, resolved once, all of them checked; raises AddressRefused."""
    allow = loopback_allowed() if allow_loopback is None else allow_loopback
    host = (host or "").strip("[]").rstrip(".")
    if not host:
        raise AddressRefused("no host name in the address")
    try:
        infos = resolver(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise AddressRefused(f"the host name {host} does not resolve; check the address") from None
    addresses = []
    for info in infos:
        text = info[4][0].split("%")[0]
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise AddressRefused(f"the host name {host} does not resolve; check the address")
    for text in addresses:
        ip = ipaddress.ip_address(text)
        reason = refused_because(ip)
        if reason and not (allow and ip.is_loopback):
            shown = host if host == text else f"{host} ({text})"
            raise AddressRefused(f"refusing to connect to {shown}: {reason} (the server's own or a private "
                                 "network); rightsdesk only fetches public addresses")
    return addresses


class Guard:
    """One fetching job's policy: loopback allowed or not, a total deadline, the sockets open
    through it (shut when the deadline passes), and what each connection reached."""

    def __init__(self, *, allow_loopback: bool | None = None, total_seconds: float | None = None):
        self.allow_loopback = loopback_allowed() if allow_loopback is None else allow_loopback
        self.total_seconds = total_seconds
        self.deadline = time.monotonic() + total_seconds if total_seconds else None
        self._sockets: set = set()
        self._lock = threading.Lock()
        self._timer = None
        self.expired = False
        if self.deadline is not None:
            self._timer = threading.Timer(total_seconds, self._expire)
            self._timer.daemon = True
            self._timer.start()

    def remaining(self) -> float | None:
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def check_time(self):
        if self.expired or (self.deadline is not None and time.monotonic() >= self.deadline):
            self.expired = True
            raise DeadlinePassed(self.total_seconds)

    def _expire(self):
        self.expired = True
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def track(self, sock):
        with self._lock:
            self._sockets.add(sock)
        if self.expired:
            self._expire()

    def close(self):
        if self._timer is not None:
            self._timer.cancel()

    def connect(self, host: str, port: int, timeout, source_address=None, socket_options=None):
        """A socket connected to one of the checked addresses of host:port (no second lookup)."""
        self.check_time()
        addresses = resolve(host, port, allow_loopback=self.allow_loopback)
        remaining = self.remaining()
        if remaining is not None:
            timeout = remaining if timeout is None or not isinstance(timeout, (int, float)) else min(timeout, remaining)
        error = None
        for address in addresses:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                for option in socket_options or ():
                    sock.setsockopt(*option)
                if isinstance(timeout, (int, float)):
                    sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect((address, port))
                self.track(sock)
                return sock, address
            except OSError as exc:
                error = exc
                sock.close()
        raise error or OSError("no address to connect to")


class DeadlinePassed(Exception):
    def __init__(self, seconds):
        self.seconds = seconds
        super().__init__(f"did not finish within the total time limit of {seconds:g} s")


class _GuardedMixin:
    guard: Guard = None  # set on the per-guard subclass
    peer_address = ""

    def _new_conn(self):
        try:
            sock, self.peer_address = self.guard.connect(self._dns_host, self.port, self.timeout,
                                                         self.source_address, self.socket_options)
        except socket.timeout as exc:
            raise urllib3.exceptions.ConnectTimeoutError(self, f"Connection to {self.host} timed out") from exc
        except OSError as exc:
            raise urllib3.exceptions.NewConnectionError(self, f"Failed to establish a new connection: {exc}") from exc
        return sock

    @property
    def peer_certificates(self) -> list[bytes]:
        """The certificate chain the server presented (DER, leaf first), when this is TLS."""
        sock = getattr(self, "sock", None)
        sslobj = getattr(sock, "_sslobj", None)
        chain = []
        with contextlib.suppress(Exception):
            # Python 3.11 has these as private methods (public from 3.13).
            chain = [cert.public_bytes(_ENCODING_DER) for cert in sslobj.get_unverified_chain() or []]
        if not chain and sock is not None and hasattr(sock, "getpeercert"):
            with contextlib.suppress(Exception):
                leaf = sock.getpeercert(binary_form=True)
                chain = [leaf] if leaf else []
        return chain


def guard_poolmanager(manager, guard: Guard):
    """Make every connection of a urllib3 PoolManager go through `guard`."""
    http_conn = type("GuardedHTTPConnection", (_GuardedMixin, HTTPConnection), {"guard": guard})
    https_conn = type("GuardedHTTPSConnection", (_GuardedMixin, HTTPSConnection), {"guard": guard})
    manager.pool_classes_by_scheme = {
        "http": type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
        "https": type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
    }
    manager.clear()
    return manager


def session(guard: Guard | None = None, *, ca_bundle: str | None = None):
    """A requests Session whose every connection goes through the address policy (`guard`, or a
    new one with the default settings); environment proxies are ignored."""
    import requests
    from requests.adapters import HTTPAdapter

    guard = guard or Guard()

    class GuardedAdapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            guard_poolmanager(self.poolmanager, guard)

        def proxy_manager_for(self, proxy, **proxy_kwargs):
            raise AddressRefused("proxies are not used for server-side requests")

    s = requests.Session()
    s.trust_env = False
    s.proxies = {}
    adapter = GuardedAdapter(max_retries=0)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    if ca_bundle:
        s.verify = ca_bundle
    s.guard = guard
    return s


def connection_of(response):
    """The urllib3 connection a streamed requests response came on (before its body is read)."""
    return getattr(getattr(response, "raw", None), "connection", None) or getattr(
        getattr(response, "raw", None), "_connection", None)
