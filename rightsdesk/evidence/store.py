"""The evidence store on disk: originals kept by the SHA-256 of their bytes, and the custody log.

Layout under the store folder (``RIGHTSDESK_EVIDENCE_DIR``, by default ``<data>/evidence``)::

    objects/ab/ab12…ef.warc.gz   originals (WARC files, screenshots), named by their SHA-256,
    objects/cd/cd34…01.png       read-only, never modified or deleted by rightsdesk
    custody.jsonl                the custody log: one JSON object per line, each carrying the
                                 hash of the line before it (a hash chain)
    tmp/                         files being written; moved into place only when complete

Nothing here needs Django: `verify` and the tests use it directly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

GENESIS = "0" * 64
CHUNK = 1 << 20
IDENTITY_FILE = "store-id"
_held = threading.local()  # the store folders whose custody lock this thread holds (the lock is re-entrant)


class StoreError(Exception):
    """The store cannot be written or read; the message says what to do."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _clean(value):
    """Lone UTF-16 surrogates cannot be written as UTF-8: replace them (as jq would) before hashing."""
    if isinstance(value, str):
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, float):
        raise TypeError("custody log entries hold no floating-point numbers (their text form differs between tools)")
    return value


def canonical(entry: dict) -> bytes:
    """The one text form of an entry: the bytes its hash is computed over and the line written to
    the log. Sorted keys, no spaces, UTF-8, and every control character escaped: exactly what
    `jq -cSj .` prints for the same object (jq also escapes DEL, which Python leaves raw), so a
    recipient's `jq` check reproduces every hash."""
    text = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("\x7f", "\\u007f").encode("utf-8")


def legacy_canonical(entry: dict) -> bytes:
    """The form entries were hashed in before DEL was escaped; `verify` still accepts it for
    entries written then."""
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(entry: dict) -> str:
    return hashlib.sha256(canonical({k: v for k, v in entry.items() if k != "hash"})).hexdigest()


def entry_hash_matches(entry: dict) -> bool:
    body = {k: v for k, v in entry.items() if k != "hash"}
    recorded = entry.get("hash")
    try:
        return recorded in (hashlib.sha256(canonical(body)).hexdigest(),
                            hashlib.sha256(legacy_canonical(body)).hexdigest())
    except (TypeError, ValueError, UnicodeError):
        return False


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _disk_error(exc: OSError, root: Path) -> StoreError:
    if exc.errno == errno.ENOSPC:
        return StoreError(f"no space left on the device of the evidence store ({root}): free some space and try "
                          "again; nothing was stored")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreError(f"the evidence store {root} is not writable ({exc.strerror}): fix its permissions or set "
                          "RIGHTSDESK_EVIDENCE_DIR; nothing was stored")
    return StoreError(f"cannot write to the evidence store {root} ({exc.strerror or exc}); nothing was stored")


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    name: str  # path relative to the store folder, e.g. objects/ab/ab12….warc.gz
    created: bool  # False when the same bytes were already stored


