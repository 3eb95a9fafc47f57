"""Capturing: fetch (or take a saved file), store the originals, extract the text, record the
event in the database and the custody log. What the CLI and the admin call.

Order of work, so that nothing is half-written: the WARC and the screenshot are written to
temporary files in the store and moved into place complete; the database rows and the custody
log entry are written in one transaction; if anything fails, the files this capture added are
removed again and the transaction is rolled back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from rightsdesk import __version__

from rightsdesk.newsroom import publishing

from . import browser as browser_module
from . import extract as extraction
from . import custody, fetch, media, screenshot  # trust: custody = log entry and rows together
from .models import Capture, CaptureEvent, CaptureMethod
from .store import StoreError, default_store

SYSTEM = "system"
SAVED_TYPES = {".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml", ".txt": "text/plain",
               ".text": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown", ".pdf": "application/pdf"}


class CaptureError(Exception):
    """A capture that could not be made; nothing was stored. The message says what to do."""


@dataclass
class Result:
    capture: Capture
    event: CaptureEvent
    stored: bool  # False: the same bytes were already stored; only the event was recorded


def actor_name(user=None) -> str:
    if user is not None and getattr(user, "is_authenticated", False):
        return user.get_username()
    return SYSTEM


def _cli_detail(user):
    return custody.actor_detail(user)  # trust: no OS account or host name in custody entries


def _software():
    return f"rightsdesk {__version__}"


def capture_url(url: str, *, user=None, note: str = "", screenshot_wanted: bool | None = None,
                max_bytes: int | None = None, timeout: float | None = None, browser: bool | None = None) -> Result:
    """Capture `url` and store it as evidence: in the capture browser when it is installed and
    wanted (`browser`, by default RIGHTSDESK_CAPTURE_BROWSER), otherwise by a plain fetch."""
    store = default_store()
    max_bytes = max_bytes or settings.RIGHTSDESK_CAPTURE_MAX_BYTES
    timeout = timeout or settings.RIGHTSDESK_CAPTURE_TIMEOUT
    actor = actor_name(user)
    captured_at = timezone.now()
    shots = _screenshots(screenshot_wanted)
    use_browser = (settings.RIGHTSDESK_CAPTURE_BROWSER if browser is None else browser) and bool(
        browser_module.chromium_path())
    rendered = None
    url = url.strip()
    try:
        with store.temporary(".warc.gz") as (handle, temp):
            info = {"operator": actor, "description": note} if note else {"operator": actor}
            recorder = fetch.Recorder(handle, max_bytes=max_bytes, timeout=timeout, info=info,
                                      deadline=settings.RIGHTSDESK_CAPTURE_DEADLINE,
                                      ca_bundle=settings.RIGHTSDESK_CAPTURE_CA_BUNDLE)
            try:
                fetch.web_address(url)
                if use_browser:
                    fetched, rendered = _in_browser(url, recorder, shots, captured_at, actor)
                else:
                    fetched = fetch.follow(recorder, url)
                    recorder.provenance(fetched.final_url, method="plain HTTP fetch (no browser)")
            except fetch.FetchError as exc:
                if recorder.write_error is not None:
                    raise recorder.write_error from None
                raise CaptureError(str(exc)) from None
            finally:
                recorder.close()
            if recorder.write_error is not None:
                raise recorder.write_error
            handle.close()
            existing = Capture.objects.filter(payload_sha256=fetched.payload_sha256).first()
            if existing:
                return _again(existing, actor, user, captured_at, fetched.requested_url, fetched.final_url,
                              fetched.status, note)
            warc = store.add_file(temp, ".warc.gz")
    except StoreError as exc:
        raise CaptureError(str(exc)) from None
    shot, shot_note = None, ""
    if rendered is not None and rendered.get("screenshot"):
        try:
            shot = store.add_bytes(rendered["screenshot"], ".png")
        except StoreError as exc:
            store.discard(warc)
            raise CaptureError(str(exc)) from None
    elif not shots:
        shot_note = "screenshots are turned off for this capture"
    elif rendered is not None and rendered.get("note"):
        shot_note = f"no screenshot: {rendered['note']}"
    elif rendered is not None and rendered.get("rendered"):
        shot_note = "no screenshot"
    elif not use_browser:
        shot, shot_note = _screenshot(store, fetched.final_url, fetched.payload, fetched.content_type,
                                      fetched.payload_sha256, captured_at, actor)
    else:
        shot_note = "no screenshot of a document that is not a web page"
    if rendered is not None and rendered.get("rendered"):
        text = _extract(rendered["dom"].encode("utf-8"), "text/html", fetched.final_url)
        text.method = f"rendered in chromium, then {text.method}"
    else:
        text = _extract(fetched.payload, fetched.content_type, fetched.final_url)
    fields = dict(
        method=CaptureMethod.FETCHED, requested_url=fetched.requested_url, final_url=fetched.final_url,
        redirects=fetched.redirects, http_status=fetched.status, http_headers=[list(h) for h in fetched.headers],
        content_type=fetched.content_type[:255], payload_sha256=fetched.payload_sha256,
        payload_size=len(fetched.payload),
    )
    return _store_new(store, fields, warc, shot, shot_note, text, actor, user, captured_at, note)


def _in_browser(url, recorder, shots, captured_at, actor):
    """Load the page once in the capture browser; the WARC gets every request and response of
    the visit, then the rendered page, its screenshot and its PDF print as resource records, the
    page's audio and video, and the provenance record. (Fetched, what the visit rendered)."""
    try:
        visit = browser_module.visit(url, recorder, want_screenshot=shots)
    except browser_module.BrowserError as exc:
        # The browser cannot be used here: the plain fetch still captures the page as served.
        fetched = fetch.follow(recorder, url)
        recorder.provenance(fetched.final_url, method="plain HTTP fetch (the browser could not be used)",
                            extra={"browser_error": str(exc)})
        return fetched, {"rendered": False, "note": str(exc)}
    if visit.main_error is not None:
        raise fetch.FetchError(str(visit.main_error))
    fetched = fetch.fetched_from(recorder, url, visit.main, visit.redirects)
    rendered = {"rendered": visit.rendered, "dom": visit.dom, "screenshot": None,
                "note": "; ".join(visit.notes) if not visit.rendered and visit.notes else ""}
    extra = {"browser": f"chromium {visit.browser_version} (Playwright; every request made by rightsdesk)",
             "viewport": browser_module.VIEWPORT, "notes": visit.notes}
    if visit.rendered:
        final = fetched.final_url
        main_id = visit.main.record_id
        extra["rendered_dom"] = {"uri": f"urn:dom:{final}",
                                 "sha256": hashlib.sha256(visit.dom.encode("utf-8")).hexdigest()}
        recorder.resource(f"urn:dom:{final}", visit.dom.encode("utf-8"), "text/html; charset=utf-8", main_id)
        if visit.screenshot:
            stamp = {"Creation Time": _iso(captured_at), "URL": final, "Payload SHA-256": fetched.payload_sha256,
                     "Captured by": f"{actor} with {_software()}"}
            png = screenshot.stamp_png(visit.screenshot, stamp)
            rendered["screenshot"] = png
            extra["screenshot"] = {"uri": f"urn:screenshot:{final}", "sha256": hashlib.sha256(png).hexdigest()}
            recorder.resource(f"urn:screenshot:{final}", png, "image/png", main_id)
        if visit.pdf:
            extra["pdf"] = {"uri": f"urn:pdf:{final}", "sha256": hashlib.sha256(visit.pdf).hexdigest()}
            recorder.resource(f"urn:pdf:{final}", visit.pdf, "application/pdf", main_id)
        media_limit = settings.RIGHTSDESK_CAPTURE_MEDIA_MAX_BYTES
        found = media.candidates(final, visit.media) if media_limit > 0 else []
        if found:
            extra["media"] = media.download(found, recorder, max_bytes=media_limit,
                                            ca_bundle=settings.RIGHTSDESK_CAPTURE_CA_BUNDLE)
    recorder.provenance(fetched.final_url, method="rendered in a browser", extra=extra,
                        refers_to=visit.main.record_id)
    return fetched, rendered


