"""`rightsdesk verify`: recompute the hash of every stored original and walk the custody log's
hash chain; name every altered, missing, damaged or reordered item."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .store import GENESIS, Store, StoreError, entry_hash_matches, sha256_file


@dataclass
class Problem:
    kind: str  # altered, missing, damaged, reordered, mismatch, unlogged, deleted, refused, rolled-back
    item: str  # what it is about: "custody log line 7", "capture 12 WARC objects/ab/…"
    message: str


@dataclass
class Result:
    captures: int = 0
    files: int = 0
    entries: int = 0
    tokens: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    trusted_log: bool = True  # False: the log is damaged or not this database's; nothing is written into it

    @property
    def ok(self):
        return not self.problems

    def as_dict(self):
        return {"ok": self.ok, "checked": {"captures": self.captures, "files": self.files,
                                           "custody_entries": self.entries, "timestamp_tokens": self.tokens},
                "problems": [asdict(p) for p in self.problems], "notes": self.notes}

    def human_lines(self):
        lines = [f"{p.kind.upper()}: {p.item}: {p.message}" for p in self.problems]
        lines += [f"note: {n}" for n in self.notes]
        summary = (f"{self.captures} capture{'s' if self.captures != 1 else ''}, {self.files} stored "
                   f"file{'s' if self.files != 1 else ''}, {self.entries} custody log entr"
                   f"{'ies' if self.entries != 1 else 'y'}")
        if self.tokens:
            summary += f", {self.tokens} timestamp token{'s' if self.tokens != 1 else ''}"
        if self.ok:
            lines.append(f"OK: {summary} verified; every hash matches and the custody log's chain is unbroken.")
        else:
            lines.append(f"FAILED: {len(self.problems)} problem{'s' if len(self.problems) != 1 else ''} in {summary}.")
        return lines


@dataclass
class LogFacts:
    """What the custody log says, for the comparison with the database."""

    first: dict | None = None
    last: dict | None = None
    captures: dict = field(default_factory=dict)  # seq -> capture entry (hash intact, not voided)
    stored: dict = field(default_factory=dict)  # capture id -> its latest "stored" capture entry
    withdrawals: dict = field(default_factory=dict)  # capture id -> withdraw entry
    voided: set = field(default_factory=set)
    entries: dict = field(default_factory=dict)  # seq -> hash, of every intact entry
    altered: set = field(default_factory=set)  # seqs and capture ids of altered entries (already reported)


def walk_log(store: Store, result: Result) -> LogFacts:
    """Check the chain and collect what the log records about captures."""
    expected_prev, expected_seq = GENESIS, 1
    facts = LogFacts()
    captures, withdrawals = [], []
    for number, raw, entry in store.entries():
        result.entries += 1
        where = f"custody log line {number}"
        if entry is None or not all(k in entry for k in ("seq", "hash", "prev", "action")):
            result.problems.append(Problem("damaged", where, "not a readable log entry (the line was altered or cut)"))
            result.trusted_log = False
            expected_seq += 1
            continue
        where = f"custody log line {number} (entry {entry['seq']}, {entry['action']})"
        intact = entry_hash_matches(entry)
        if not intact:
            result.problems.append(Problem("altered", where, "its content no longer matches its hash"))
            result.trusted_log = False
        if entry["prev"] != expected_prev or entry["seq"] != expected_seq:
            result.problems.append(Problem(
                "reordered", where,
                f"does not follow the entry before it (expected entry {expected_seq}): an entry was removed, "
                "inserted or moved",
            ))
            result.trusted_log = False
        expected_prev = entry["hash"]
        expected_seq = entry["seq"] + 1 if isinstance(entry["seq"], int) else expected_seq + 1
        if facts.first is None:
            facts.first = entry
        facts.last = entry
        if not intact:
            facts.altered.add(("seq", entry["seq"]))
            facts.altered.add(("capture", entry.get("capture")))
            continue
        facts.entries[entry["seq"]] = entry["hash"]
        action = entry["action"]
        if action == "capture" and isinstance(entry.get("capture"), int):
            captures.append(entry)
        elif action == "withdraw" and isinstance(entry.get("capture"), int):
            withdrawals.append(entry)
        elif action == "void" and isinstance(entry.get("voids"), int):
            facts.voided.add(entry["voids"])
    for entry in captures:
        if entry["seq"] in facts.voided:
            continue
        facts.captures[entry["seq"]] = entry
        if entry.get("stored"):
            facts.stored[entry["capture"]] = entry
    for entry in withdrawals:
        if entry["seq"] not in facts.voided:
            facts.withdrawals[entry["capture"]] = entry
    if facts.voided:
        result.notes.append(f"{len(facts.voided)} custody log entr{'ies were' if len(facts.voided) != 1 else 'y was'} "
                            f"voided (e.g. entry {min(facts.voided)}): written by a transaction that did not commit")
    return facts


def _iso(moment) -> str:
    import datetime as dt

    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _compare_capture(capture, entry, result):
    """The database row says what the log recorded when it was stored."""
    differences = []
    recorded = {name: sha for _, name, sha in capture.originals()}
    if entry.get("payload_sha256") != capture.payload_sha256 or entry.get("files") != recorded:
        result.problems.append(Problem(
            "mismatch", f"capture {capture.pk}",
            "the hashes in the database differ from those the custody log recorded at capture time",
        ))
    if (entry.get("url") or "") != (capture.requested_url or ""):
        differences.append(f"address {capture.requested_url!r} (the log recorded {entry.get('url')!r})")
    if (entry.get("final_url") or "") != (capture.final_url or ""):
        differences.append(f"final address {capture.final_url!r} (the log recorded {entry.get('final_url')!r})")
    if entry.get("captured_at") != _iso(capture.captured_at):
        differences.append(f"capture time {_iso(capture.captured_at)} (the log recorded {entry.get('captured_at')})")
    if differences:
        result.problems.append(Problem("mismatch", f"capture {capture.pk}",
                                       "the database was edited: " + "; ".join(differences)))


def verify(store: Store, captures, events=(), state=None, refused: str | None = None) -> Result:
    """Compare the store, the custody log and the database both ways.

    `captures`: the Capture rows; `events`: the CaptureEvent rows; `state`: the database's record
    of the store (`StoreState`), or None; `refused`: why the database does not know this store."""
    result = Result()
    facts = walk_log(store, result)
    store_id = store.identity()
    if facts.first is not None and facts.first.get("store") and facts.first.get("store") != store_id:
        result.problems.append(Problem("mismatch", "evidence store", f"the custody log belongs to store "
                                       f"{facts.first.get('store')}, the store folder says {store_id or 'nothing'}"))
        result.trusted_log = False
    if refused:
        result.problems.append(Problem("refused", "database", refused))
        result.trusted_log = False
        return result
    if state is not None:
        last_seq, last_hash = (facts.last["seq"], facts.last["hash"]) if facts.last else (0, GENESIS)
        if (last_seq, last_hash) != (state.head_seq, state.head_hash):
            if facts.entries.get(state.head_seq) == state.head_hash and last_seq > state.head_seq:
                message = (f"the database is older than the custody log: it was written up to entry {state.head_seq}, "
                           f"the log goes on to entry {last_seq} (restored from an older backup?)")
            else:
                message = (f"the custody log does not contain the entry the database was last written with (entry "
                           f"{state.head_seq}): the log was cut, replaced or rewritten")
            result.problems.append(Problem("rolled-back", "custody log and database", message))
            result.trusted_log = False
    referenced = set()
    seen_captures = set()
    for capture in captures:
        result.captures += 1
        seen_captures.add(capture.pk)
        for kind, name, sha in capture.originals():
            referenced.add(name)
            result.files += 1
            label = "WARC" if kind == "warc" else "screenshot"
            item = f"capture {capture.pk} {label} {name}"
            path = store.path(name)
            if not path.is_file():
                result.problems.append(Problem("missing", item, "the stored file is gone"))
                continue
            actual = sha256_file(path)
            if actual != sha:
                result.problems.append(Problem("altered", item, f"SHA-256 is now {actual}, recorded {sha}"))
        entry = facts.stored.get(capture.pk)
        if entry is None and ("capture", capture.pk) in facts.altered:
            pass
        elif entry is None:
            result.problems.append(Problem("unlogged", f"capture {capture.pk}",
                                           "the custody log has no entry recording how it was stored"))
        else:
            _compare_capture(capture, entry, result)
        withdrawal = facts.withdrawals.get(capture.pk)
        if capture.withdrawn and withdrawal is None:
            result.problems.append(Problem("mismatch", f"capture {capture.pk}", "the database says it was withdrawn; "
                                           "the custody log has no withdrawal"))
        elif withdrawal is not None and not capture.withdrawn:
            result.problems.append(Problem(
                "mismatch", f"capture {capture.pk}",
                f"the custody log records its withdrawal (entry {withdrawal['seq']}, {withdrawal['time']}), the "
                "database says it is not withdrawn: the withdrawal was undone"))
        elif withdrawal is not None and (withdrawal.get("reason") or "") != (capture.withdrawn_reason or ""):
            result.problems.append(Problem("mismatch", f"capture {capture.pk}",
                                           "the reason for its withdrawal was edited in the database"))
    for capture_id, entry in sorted(facts.stored.items()):
        if capture_id not in seen_captures:
            result.problems.append(Problem(
                "deleted", f"capture {capture_id}",
                f"the custody log records it as stored (entry {entry['seq']}: {entry.get('final_url') or entry.get('url')}"
                f" at {entry.get('captured_at')}, payload {str(entry.get('payload_sha256'))[:12]}…); the database "
                "has no such capture"))
    for capture_id, entry in sorted(facts.withdrawals.items()):
        if capture_id not in seen_captures and capture_id not in facts.stored:
            result.problems.append(Problem("deleted", f"capture {capture_id}", f"the custody log records its withdrawal "
                                           f"(entry {entry['seq']}); the database has no such capture"))
    logged_events = dict(facts.captures)
    for event in events:
        entry = logged_events.pop(event.custody_seq, None) if event.custody_seq else None
        item = f"capture {event.capture_id} event of {_iso(event.captured_at)}"
        if entry is None:
            if event.capture_id in seen_captures and ("seq", event.custody_seq) not in facts.altered:
                result.problems.append(Problem("unlogged", item, "no capture entry of the custody log records it"))
            continue
        if entry.get("capture") != event.capture_id or entry.get("captured_at") != _iso(event.captured_at) \
                or bool(entry.get("stored")) != bool(event.stored):
            result.problems.append(Problem("mismatch", item, f"differs from custody log entry {entry['seq']} "
                                           "(capture, time or whether it stored the original)"))
    for seq, entry in sorted(logged_events.items()):
        if entry.get("capture") in seen_captures or not entry.get("stored"):
            result.problems.append(Problem(
                "deleted", f"custody log entry {seq}",
                f"records a capture of capture {entry.get('capture')} ({entry.get('url') or entry.get('final_url')} at "
                f"{entry.get('captured_at')}) that the database no longer has"))
    stray = [name for name in store.object_names() if name not in referenced and not name.endswith(".tsr")]
    if stray:
        result.notes.append(f"{len(stray)} stored file{'s' if len(stray) != 1 else ''} no capture refers to "
                            f"(e.g. {stray[0]}): left by an interrupted capture, or put there by hand")
    for check in EXTRA_CHECKS:
        check(store, facts, result)
    return result


# Further checks registered by other modules of the evidence app (timestamps): f(store, facts, result).
EXTRA_CHECKS = []


def run(*, actor="system", record=True) -> Result:
    """Verify this installation's store against its database, and record the verification in the
    custody log when the log can be trusted."""
    from . import custody
    from .models import Capture, CaptureEvent, StoreState
    from .store import default_store

    store = default_store()
    refused = None
    try:
        custody.check_binding(store)
    except StoreError as exc:
        refused = str(exc)
    state = StoreState.objects.order_by("pk").first()
    captures = Capture.objects.only(
        "pk", "payload_sha256", "warc_name", "warc_sha256", "screenshot_name", "screenshot_sha256",
        "requested_url", "final_url", "captured_at", "withdrawn", "withdrawn_reason",
    ).order_by("pk").iterator(chunk_size=2000)
    events = CaptureEvent.objects.only("pk", "capture_id", "captured_at", "stored", "custody_seq").order_by(
        "pk").iterator(chunk_size=5000)
    result = verify(store, captures, events, state, refused)
    if record and result.trusted_log and store.root.exists():
        try:
            custody.record("verify", actor, ok=result.ok, problems=len(result.problems),
                           checked=result.as_dict()["checked"])
        except StoreError as exc:
            result.notes.append(f"the verification could not be recorded in the custody log: {exc}")
    elif record and not result.trusted_log:
        result.notes.append("the verification was not recorded: the custody log cannot be trusted as it is")
    return result
