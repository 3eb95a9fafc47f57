"""Trusted timestamps (RFC 3161) from the timestamp authorities the organisation configures.

What is stamped is a custody log entry's hash: the SHA-256 of the entry's canonical bytes, so the
token's message imprint *is* the entry's `hash`. A capture's entry holds all its hashes (payload,
WARC, screenshot), its address and time; the log's latest entry, stamped daily, anchors the
whole chain before it outside the organisation.

Nothing waits for an authority: a capture is stored at once and stamped after its transaction
commits (in the background in a server); one that could not be stamped (no authority answered)
stays *pending* and `rightsdesk timestamp --pending` (cron, or the worker's task) stamps it later.
Each token is kept in the evidence store (`objects/…/<sha256>.tsr`, the authority's whole
TimeStampResp), recorded in the database and in the custody log, and checked by `verify`.

Settings (environment): RIGHTSDESK_TSA_URLS (one or more addresses, separated by spaces or
commas), RIGHTSDESK_TSA_CERTS (a PEM file with the authorities' root and intermediate
certificates, to check tokens), RIGHTSDESK_TSA_TIMEOUT (seconds, default 10).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from dataclasses import dataclass

from django.conf import settings

from rightsdesk.newsroom.background import task

from . import custody
from .models import CaptureEvent, TimestampToken
from .store import StoreError, canonical, default_store

log = logging.getLogger(__name__)


class TimestampError(Exception):
    pass


def authorities() -> list[str]:
    raw = getattr(settings, "RIGHTSDESK_TSA_URLS", "") or ""
    if isinstance(raw, (list, tuple)):
        return [u for u in raw if u]
    return [u for u in raw.replace(",", " ").split() if u]


def _entry_bytes(entry: dict) -> bytes:
    return canonical({k: v for k, v in entry.items() if k != "hash"})


def request_token(url: str, entry: dict) -> bytes:
    """Ask one authority for a token over the entry; return the TimeStampResp bytes."""
    import requests
    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder, decode_timestamp_response

    request = (TimestampRequestBuilder().data(_entry_bytes(entry)).hash_algorithm(HashAlgorithm.SHA256)
               .cert_request(cert_request=True).build())
    timeout = float(getattr(settings, "RIGHTSDESK_TSA_TIMEOUT", 10))
    try:
        response = requests.post(url, data=request.as_bytes(), timeout=timeout,
                                 headers={"Content-Type": "application/timestamp-query"})
    except requests.RequestException as exc:
        from rightsdesk.net import error_reason

        raise TimestampError(f"{url}: no answer ({error_reason(exc)})") from None
    if response.status_code != 200:
        raise TimestampError(f"{url}: answered HTTP {response.status_code}")
    try:
        parsed = decode_timestamp_response(response.content)
    except ValueError as exc:
        raise TimestampError(f"{url}: not a timestamp response ({exc})") from None
    if parsed.status not in (0, 1):
        raise TimestampError(f"{url}: refused the request (status {parsed.status})")
    if parsed.tst_info.message_imprint.message != bytes.fromhex(entry["hash"]):
        raise TimestampError(f"{url}: the token is for another hash")
    if request.nonce is not None and parsed.tst_info.nonce != request.nonce:
        raise TimestampError(f"{url}: the token's nonce is not the request's")
    return response.content


@dataclass
class Stamped:
    authority: str
    token: TimestampToken | None
    error: str = ""


def stamp_entry(entry: dict, subject: str, *, capture_id=None, only=None) -> list[Stamped]:
    """Get a token for `entry` from every configured authority that has not given one yet."""
    from rfc3161_client import decode_timestamp_response

    store = default_store()
    done = set(TimestampToken.objects.filter(custody_seq=entry["seq"]).values_list("authority", flat=True))
    results = []
    for url in only or authorities():
        if url in done:
            continue
        try:
            token_bytes = request_token(url, entry)
        except TimestampError as exc:
            results.append(Stamped(url, None, str(exc)))
            continue
        gen_time = decode_timestamp_response(token_bytes).tst_info.gen_time
        if gen_time.tzinfo is None:
            gen_time = gen_time.replace(tzinfo=dt.timezone.utc)
        try:
            stored = store.add_bytes(token_bytes, ".tsr")
            with custody.logged_transaction(store) as writer:
                token = TimestampToken.objects.create(
                    subject=subject, capture_id=capture_id, custody_seq=entry["seq"], digest=entry["hash"],
                    authority=url, token_name=stored.name, token_sha256=stored.sha256, gen_time=gen_time)
                writer.append("timestamp", custody.SYSTEM, stamped=entry["seq"], subject=subject, capture=capture_id,
                              digest=entry["hash"], authority=url, token=stored.name, token_sha256=stored.sha256,
                              gen_time=gen_time.isoformat().replace("+00:00", "Z"))
        except StoreError as exc:
            results.append(Stamped(url, None, str(exc)))
            continue
        results.append(Stamped(url, token))
    return results


def _entries_by_seq(seqs):
    wanted = set(seqs)
    found = {}
    if not wanted:
        return found
    for _, _, entry in default_store().entries():
        if entry and entry.get("seq") in wanted:
            found[entry["seq"]] = entry
    return found


def pending():
    """(event, missing authorities) of every stored capture not yet stamped by every authority."""
    urls = authorities()
    if not urls:
        return []
    events = list(CaptureEvent.objects.filter(stored=True, custody_seq__isnull=False).order_by("pk"))
    have = {}
    for seq, url in TimestampToken.objects.filter(subject="capture").values_list("custody_seq", "authority"):
        have.setdefault(seq, set()).add(url)
    return [(e, [u for u in urls if u not in have.get(e.custody_seq, set())]) for e in events
            if set(urls) - have.get(e.custody_seq, set())]


def stamp_pending() -> dict:
    """Stamp every capture still waiting for a token. Returns counts."""
    waiting = pending()
    entries = _entries_by_seq(e.custody_seq for e, _ in waiting)
    stamped = failed = 0
    errors = []
    for event, missing in waiting:
        entry = entries.get(event.custody_seq)
        if entry is None:
            continue
        for result in stamp_entry(entry, "capture", capture_id=event.capture_id, only=missing):
            if result.token:
                stamped += 1
            else:
                failed += 1
                errors.append(result.error)
    return {"stamped": stamped, "failed": failed, "still_pending": len(pending()), "errors": sorted(set(errors))}


def stamp_log() -> dict:
    """Stamp the custody log's latest entry with every authority (run daily)."""
    store = default_store()
    with store.locked():
        custody.check_binding(store)
        entry = store.last_entry()
    if entry is None:
        raise TimestampError("the custody log is empty: there is nothing to stamp yet")
    results = stamp_entry(entry, "log")
    return {"entry": entry["seq"], "stamped": [r.authority for r in results if r.token],
            "errors": [r.error for r in results if not r.token]}


