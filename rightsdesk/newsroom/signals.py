"""The public-content version: one number in the database that changes whenever anything a reader
can see changes (publish, unpublish, deletion, view restrictions, sites): publishing.py says when.

Every cached fragment and page has the version in its key, so a change anywhere makes them all
stale at once, in every worker process: the caches themselves can then be fast per-process memory
(the "rightsdesk" cache alias) while the version, read once per request, is shared through the
database.

With several application servers (REDIS_URL set: a "shared" cache on Redis, see settings), the
version readers' requests use is a token in Redis, replaced after each change commits (the
database stays the record): a read per request is then a Redis GET instead of a query. A new
random token each time, so that tokens set out of order (two publishes committing together) can
never bring an older one back. Inside a transaction (a publish, the tests) the database's own
number is used: it sees the transaction's changes.
"""

import logging
import os
import secrets
import threading
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import F

log = logging.getLogger(__name__)
SHARED_KEY = "public-version"


def _shared():
    """The Redis cache every server shares, when configured."""
    return caches["shared"] if "shared" in settings.CACHES else None


def _shared_version():
    """The token in Redis (made when missing), or None without Redis or when it cannot be read."""
    shared = _shared()
    if shared is None:
        return None
    try:
        token = shared.get(SHARED_KEY)
        if token is None:
            shared.add(SHARED_KEY, "r" + secrets.token_hex(8))
            token = shared.get(SHARED_KEY)
        return token
    except Exception:  # noqa: BLE001 (Redis unreachable: the database answers)
        log.warning("the shared cache (REDIS_URL) cannot be read: using the database's public version")
        return None


def _renew_shared_version():
    shared = _shared()
    if shared is None:
        return
    try:
        shared.set(SHARED_KEY, "r" + secrets.token_hex(8))
    except Exception:  # noqa: BLE001
        log.exception("the shared cache (REDIS_URL) cannot be written: other servers show the change "
                      "when its public version next changes; check Redis")

_request_version = ContextVar("rightsdesk_public_version", default=None)


def public_version():
    """The current version; read once per request (see begin_request): from the shared cache
    when there is one (outside a transaction), else from the database."""
    version = _request_version.get()
    if version is None and not connection.in_atomic_block:
        version = _shared_version()
        if version is not None:
            _request_version.set(version)
    if version is None:
        from .models import PublicState

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT version FROM {PublicState._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        version = row[0] if row else 0
        _request_version.set(version)
    return version


_thread = threading.local()


def shared_public_version():
    """The current version as committed, read on a database connection this thread keeps open
    (Django's own connection is opened and closed per request): for the WSGI site-cache wrapper,
    which answers hits before Django's request handling. None when the database cannot be read;
    the caller then lets Django handle the request, which reports the problem in its usual way.

    The connection is in autocommit mode, so every read sees the latest committed publish, on
    SQLite (WAL) and PostgreSQL alike. Outside a request it never joins Django's transactions:
    tests, which run inside one, use public_version()."""
    shared = _shared_version()
    if shared is not None:
        return shared
    held = getattr(_thread, "held", None)
    try:
        if held is None or held[0] != os.getpid():  # never use a connection across a fork
            from .models import PublicState

            wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
            wrapper.connect()
            held = _thread.held = (os.getpid(), wrapper, f"SELECT version FROM {PublicState._meta.db_table} WHERE id = 1")
        cursor = held[1].connection.cursor()
        try:
            cursor.execute(held[2])
            row = cursor.fetchone()
        finally:
            cursor.close()
        return row[0] if row else 0
    except Exception:  # noqa: BLE001 (any database trouble: reconnect next time, Django answers now)
        _thread.held = None
        if held is not None:
            try:
                held[1].connection.close()
            except Exception:  # noqa: BLE001
                pass
        return None


def begin_request():
    """Forget the memoised version: the next public_version() reads the database again."""
    _request_version.set(None)


def bump_public_version(**kwargs):
    from .models import PublicState

    if not PublicState.objects.filter(pk=1).update(version=F("version") + 1):
        PublicState.objects.get_or_create(pk=1, defaults={"version": 1})
    _request_version.set(None)
    if _shared() is not None:
        transaction.on_commit(_renew_shared_version)  # other servers see it once it is committed
