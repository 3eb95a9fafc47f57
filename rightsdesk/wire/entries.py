"""Reading a fetched feed with feedparser: the entries as plain data, or a `FeedError`."""

import calendar
import re
import datetime as dt
from dataclasses import dataclass
from html import unescape

import feedparser
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.html import strip_tags

from rightsdesk.newsroom.bidi import strip_bidi_controls
from rightsdesk.newsroom.selectors import excerpt

from .fetch import CHECK_URL


class FeedError(Exception):
    """Content that is not a usable RSS or Atom feed; the message is one line for the editor."""


@dataclass
class Entry:
    """One feed entry, reduced to what a brief needs."""

    guid: str
    link: str
    title: str
    summary: str
    published: dt.datetime


def plain_text(html):
    """Text of an HTML fragment: tags removed, entities decoded, whitespace collapsed."""
    return " ".join(unescape(strip_tags(html or "")).split())


def _date(entry):
    """The entry's date (published, else updated), never later than now: a brief dated in the
    future would stay on top of the lists."""
    now = timezone.now()
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return min(dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.timezone.utc), now)
    return now


def _valid_link(link):
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        return False
    return len(link) <= 1000


def _is_binary(content):
    head = content[:1024]
    return b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def _bozo_reason(parsed, content, content_type):
    """Why feedparser could not read `content`, in words: "not readable as XML: no element found"."""
    if content_type == "text/html" or content.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html")):
        return "it is a web page (look on it for the address of its RSS or Atom feed)"
    reason = " ".join(str(parsed.get("bozo_exception", "")).split())
    reason = re.sub(r"^<unknown>:\d+:\d+: ", "", reason)  # drop the parser position prefix "<unknown>:2:59: "
    return f"not readable as XML: {reason[:200]}" if reason else "unreadable"


def read_feed(content, content_type=""):
    """(entries, skipped): the entries with a title and a usable link, and how many lacked one."""
    if not content.strip():
        raise FeedError(f"is not an RSS or Atom feed: the server sent an empty answer; {CHECK_URL}")
    if _is_binary(content):
        raise FeedError(f"is not an RSS or Atom feed: binary content; {CHECK_URL}")
    parsed = feedparser.parse(content, response_headers={"content-type": content_type} if content_type else None)
    if not parsed.entries:
        if parsed.bozo:
            raise FeedError(f"is not an RSS or Atom feed: {_bozo_reason(parsed, content, content_type)}; {CHECK_URL}")
        if not parsed.get("version"):
            raise FeedError(f"is not an RSS or Atom feed: no <rss> or <feed> element; {CHECK_URL}")
    entries, skipped = [], 0
    words = settings.RIGHTSDESK_WIRE_EXCERPT_WORDS
    for item in parsed.entries:
        title = strip_bidi_controls(plain_text(item.get("title")))
        link = (item.get("link") or "").strip()
        if not title or not _valid_link(link):
            skipped += 1
            continue
        body = item.get("summary") or ""
        if not body and item.get("content"):
            body = item.content[0].get("value", "")
        entries.append(Entry(
            guid=(item.get("id") or link).strip()[:1000],
            link=link,
            title=title[:255],
            summary=excerpt(plain_text(body), words),
            published=_date(item),
        ))
    return entries, skipped
