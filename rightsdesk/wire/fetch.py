"""Fetching a feed: a conditional GET with a clear User-Agent, timeouts and a size limit.

Every failure is a `FetchError` whose message says what happened and what to do; the caller
records it on the feed.
"""

import time
from dataclasses import dataclass
import requests
import urllib3
from django.conf import settings

from rightsdesk import __version__, net
from rightsdesk.net import error_reason as _reason

USER_AGENT = f"rightsdesk/{__version__} (+wire monitor)"
CHECK_URL = "check the URL in Wire feeds"

# Content types that are certainly not a feed (a feed may come as any XML or text type, or none).
_NOT_FEED_PREFIXES = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip",
                      "application/gzip", "application/octet-stream", "application/vnd.", "application/msword")


class FetchError(Exception):
    """A feed that could not be fetched or read; the message is one line for the editor."""


@dataclass
class Fetched:
    """The answer to one GET: `content` is None when the server said 304 Not Modified."""

    content: bytes | None
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self):
        return self.content is None


def _limit_text(limit):
    return f"{limit / 1_000_000:g} MB" if limit >= 1_000_000 else f"{limit:,} bytes"


def fetch(url, etag="", last_modified="", *, max_bytes=None, timeout=None):
    """GET `url`, sending If-None-Match / If-Modified-Since from the last good check."""
    max_bytes = max_bytes or settings.RIGHTSDESK_WIRE_MAX_BYTES
    timeout = timeout or settings.RIGHTSDESK_WIRE_TIMEOUT
    headers = {"User-Agent": USER_AGENT,
               "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    # The address policy of every server-side request (rightsdesk/net.py): public addresses only,
    # connected to the address checked, and a total deadline that shuts a trickling connection.
    guard = net.Guard(total_seconds=3 * timeout)
    session = net.session(guard)
    try:
        with session.get(url, headers=headers, timeout=(min(10, timeout), timeout), stream=True) as response:
            if response.status_code == 304:
                return Fetched(None, etag=etag, last_modified=last_modified)
            if response.status_code >= 300:
                reason = f"{response.status_code} {response.reason or ''}".strip()
                advice = "try again later" if response.status_code >= 500 else CHECK_URL
                raise FetchError(f"the server answered {reason}: {advice}")
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if content_type.startswith(_NOT_FEED_PREFIXES):
                raise FetchError(f"is not an RSS or Atom feed: the server sent {content_type}; {CHECK_URL}")
            too_big = f"is larger than the limit of {_limit_text(max_bytes)} (RIGHTSDESK_WIRE_MAX_BYTES): {CHECK_URL}"
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(too_big)
            body, deadline = bytearray(), time.monotonic() + 3 * timeout
            # read1: whatever has arrived (decompressed), so a trickle is noticed as it comes.
            while chunk := response.raw.read1(64 * 1024, decode_content=True):
                body += chunk
                if len(body) > max_bytes:
                    raise FetchError(too_big)
                if time.monotonic() > deadline:  # a server sending a trickle: each read in time, never done
                    raise FetchError(f"took more than {3 * timeout:g} seconds to send the feed: try again later")
            if guard.expired:  # the deadline shut the connection: what came is not the whole feed
                raise FetchError(f"took more than {3 * timeout:g} seconds to send the feed: try again later")
            return Fetched(bytes(body), content_type, response.headers.get("ETag", ""),
                           response.headers.get("Last-Modified", ""))
    except net.AddressRefused as exc:
        raise FetchError(f"{exc}: {CHECK_URL}") from None
    except requests.Timeout:
        raise FetchError(f"did not answer within {timeout:g} seconds: try again later, or {CHECK_URL}") from None
    except requests.ConnectionError as exc:
        raise FetchError(f"cannot connect ({_reason(exc)}): {CHECK_URL}, or try again later") from None
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        if guard.expired:
            raise FetchError(f"took more than {3 * timeout:g} seconds to send the feed: try again later") from None
        raise FetchError(f"cannot fetch it ({_reason(exc)}): {CHECK_URL}") from None
    except ValueError:
        raise FetchError(f"is not a valid web address: {CHECK_URL}") from None
    finally:
        guard.close()
        session.close()