def capture_file(path: str, *, original_url: str = "", user=None, note: str = "",
                 screenshot_wanted: bool | None = None, max_bytes: int | None = None, data: bytes | None = None,
                 filename: str | None = None) -> Result:
    """Store a page someone saved by hand (HTML, text, Markdown or PDF), marked as such."""
    store = default_store()
    max_bytes = max_bytes or settings.RIGHTSDESK_CAPTURE_MAX_BYTES
    actor = actor_name(user)
    captured_at = timezone.now()
    filename = filename or Path(path).name
    suffix = Path(filename).suffix.lower()
    content_type = SAVED_TYPES.get(suffix)
    if content_type is None:
        raise CaptureError(f"{filename}: unsupported file type {suffix or '(none)'}; give a saved web page "
                           "(.html), a text (.txt, .md) or a PDF (.pdf)")
    if original_url:
        original_url = original_url.strip()
        try:
            fetch.web_address(original_url)
        except fetch.FetchError as exc:
            raise CaptureError(f"--url {exc}") from None
    if data is None:
        file = Path(path)
        if not file.is_file():
            raise CaptureError(f"{path}: no such file")
        if file.stat().st_size > max_bytes:
            raise CaptureError(f"{path}: the file is over the size limit of {max_bytes / 1e6:g} MB; raise it with "
                               "--max-bytes if it is really needed")
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CaptureError(f"{path}: cannot be read ({exc.strerror})") from None
    if not data:
        raise CaptureError(f"{filename}: the file is empty")
    if len(data) > max_bytes:
        raise CaptureError(f"{filename}: the file is over the size limit of {max_bytes / 1e6:g} MB")
    if content_type == "application/pdf" and not data.startswith(b"%PDF-"):
        raise CaptureError(f"{filename}: is not a PDF file (it does not start with %PDF-)")
    if content_type != "application/pdf" and b"\x00" in data[:8192]:
        raise CaptureError(f"{filename}: looks like a binary file, not a saved page or text")
    payload_sha = hashlib.sha256(data).hexdigest()
    uri = original_url or f"urn:sha256:{payload_sha}"
    existing = Capture.objects.filter(payload_sha256=payload_sha).first()
    if existing:
        return _again(existing, actor, user, captured_at, original_url, original_url, None, note)
    metadata = {"method": "saved by hand, then stored with rightsdesk", "original_url": original_url or None,
                "file_name": filename, "stored_by": actor, "stored_at": _iso(captured_at), "note": note or None}
    try:
        with store.temporary(".warc.gz") as (handle, temp):
            fetch.write_resource(handle, uri=uri, data=data, content_type=content_type, metadata=metadata,
                                 info={"operator": actor})
            handle.close()
            warc = store.add_file(temp, ".warc.gz")
    except StoreError as exc:
        raise CaptureError(str(exc)) from None
    shot, shot_note = None, "no screenshot of a saved text or PDF file"
    if content_type == "text/html":
        if not original_url:
            shot_note = "no screenshot: the original address was not given"
        elif _screenshots(screenshot_wanted):
            shot, shot_note = _screenshot(store, original_url, data, content_type, payload_sha, captured_at, actor)
        else:
            shot_note = "screenshots are turned off for this capture"
    text = _extract(data, content_type, original_url, filename)
    fields = dict(
        method=CaptureMethod.SAVED, requested_url=original_url, final_url=original_url, content_type=content_type,
        original_filename=filename[:255], payload_sha256=payload_sha, payload_size=len(data),
    )
    return _store_new(store, fields, warc, shot, shot_note, text, actor, user, captured_at, note)


