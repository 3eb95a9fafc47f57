"""The custody log and the database, kept in step.

Every change that the custody log records (a capture, a withdrawal, a view, an export, a
verification) is written through `logged_transaction`: under the log's lock, the database rows and
the log entry are written together, and the database remembers the entry it is at (its *head*,
in `StoreState`). If the database transaction fails after the entry was written, a `void` entry
says so at once ("entry N: nothing was committed"), so the log never claims a capture that the
database does not have, and a number reused by the next capture cannot be mistaken for it. A
process killed between the two leaves the log one entry ahead of the database's head; the next
write finds that entry and voids it the same way.

The database also holds the store's id (written in the store folder and in the log's first entry):
a database that does not know the store (an empty one, another installation's, a wrong
`DATABASE_URL`) is refused, and nothing is written into that log.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.db import transaction

from .models import StoreState
from .store import GENESIS, Store, StoreError, default_store

SYSTEM = "system"

# Called with each entry written through `logged_transaction`; one may return a function to run
# once the transaction has committed (the timestamps module stamps a new capture's entry).
ENTRY_HOOKS = []


def actor_detail(user) -> dict:
    """What an entry says about how it was made: the rightsdesk account is the entry's actor; a
    command run without one says so. The operator's operating-system account and host are never
    recorded (they would identify people and machines outside the organisation's own records)."""
    if user is not None:
        return {}
    return {"via": "command line"}


@dataclass
class Binding:
    store: Store
    state: StoreState | None
    store_id: str | None


def check_binding(store: Store) -> Binding:
    """The store and the database agree on the store's id, or StoreError says why not. Creates
    nothing."""
    store_id = store.identity()
    state = StoreState.objects.order_by("pk").first()
    if state is None and store_id is not None:
        raise StoreError(
            f"this database does not know the evidence store {store.root} (store id {store_id}): DATABASE_URL or "
            "RIGHTSDESK_EVIDENCE_DIR points at the wrong place, or the database was emptied; nothing was written")
    if state is not None and store_id is None:
        raise StoreError(
            f"the evidence store {store.root} is not the one this database belongs to (store id {state.store_id} "
            "is not there): it was emptied or replaced, or RIGHTSDESK_EVIDENCE_DIR is wrong; nothing was written")
    if state is not None and state.store_id != store_id:
        raise StoreError(
            f"the evidence store {store.root} (store id {store_id}) is not the one this database belongs to "
            f"({state.store_id}): check DATABASE_URL and RIGHTSDESK_EVIDENCE_DIR; nothing was written")
    return Binding(store, state, store_id)


def _bind(store: Store) -> StoreState:
    """Under the lock: the database's record of the store, made on first use (a new store, or one
    from before stores had ids: then the database adopts the log as it is)."""
    binding = check_binding(store)
    if binding.state is not None:
        return binding.state
    store_id = store.create_identity()
    last = store.last_entry()
    return StoreState.objects.create(store_id=store_id, head_seq=last["seq"] if last else 0,
                                     head_hash=last["hash"] if last else GENESIS)


def _catch_up(store: Store, state: StoreState):
    """Under the lock: the log and the database's head agree; an entry written by a transaction
    that never committed (the process died) is voided."""
    last = store.last_entry()
    last_seq, last_hash = (last["seq"], last["hash"]) if last else (0, GENESIS)
    if (last_seq, last_hash) == (state.head_seq, state.head_hash):
        return
    if last and last_seq == state.head_seq + 1 and last.get("prev") == state.head_hash:
        entry = store.append("void", SYSTEM, voids=last_seq,
                             reason="the database transaction of this entry was never committed (interrupted)")
        StoreState.objects.filter(pk=state.pk).update(head_seq=entry["seq"], head_hash=entry["hash"])
        state.head_seq, state.head_hash = entry["seq"], entry["hash"]
        return
    raise StoreError(
        f"the custody log and the database are not at the same entry (the log ends at entry {last_seq}, the database "
        f"knows entry {state.head_seq}): the database was restored from an older backup or the log was replaced; "
        "run `rightsdesk verify`; nothing was written")


class LogWriter:
    def __init__(self, store: Store):
        self.store = store
        self.entries: list[dict] = []
        self.after_commit = []

    def append(self, action: str, actor: str, **fields) -> dict:
        entry = self.store.append(action, actor, **fields)
        self.entries.append(entry)
        for hook in ENTRY_HOOKS:
            callback = hook(entry)
            if callback is not None:
                self.after_commit.append(callback)
        return entry


@contextlib.contextmanager
def logged_transaction(store: Store | None = None):
    """`with logged_transaction() as log:` write rows, then `log.append(...)`; the rows and the
    entries are committed together, or the entries are voided."""
    store = store or default_store()
    with store.locked():
        state = _bind(store)
        _catch_up(store, state)
        writer = LogWriter(store)
        try:
            with transaction.atomic():
                yield writer
                if writer.entries:
                    last = writer.entries[-1]
                    StoreState.objects.filter(pk=state.pk).update(head_seq=last["seq"], head_hash=last["hash"])
        except BaseException:
            if writer.entries:
                _void(store, state, writer.entries)
            raise
    for callback in writer.after_commit:
        transaction.on_commit(callback)


def _void(store, state, entries):
    try:
        with transaction.atomic():
            last = None
            for entry in entries:
                last = store.append("void", SYSTEM, voids=entry["seq"],
                                    reason="the database transaction of this entry failed; nothing was committed")
            StoreState.objects.filter(pk=state.pk).update(head_seq=last["seq"], head_hash=last["hash"])
    except Exception:  # noqa: BLE001 (the original error is the one to report; the next write catches up)
        pass


def record(action: str, actor: str, **fields) -> dict:
    """Append one entry that goes with no other database change."""
    with logged_transaction() as log:
        return log.append(action, actor, **fields)
