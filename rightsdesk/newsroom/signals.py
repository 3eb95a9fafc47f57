"""The public-content version: one number in the database that changes whenever anything a reader
can see changes (publish, unpublish, deletion, view restrictions, sites).

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
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

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


def _published(**kwargs):
    from .dbstats import optimize

    bump_public_version()
    optimize()  # the planner's statistics follow the site as it grows (see dbstats.py)


page_published.connect(_published, dispatch_uid="rightsdesk-published")
page_unpublished.connect(bump_public_version, dispatch_uid="rightsdesk-unpublished")


def _content_changed(sender, **kwargs):
    bump_public_version()


def _page_deleted(sender, **kwargs):
    from wagtail.models import Page

    if issubclass(sender, Page):
        bump_public_version()


# Readers see these models on public pages (privacy, site, identity, bylines, tags, Must read).
for _model in ("wagtailcore.PageViewRestriction", "wagtailcore.Site", "newsroom.SiteIdentity",
               "newsroom.Author", "taggit.Tag", "newsroom.MustReadItem"):
    post_save.connect(_content_changed, sender=_model, dispatch_uid=f"rightsdesk-saved-{_model}")
    post_delete.connect(_content_changed, sender=_model, dispatch_uid=f"rightsdesk-deleted-{_model}")
# Page subclasses are many and each is its own sender: one receiver checks the class.
post_delete.connect(_page_deleted, dispatch_uid="rightsdesk-page-deleted")