def stamp_capture_entry_soon(entry: dict, capture_id: int):
    """After a capture's transaction commits: stamp its entry now, in the background in a server
    (RIGHTSDESK_TIMESTAMP_BACKGROUND), leaving it pending when no authority answers."""
    if not authorities():
        return

    def work():
        try:
            stamp_entry(entry, "capture", capture_id=capture_id)
        except Exception:  # noqa: BLE001 (it stays pending; `timestamp --pending` retries)
            log.exception("timestamping custody entry %s failed; it stays pending", entry.get("seq"))
        finally:
            if threading.current_thread() is not threading.main_thread():
                from django.db import connection

                connection.close()

    if getattr(settings, "RIGHTSDESK_TIMESTAMP_BACKGROUND", True):
        try:
            # A task of the project's tasks API (`rightsdesk worker`); it is already after the commit.
            stamp_capture_task.enqueue(entry["seq"], capture_id)
        except Exception:  # noqa: BLE001 (no task backend: a thread of this process; pending if it dies)
            threading.Thread(target=work, name="rightsdesk-timestamp", daemon=True).start()
    else:
        work()


@task()
def stamp_capture_task(seq: int, capture_id: int):
    """Stamp a capture's custody entry (safe to run twice: an authority that already gave a token
    is not asked again). Returns the number of tokens made."""
    entry = _entries_by_seq([seq]).get(seq)
    if entry is None:
        return 0
    return sum(1 for r in stamp_entry(entry, "capture", capture_id=capture_id) if r.token)