class Store:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.tmp = self.root / "tmp"
        self.log_path = self.root / "custody.jsonl"
        self._lock_path = self.root / ".custody.lock"

    # --- originals -------------------------------------------------------------------------

    def ensure(self):
        try:
            for folder in (self.root, self.objects, self.tmp):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _disk_error(exc, self.root) from None

    def path(self, name: str) -> Path:
        return self.root / name

    def name_for(self, sha256: str, suffix: str) -> str:
        return f"objects/{sha256[:2]}/{sha256}{suffix}"

    @contextlib.contextmanager
    def temporary(self, suffix=""):
        """A temporary file inside the store (same file system, so it can be moved in place);
        removed unless `add_file` moved it. Its writer holds a lock on it, so that the files of
        a writer that died (kill -9, a power cut) are told apart and removed by `clean_tmp`,
        which runs first."""
        self.ensure()
        self.clean_tmp()
        try:
            # Made and locked while holding the folder's lock shared: `clean_tmp` (holding it
            # exclusively) never sees a file between its making and its locking.
            with self._tmp_folder_lock(fcntl.LOCK_SH):
                handle = tempfile.NamedTemporaryFile(dir=self.tmp, suffix=suffix, delete=False)
                # A descriptor of its own holds the lock: closing the handle keeps it.
                lock = os.open(handle.name, os.O_RDONLY)
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise _disk_error(exc, self.root) from None
        path = Path(handle.name)
        try:
            yield handle, path
        except OSError as exc:
            raise _disk_error(exc, self.root) from None
        finally:
            handle.close()
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            os.close(lock)

    def clean_tmp(self) -> list[str]:
        """Remove the partial files of writers that died; a file whose writer is alive is
        locked and kept. The names removed."""
        removed = []
        try:
            with self._tmp_folder_lock(fcntl.LOCK_EX):
                for path in list(self.tmp.iterdir()) if self.tmp.exists() else []:
                    self._remove_if_abandoned(path, removed)
        except OSError:
            pass  # a read-only store: nothing to clean, and the capture will say so
        return removed

    @contextlib.contextmanager
    def _tmp_folder_lock(self, mode):
        with open(self.root / ".tmp.lock", "a") as lock:
            fcntl.flock(lock, mode)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @staticmethod
    def _remove_if_abandoned(path, removed):
        try:
            with open(path, "rb") as probe:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                path.unlink()
                removed.append(path.name)
        except (BlockingIOError, FileNotFoundError, IsADirectoryError):
            pass  # written by a live process, or gone already
        except OSError:
            pass  # a read-only store: nothing to do about it here

    def add_file(self, temp_path: Path, suffix: str) -> StoredFile:
        """Move a complete temporary file into the store under its SHA-256 (read-only). If the
        same bytes are there already, the temporary file is dropped."""
        try:
            with open(temp_path, "rb+") as handle:
                os.fsync(handle.fileno())
            sha = sha256_file(temp_path)
            size = temp_path.stat().st_size
            name = self.name_for(sha, suffix)
            final = self.root / name
            if final.exists():
                temp_path.unlink()
                return StoredFile(sha, size, name, created=False)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(temp_path, 0o444)
            os.replace(temp_path, final)
            _fsync_dir(final.parent)
            return StoredFile(sha, size, name, created=True)
        except OSError as exc:
            raise _disk_error(exc, self.root) from None

    def add_bytes(self, data: bytes, suffix: str) -> StoredFile:
        with self.temporary(suffix) as (handle, path):
            handle.write(data)
            handle.flush()
            handle.close()
            return self.add_file(path, suffix)

    def discard(self, stored: StoredFile):
        """Undo `add_file` of a file this operation created (when what follows it failed)."""
        if stored and stored.created:
            path = self.root / stored.name
            with contextlib.suppress(OSError):
                os.chmod(path, 0o644)
                path.unlink()

    def object_names(self):
        if not self.objects.exists():
            return []
        return sorted(str(p.relative_to(self.root)) for p in self.objects.glob("*/*") if p.is_file())

    # --- custody log -----------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self):
        """Hold the custody log's lock (re-entrant within a thread): whoever appends, and whatever
        must stay in step with the log (the database's record of its head), runs under it."""
        key = str(self.root.resolve()) if self.root.exists() else str(self.root)
        held = getattr(_held, "roots", None)
        if held is None:
            held = _held.roots = {}
        if held.get(key):
            held[key] += 1
            try:
                yield
            finally:
                held[key] -= 1
            return
        self.ensure()
        try:
            lock = open(self._lock_path, "a")
        except OSError as exc:
            raise _disk_error(exc, self.root) from None
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            held[key] = 1
            try:
                yield
            finally:
                held.pop(key, None)
                fcntl.flock(lock, fcntl.LOCK_UN)

    _locked = locked

    # --- identity ----------------------------------------------------------------------------

    def identity(self) -> str | None:
        """The store's id (written once, when its first entry is logged), or None."""
        try:
            text = (self.root / IDENTITY_FILE).read_text().strip()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _disk_error(exc, self.root) from None
        return text or None

    def create_identity(self) -> str:
        self.ensure()
        ident = str(uuid.uuid4())
        path = self.root / IDENTITY_FILE
        try:
            with open(path, "x") as handle:
                handle.write(ident + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(path, 0o444)
        except FileExistsError:
            return self.identity()
        except OSError as exc:
            raise _disk_error(exc, self.root) from None
        _fsync_dir(self.root)
        return ident

    def last_entry(self) -> dict | None:
        """The last entry of the log (parsed), or None when the log is empty."""
        last = self._last_line()
        if not last:
            return None
        try:
            entry = json.loads(last)
            if not isinstance(entry, dict) or "seq" not in entry or "hash" not in entry:
                raise ValueError
        except ValueError:
            raise StoreError(f"the last line of the custody log {self.log_path} is damaged: run "
                             "`rightsdesk verify` and restore the log from a backup") from None
        return entry

    def _last_line(self) -> bytes | None:
        if not self.log_path.exists():
            return None
        with open(self.log_path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            end = handle.tell()
            if end == 0:
                return None
            position, tail = end, b""
            while position > 0:
                step = min(4096, position)
                position -= step
                handle.seek(position)
                tail = handle.read(step) + tail
                stripped = tail.rstrip(b"\n")
                if b"\n" in stripped:
                    return stripped.rsplit(b"\n", 1)[1]
            return tail.rstrip(b"\n")

    def append(self, action: str, actor: str, **fields) -> dict:
        """Append one entry to the custody log and return it. The entry carries the hash of the
        previous entry; the line is written whole or not at all (a failed write is cut back)."""
        with self._locked():
            last = self._last_line()
            if last:
                try:
                    previous = json.loads(last)
                    prev_hash, seq = previous["hash"], previous["seq"] + 1
                except (ValueError, KeyError, TypeError):
                    raise StoreError(f"the last line of the custody log {self.log_path} is damaged: run "
                                     "`rightsdesk verify` and restore the log from a backup") from None
            else:
                prev_hash, seq = GENESIS, 1
            entry = _clean({"seq": seq, "time": utc_now(), "actor": actor, "action": action, **fields,
                            "prev": prev_hash})
            if seq == 1 and self.identity():
                entry["store"] = self.identity()  # the first entry names the store it belongs to
            entry["hash"] = entry_hash(entry)
            line = canonical(entry) + b"\n"
            try:
                with open(self.log_path, "ab") as handle:
                    size = handle.tell()
                    try:
                        handle.write(line)
                        handle.flush()
                        os.fsync(handle.fileno())
                    except OSError:
                        with contextlib.suppress(OSError):
                            handle.truncate(size)
                        raise
            except OSError as exc:
                raise _disk_error(exc, self.root) from None
            return entry

    def entries(self):
        """(line number, raw line, parsed entry or None) for every line of the log."""
        if not self.log_path.exists():
            return
        with open(self.log_path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                raw = raw.rstrip(b"\n")
                try:
                    entry = json.loads(raw)
                    if not isinstance(entry, dict):
                        entry = None
                except ValueError:
                    entry = None
                yield number, raw, entry


def _fsync_dir(path: Path):
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def default_store() -> Store:
    from django.conf import settings

    return Store(settings.RIGHTSDESK_EVIDENCE_DIR)