def _screenshots(wanted):
    return settings.RIGHTSDESK_CAPTURE_SCREENSHOTS if wanted is None else wanted


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _screenshot(store, url, payload, content_type, payload_sha, captured_at, actor):
    stamp = {"Creation Time": _iso(captured_at), "URL": url, "Payload SHA-256": payload_sha,
             "Captured by": f"{actor} with {_software()}"}
    try:
        png = screenshot.take(url, payload, content_type, stamp=stamp)
    except screenshot.ScreenshotError as exc:
        return None, f"no screenshot: {exc}"
    try:
        return store.add_bytes(png, ".png"), ""
    except StoreError as exc:
        raise CaptureError(str(exc)) from None


def _extract(data, content_type, url, filename=""):
    try:
        return extraction.extract(data, content_type, url, filename)
    except extraction.ExtractionError as exc:
        return extraction.Extracted(method=str(exc))
    except Exception as exc:  # noqa: BLE001 (a damaged document must not lose the capture)
        return extraction.Extracted(method=f"no text extracted ({exc.__class__.__name__}: {exc})"[:255])


def _store_new(store, fields, warc, shot, shot_note, text, actor, user, captured_at, note) -> Result:
    try:
        with custody.logged_transaction(store) as log:  # trust: the rows and the log entry together or neither
            capture = Capture.objects.create(
                **fields, captured_at=captured_at, captured_by=user if actor != SYSTEM else None,
                captured_by_name=actor, software=_software(), note=note,
                warc_sha256=warc.sha256, warc_name=warc.name, warc_size=warc.size,
                screenshot_sha256=shot.sha256 if shot else "", screenshot_name=shot.name if shot else "",
                screenshot_note=shot_note[:255], title=text.title[:500], author=text.author[:255],
                published=text.date[:40], text=text.text, extraction=text.method[:255],
            )
            event = CaptureEvent.objects.create(
                capture=capture, captured_at=captured_at, captured_by_name=actor, stored=True, note=note,
                requested_url=capture.requested_url, final_url=capture.final_url, http_status=capture.http_status,
            )
            entry = log.append(
                "capture", actor, capture=capture.pk, stored=True, method=capture.method,
                url=capture.requested_url, final_url=capture.final_url, status=capture.http_status,
                captured_at=_iso(captured_at), payload_sha256=capture.payload_sha256,
                files={name: sha for _, name, sha in capture.originals()}, software=_software(),
                note=note or None, **_cli_detail(user),
            )
            event.custody_seq = entry["seq"]
            event.save(update_fields=["custody_seq"])
    except IntegrityError:
        # Someone stored the same bytes a moment ago: this becomes a second capture event.
        store.discard(warc)
        store.discard(shot)
        existing = Capture.objects.get(payload_sha256=fields["payload_sha256"])
        return _again(existing, actor, user, captured_at, fields["requested_url"], fields["final_url"],
                      fields.get("http_status"), note)
    except StoreError as exc:
        store.discard(warc)
        store.discard(shot)
        raise CaptureError(str(exc)) from None
    except BaseException:
        store.discard(warc)
        store.discard(shot)
        raise
    return Result(capture, event, stored=True)


