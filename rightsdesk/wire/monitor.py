"""One check of the wire feeds: fetch, read, and turn each new item into a wire brief.

Each new item is written in its own transaction (the item and its brief, or nothing); the feed's
state (ETag, Last-Modified, last success or error) is saved at the end, and its ETag only when
every item was written, so an interrupted check is repeated in full next time.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from anyascii import anyascii
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from rightsdesk.newsroom.models import BriefPage

from . import similar
from .entries import FeedError, read_feed
from .fetch import FetchError, fetch
from .models import WireFeed, WireItem

logger = logging.getLogger(__name__)


@dataclass
class FeedReport:
    """What one check of one feed did."""

    feed: WireFeed
    new: int = 0
    grouped: int = 0
    seen: int = 0
    skipped: int = 0
    left: int = 0  # new items not written because of the per-run limit
    not_modified: bool = False
    error: str = ""
    briefs: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.error

    def line(self):
        """One line for people."""
        name = str(self.feed)
        if self.error:
            return f"{name}: {self.error}"
        if self.not_modified:
            return f"{name}: not modified since the last check"
        parts = [f"{self.new} new", f"{self.grouped} grouped as duplicate{'s' if self.grouped != 1 else ''}",
                 f"{self.seen} seen"]
        if self.skipped:
            parts.append(f"{self.skipped} skipped (no title or link)")
        if self.left:
            parts.append(f"{self.left} left for the next check (at most {settings.RIGHTSDESK_WIRE_MAX_ITEMS_PER_RUN} "
                         "new items per check, RIGHTSDESK_WIRE_MAX_ITEMS_PER_RUN)")
        return f"{name}: {', '.join(parts)}"

    def as_dict(self):
        return {
            "feed": self.feed.pk, "agency": self.feed.agency, "url": self.feed.url,
            "status": "error" if self.error else ("not-modified" if self.not_modified else "ok"),
            "new": self.new, "grouped": self.grouped, "seen": self.seen, "skipped": self.skipped, "left": self.left,
            "error": self.error or None, "briefs": [page.pk for page in self.briefs],
        }


def recent_stories():
    """The index of the recent items that head a group (those grouped into one are not needed)."""
    since = timezone.now() - dt.timedelta(days=settings.RIGHTSDESK_WIRE_GROUP_DAYS)
    index = similar.StoryIndex(settings.RIGHTSDESK_WIRE_DUPLICATE_THRESHOLD)
    rows = WireItem.objects.filter(seen_at__gte=since, duplicate_of__isnull=True).exclude(signature=b"")
    for pk, data in rows.values_list("pk", "signature"):
        index.add(pk, similar.from_bytes(data))
    return index


def check_feeds(feeds, on_report=None):
    """Check each feed in turn (one failing does not stop the others); a list of FeedReports,
    each also given to `on_report` as soon as its feed is done."""
    index, reports = recent_stories(), []
    for feed in feeds:
        reports.append(check_feed(feed, index))
        if on_report:
            on_report(reports[-1])
    return reports


def check_feed(feed, index=None):
    """Check one feed; errors are recorded on the feed and in the report, never raised, except a
    database that cannot be written at all (a full disk), which stops the whole run."""
    index = index if index is not None else recent_stories()
    report = FeedReport(feed)
    fetched = None
    try:
        if feed.section_id is None:
            raise FeedError("has no section to put its briefs in: choose one in Wire feeds")
        fetched = fetch(feed.url, feed.etag, feed.last_modified)
        if fetched.not_modified:
            report.not_modified = True
        else:
            entries, report.skipped = read_feed(fetched.content, fetched.content_type)
            limit = settings.RIGHTSDESK_WIRE_MAX_ITEMS_PER_RUN
            for number, entry in enumerate(entries):
                if report.new + report.grouped >= limit:
                    # A flood (a feed of 20,000 items) is taken in parts, one per check; the
                    # feed's ETag is not kept, so the next check reads it again and goes on.
                    report.left = len(entries) - number
                    break
                _add_entry(feed, entry, index, report)
    except (FetchError, FeedError) as exc:
        report.error = f"{exc}"
    except DatabaseError as exc:
        reason = " ".join(str(exc).split())
        report.error = f"could not save an item ({reason}): free disk space or check the database, then check again"
        _save_state(feed, report, fetched)
        raise
    _save_state(feed, report, fetched)
    return report


def _save_state(feed, report, fetched):
    now = timezone.now()
    feed.last_checked_at = now
    if report.error:
        feed.last_error = report.error
        feed.error_count += 1
    else:
        feed.last_error = ""
        feed.error_count = 0
        feed.last_success_at = now
        if fetched is not None and not fetched.not_modified and not report.left:
            feed.etag, feed.last_modified = fetched.etag[:500], fetched.last_modified[:100]
    try:
        WireFeed.objects.filter(pk=feed.pk).update(
            last_checked_at=feed.last_checked_at, last_error=feed.last_error, error_count=feed.error_count,
            last_success_at=feed.last_success_at, etag=feed.etag, last_modified=feed.last_modified,
        )
    except DatabaseError:
        if not report.error:
            raise
        logger.warning("could not record the error of %s", feed)


def _add_entry(feed, entry, index, report):
    """Write one entry: skip it when seen, group it when another agency has the story, otherwise
    make its brief. One transaction: the item and its brief are written together or not at all."""
    if WireItem.objects.filter(feed=feed, guid=entry.guid).exists() or WireItem.objects.filter(link=entry.link).exists():
        report.seen += 1
        return
    text = f"{entry.title} {entry.summary}"
    minhash = similar.signature(text) if similar.features(text) else None
    first = index.find(minhash) if minhash is not None else None
    try:
        with transaction.atomic():
            item = WireItem(feed=feed, guid=entry.guid, link=entry.link, title=entry.title,
                            published=entry.published, summary=entry.summary,
                            signature=similar.to_bytes(minhash) if minhash is not None else b"")
            if first is not None:
                item.duplicate_of_id = first
            else:
                item.brief = make_brief(feed, entry)
            item.save()
    except IntegrityError:
        report.seen += 1  # another monitor run wrote it just now
        return
    except ValidationError as exc:
        logger.warning("%s: item %s skipped: %s", feed, entry.link, exc)
        report.skipped += 1
        return
    if first is not None:
        report.grouped += 1
    else:
        report.new += 1
        report.briefs.append(item.brief)
        if minhash is not None:
            index.add(item.pk, minhash)


def make_brief(feed, entry):
    """A BriefPage under the feed's section, saved as a revision as an editor's would be, and
    published when the feed says so (otherwise a draft)."""

    section = feed.section
    page = BriefPage(
        title=entry.title,
        slug=_free_slug(section, entry.title),
        agency=feed.agency,
        original_url=entry.link,
        text=entry.summary or entry.title,
        date=entry.published,
        locale_id=section.locale_id,
        live=False,
    )
    section.add_child(instance=page)
    revision = page.save_revision(log_action=True)
    if feed.publish_new_items:
        revision.publish()
        page.refresh_from_db()
    return page


def _free_slug(parent, title):
    """A slug free among the section's pages; Persian titles are transliterated (anyascii)."""
    base = slugify(anyascii(title))[:80].strip("-") or "brief"
    candidate, n = base, 1
    while not Page._slug_is_available(candidate, parent):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def feeds_to_check(feed_id=None):
    """The active feeds, or the one asked for (active or not)."""
    if feed_id is not None:
        return list(WireFeed.objects.filter(pk=feed_id).select_related("section"))
    return list(WireFeed.objects.filter(active=True).select_related("section"))
