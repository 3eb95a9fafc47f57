"""The public-content version: one number in the database that changes whenever anything a reader
can see changes (publish, unpublish, deletion, view restrictions, sites): publishing.py says when.

Every cached fragment and page has the version in its key, so a change anywhere makes them all
stale at once, in every worker process: the caches themselves can then be fast per-process memory
(the "rightsdesk" cache alias) while the version, read once per request, is shared through the
database.
"""

import os
import threading
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import F

_request_version = ContextVar("rightsdesk_public_version", default=None)


def public_version():
    """The current version; read from the database once per request (see begin_request)."""
    version = _request_version.get()
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
