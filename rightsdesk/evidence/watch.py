"""Watched sources: addresses re-captured on a schedule (with the evidence desk's own capture
function), each check recorded in the custody log with what happened: unchanged, changed (the
text's difference kept for the admin), removed (404 or 410), the watched words gone, or
redirected elsewhere. A source found removed is flagged wherever it is cited: `removed_sources`
and `citing` below are the public functions other apps (and the admin) use for that."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils import timezone

from rightsdesk.newsroom.background import task

from . import custody
from .capture import CaptureError, actor_name, capture_url
from .models import Capture, WatchCheck, WatchedSource

State = WatchedSource.State
GONE_STATUS = re.compile(r"server answered (404|410)\b")


class WatchError(Exception):
    pass


@dataclass
class CheckResult:
    source: WatchedSource
    check: WatchCheck

    def as_dict(self):
        c = self.check
        return {"url": self.source.url, "outcome": c.outcome, "status": c.http_status, "final_url": c.final_url,
                "capture": c.capture_id, "custody_entry": c.custody_seq, "detail": c.detail}

    def line(self):
        c = self.check
        return f"{self.source.url}: {c.get_outcome_display().lower()}" + (f" ({c.detail})" if c.detail else "")


def add(url: str, *, every_hours: int = 24, watch_text: str = "", user=None) -> WatchedSource:
    url = (url or "").strip()
    if not url.startswith(("http://", "https://")):
        raise WatchError(f"{url or '(empty)'}: not a web address; give a full http:// or https:// URL")
    if every_hours < 1:
        raise WatchError("--every must be at least 1 hour")
    source, _ = WatchedSource.objects.update_or_create(
        url=url, defaults={"every_hours": every_hours, "watch_text": watch_text, "active": True,
                           "added_by_name": actor_name(user)})
    return source


def due(now=None):
    now = now or timezone.now()
    for source in WatchedSource.objects.filter(active=True).order_by("pk"):
        if source.last_checked is None or (now - source.last_checked).total_seconds() >= source.every_hours * 3600:
            yield source


def run_due(*, force=False, user=None) -> list[CheckResult]:
    sources = WatchedSource.objects.filter(active=True).order_by("pk") if force else list(due())
    return [check(source, user=user) for source in sources]


@task()
def check_due_task():
    """`rightsdesk watch` as a task of the tasks API. Returns the outcomes."""
    return [r.as_dict() for r in run_due()]


def _same_place(a: str, b: str) -> bool:
    x, y = urlsplit(a), urlsplit(b)
    return (x.hostname, x.path.rstrip("/") or "/", x.query) == (y.hostname, y.path.rstrip("/") or "/", y.query)


def _diff(old: str, new: str) -> str:
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), "before", "now", lineterm="", n=1)
    return "\n".join(list(lines)[:400])


def check(source: WatchedSource, *, user=None) -> CheckResult:
    """Capture the source now and record what changed."""
    previous = source.last_capture
    now = timezone.now()
    status, final_url, capture, detail, diff = None, "", None, "", ""
    try:
        result = capture_url(source.url, user=user, note=f"watched source check of {source.url}")
    except CaptureError as exc:
        message = str(exc)
        gone = GONE_STATUS.search(message)
        if gone:
            outcome, status, detail = State.GONE, int(gone.group(1)), f"HTTP {gone.group(1)}"
        else:
            outcome, detail = State.ERROR, message[:500]
    else:
        capture = result.capture
        event = result.event
        status, final_url = event.http_status, event.final_url or capture.final_url
        if final_url and not _same_place(final_url, source.url) and (
                previous is None or not _same_place(final_url, previous.final_url or source.url)):
            outcome, detail = State.REDIRECTED, f"now redirects to {final_url}"
        elif source.watch_text and _normalise(source.watch_text) not in _normalise(capture.text):
            outcome, detail = State.TEXT_REMOVED, "the watched words are no longer on the page"
            diff = _diff(previous.text, capture.text) if previous else ""
        elif previous is None or previous.pk == capture.pk:
            outcome = State.SAME
        else:
            diff = _diff(previous.text, capture.text)
            outcome = State.CHANGED if diff or previous.payload_sha256 != capture.payload_sha256 else State.SAME
            if not diff:
                detail = "the bytes changed, the extracted text did not"
    with custody.logged_transaction() as log:
        row = WatchCheck.objects.create(source=source, checked_at=now, outcome=outcome, http_status=status,
                                        final_url=final_url, capture=capture, previous_capture=previous, diff=diff,
                                        detail=detail)
        entry = log.append("watch", actor_name(user), url=source.url, outcome=str(outcome), status=status,
                           final_url=final_url or None, capture=capture.pk if capture else None,
                           previous_capture=previous.pk if previous else None, detail=detail or None,
                           **custody.actor_detail(user))
        row.custody_seq = entry["seq"]
        row.save(update_fields=["custody_seq"])
        source.last_checked, source.state = now, outcome
        if capture is not None and outcome != State.TEXT_REMOVED:
            source.last_capture = capture
        elif capture is not None and previous is None:
            source.last_capture = capture
        if outcome in (State.GONE, State.TEXT_REMOVED, State.REDIRECTED):
            source.removed_since = source.removed_since or now
        elif outcome in (State.SAME, State.CHANGED):
            source.removed_since = None
        source.save()
    return CheckResult(source, row)


def _normalise(text: str) -> str:
    return " ".join((text or "").split()).casefold()


# --- public: what is cited and has since been removed ------------------------------------


def removed_sources():
    """The watched sources found removed (gone, watched words removed, redirected elsewhere)."""
    return WatchedSource.objects.filter(state__in=[State.GONE, State.TEXT_REMOVED, State.REDIRECTED])


def status_for_capture(capture: Capture) -> WatchedSource | None:
    """The watched source a capture is of, when that source has been removed since."""
    urls = {u for u in (capture.requested_url, capture.final_url) if u}
    if not urls:
        return None
    return removed_sources().filter(url__in=urls).first()


def citing(source: WatchedSource):
    """(articles, figures) that cite a capture of this source: pages imported from it or whose
    facts-desk sources link it, and the figures those sources support."""
    from wagtail.models import Page

    captures = Capture.objects.filter(requested_url=source.url) | Capture.objects.filter(final_url=source.url)
    pages = Page.objects.filter(evidence_links__capture__in=captures).distinct()
    figures = []
    for capture in captures.prefetch_related("sources"):
        for src in capture.sources.all():
            for link in src.figure_links.select_related("figure"):
                figures.append(link.figure)
    return list(pages), list(dict.fromkeys(figures))


def removed_citations_for_page(page) -> list[WatchedSource]:
    """Removed sources behind a page (imported from them): the flag the editor and the admin show."""
    from .models import CaptureLink

    urls = set()
    for link in CaptureLink.objects.filter(page_id=page.pk).select_related("capture"):
        urls.update(u for u in (link.capture.requested_url, link.capture.final_url) if u)
    return list(removed_sources().filter(url__in=urls)) if urls else []
