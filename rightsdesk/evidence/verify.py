"""`rightsdesk verify`: recompute the hash of every stored original and walk the custody log's
hash chain; name every altered, missing, damaged or reordered item."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .store import GENESIS, Store, entry_hash, sha256_file


@dataclass
class Problem:
    kind: str  # altered, missing, damaged, reordered, mismatch, unlogged
    item: str  # what it is about: "custody log line 7", "capture 12 WARC objects/ab/…"
    message: str


@dataclass
class Result:
    captures: int = 0
    files: int = 0
    entries: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def as_dict(self):
        return {"ok": self.ok, "checked": {"captures": self.captures, "files": self.files,
                                           "custody_entries": self.entries},
                "problems": [asdict(p) for p in self.problems], "notes": self.notes}

    def human_lines(self):
        lines = [f"{p.kind.upper()}: {p.item}: {p.message}" for p in self.problems]
        lines += [f"note: {n}" for n in self.notes]
        summary = (f"{self.captures} capture{'s' if self.captures != 1 else ''}, {self.files} stored "
                   f"file{'s' if self.files != 1 else ''}, {self.entries} custody log entr"
                   f"{'ies' if self.entries != 1 else 'y'}")
        if self.ok:
            lines.append(f"OK: {summary} verified; every hash matches and the custody log's chain is unbroken.")
        else:
            lines.append(f"FAILED: {len(self.problems)} problem{'s' if len(self.problems) != 1 else ''} in {summary}.")
        return lines


def walk_log(store: Store, result: Result) -> dict[int, dict]:
    """Check the chain; return the stored-capture entries by capture id."""
    expected_prev, expected_seq = GENESIS, 1
    stored_entries: dict[int, dict] = {}
    for number, raw, entry in store.entries():
        result.entries += 1
        where = f"custody log line {number}"
        if entry is None or not all(k in entry for k in ("seq", "hash", "prev", "action")):
            result.problems.append(Problem("damaged", where, "not a readable log entry (the line was altered or cut)"))
            expected_seq += 1
            continue
        where = f"custody log line {number} (entry {entry['seq']}, {entry['action']})"
        if entry_hash(entry) != entry["hash"]:
            result.problems.append(Problem("altered", where, "its content no longer matches its hash"))
        if entry["prev"] != expected_prev or entry["seq"] != expected_seq:
            result.problems.append(Problem(
                "reordered", where,
                f"does not follow the entry before it (expected entry {expected_seq}): an entry was removed, "
                "inserted or moved",
            ))
        expected_prev = entry["hash"]
        expected_seq = entry["seq"] + 1 if isinstance(entry["seq"], int) else expected_seq + 1
        if entry["action"] == "capture" and entry.get("stored") and isinstance(entry.get("capture"), int):
            stored_entries[entry["capture"]] = entry
    return stored_entries


def verify(store: Store, captures) -> Result:
    """`captures`: the Capture rows (or objects with the same attributes) to check."""
    result = Result()
    logged = walk_log(store, result)
    referenced = set()
    for capture in captures:
        result.captures += 1
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
        entry = logged.get(capture.pk)
        if entry is None:
            result.problems.append(Problem("unlogged", f"capture {capture.pk}",
                                           "the custody log has no entry recording how it was stored"))
        else:
            recorded = {name: sha for _, name, sha in capture.originals()}
            if entry.get("payload_sha256") != capture.payload_sha256 or entry.get("files") != recorded:
                result.problems.append(Problem(
                    "mismatch", f"capture {capture.pk}",
                    "the hashes in the database differ from those the custody log recorded at capture time",
                ))
    stray = [name for name in store.object_names() if name not in referenced]
    if stray:
        result.notes.append(f"{len(stray)} stored file{'s' if len(stray) != 1 else ''} no capture refers to "
                            f"(e.g. {stray[0]}): left by an interrupted capture, or put there by hand")
    return result


def run(*, actor="system", record=True) -> Result:
    """Verify this installation's store, and record the verification in the custody log."""
    from .models import Capture
    from .store import StoreError, default_store

    store = default_store()
    captures = Capture.objects.only(
        "pk", "payload_sha256", "warc_name", "warc_sha256", "screenshot_name", "screenshot_sha256",
    ).order_by("pk").iterator(chunk_size=2000)
    result = verify(store, captures)
    if record and store.root.exists():
        try:
            store.append("verify", actor, ok=result.ok, problems=len(result.problems),
                         checked=result.as_dict()["checked"])
        except StoreError as exc:
            result.notes.append(f"the verification could not be recorded in the custody log: {exc}")
    return result