def _again(capture, actor, user, captured_at, requested_url, final_url, status, note) -> Result:
    store = default_store()
    try:
        with custody.logged_transaction(store) as log:  # trust: the row and the log entry together or neither
            event = CaptureEvent.objects.create(
                capture=capture, captured_at=captured_at, captured_by_name=actor, stored=False, note=note,
                requested_url=requested_url or "", final_url=final_url or "", http_status=status,
            )
            entry = log.append(
                "capture", actor, capture=capture.pk, stored=False, url=requested_url or None,
                final_url=final_url or None, status=status, captured_at=_iso(captured_at),
                payload_sha256=capture.payload_sha256, software=_software(), note=note or None,
                detail="the same bytes were already stored; this capture event is recorded, nothing stored again",
                **_cli_detail(user),
            )
            event.custody_seq = entry["seq"]
            event.save(update_fields=["custody_seq"])
    except StoreError as exc:
        raise CaptureError(str(exc)) from None
    return Result(capture, event, stored=False)


def withdraw(capture: Capture, reason: str, *, user=None):
    """Mark a capture withdrawn (its originals stay stored and verifiable), and log it."""
    reason = (reason or "").strip()
    if not reason:
        raise CaptureError("give the reason for withdrawing the capture")
    if capture.withdrawn:
        raise CaptureError(f"capture {capture.pk} is already withdrawn")
    actor = actor_name(user)
    try:
        with custody.logged_transaction() as log:  # trust: the row and the log entry together or neither
            capture.withdrawn, capture.withdrawn_at = True, timezone.now()
            capture.withdrawn_by_name, capture.withdrawn_reason = actor, reason
            capture.save(update_fields=["withdrawn", "withdrawn_at", "withdrawn_by_name", "withdrawn_reason"])
            log.append("withdraw", actor, capture=capture.pk, payload_sha256=capture.payload_sha256,
                                   reason=reason, **_cli_detail(user))
            if capture.sources.exists():
                # Public entity pages cite it: they leave the site (and the mirror) with it.
                publishing.retract((), f"evidence.withdrawn:{capture.pk}")
    except StoreError as exc:
        raise CaptureError(str(exc)) from None


def log_view(capture: Capture, what: str, *, user=None):
    """Record in the custody log that someone opened or downloaded an original."""
    files = {name: sha for kind, name, sha in capture.originals() if kind == what or what == "all"}
    custody.record("view", actor_name(user), capture=capture.pk, payload_sha256=capture.payload_sha256,
                           files=files, **_cli_detail(user))