@task()
def stamp_pending_task():
    """`rightsdesk timestamp --pending` as a task."""
    return stamp_pending()


@task()
def stamp_log_task():
    """`rightsdesk timestamp --log` as a task (daily)."""
    return stamp_log()


def _after_entry(entry):
    if entry.get("action") == "capture" and entry.get("stored") and isinstance(entry.get("capture"), int):
        return lambda: stamp_capture_entry_soon(entry, entry["capture"])
    return None


custody.ENTRY_HOOKS.append(_after_entry)


# --- verification --------------------------------------------------------------------------


def _roots():
    from cryptography import x509

    path = getattr(settings, "RIGHTSDESK_TSA_CERTS", "") or ""
    if not path:
        return []
    try:
        with open(path, "rb") as handle:
            return x509.load_pem_x509_certificates(handle.read())
    except (OSError, ValueError):
        return None


def check_tokens(store, facts, result):
    """verify's part: every token file intact, for the hash of the entry it names, signed by an
    authority whose certificate chains to RIGHTSDESK_TSA_CERTS; every token the log records is
    still in the database."""
    from rfc3161_client import VerificationError, VerifierBuilder, decode_timestamp_response

    from .store import sha256_file
    from .verify import Problem

    roots = _roots()
    if roots is None:
        result.problems.append(Problem("unreadable", "RIGHTSDESK_TSA_CERTS",
                                       "the authorities' certificates cannot be read: fix the setting"))
        roots = []
    logged = {}
    for _, _, entry in store.entries():
        if entry and entry.get("action") == "timestamp" and isinstance(entry.get("stamped"), int) \
                and entry.get("seq") not in facts.voided and entry.get("seq") in facts.entries:
            logged[(entry["stamped"], entry.get("authority"))] = entry
    count = 0
    for token in TimestampToken.objects.order_by("pk").iterator():
        count += 1
        item = f"timestamp of custody entry {token.custody_seq} by {token.authority}"
        logged.pop((token.custody_seq, token.authority), None)
        path = store.path(token.token_name)
        if not path.is_file():
            result.problems.append(Problem("missing", item, f"the token file {token.token_name} is gone"))
            continue
        if sha256_file(path) != token.token_sha256:
            result.problems.append(Problem("altered", item, f"the token file {token.token_name} was changed"))
            continue
        if facts.entries.get(token.custody_seq) != token.digest:
            result.problems.append(Problem("mismatch", item, "the token is not for the hash of that custody entry "
                                           "as it stands in the log"))
        try:
            response = decode_timestamp_response(path.read_bytes())
        except ValueError:
            result.problems.append(Problem("damaged", item, "the token cannot be read"))
            continue
        if response.tst_info.message_imprint.message != bytes.fromhex(token.digest):
            result.problems.append(Problem("mismatch", item, "the token stamps another hash"))
            continue
        if roots:
            try:
                builder = VerifierBuilder()
                for root in roots:
                    builder = builder.add_root_certificate(root)
                builder.build().verify(response, bytes.fromhex(token.digest))
            except (VerificationError, ValueError) as exc:
                result.problems.append(Problem("unsigned", item, f"the authority's signature does not verify ({exc})"))
    for (seq, authority), entry in sorted(logged.items(), key=lambda kv: kv[0][0]):
        result.problems.append(Problem("deleted", f"timestamp of custody entry {seq} by {authority}",
                                       f"the custody log records it (entry {entry['seq']}); the database has no such "
                                       "token"))
    result.tokens = count
    if count and not roots:
        result.notes.append(f"{count} timestamp token(s) matched their entries; their signatures were not checked: set "
                            "RIGHTSDESK_TSA_CERTS to the authorities' certificates")
    waiting = len(pending())
    if waiting:
        result.notes.append(f"{waiting} capture(s) wait for a timestamp: run `rightsdesk timestamp --pending`")


def token_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
