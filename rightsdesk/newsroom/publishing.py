"""What a publish does: the one pipeline every change readers can see goes through.

A change is a page published, unpublished, deleted, moved or given a view restriction, an
article's text saved, or something an app keeps that public pages show (the facts registry, a
source marked confidential, a capture withdrawn: the app calls `changed()` or `retract()`).
Each app adds its steps (extensions.PUBLISH_STEPS, in its wagtail_hooks.py); the order is
written here, once:

In the editor's transaction, with the change itself (so that both are committed or neither):

    1. public-version   the number every cached page and fragment is kept under goes up, so no
                        reader is served what was cached before (signals.bump_public_version)
    2. search           the live site's search index: published pages written, the others
                        removed (search.py); a page taken off the site leaves the index in the
                        same commit
    3. mirror-journal   the mirror notes, in the database, which pages its baked folder must
                        follow; a process that dies before step 8 leaves the note, and the
                        worker catches up (mirror/journal.py)

After the transaction commits, in this order (each step sees what the ones before it did):

    4. names            the facts desk links the article's mentions of registered entities
    5. related          the Related lists: the article's own and those it enters or leaves
    6. public-version   again: pages cached between the commit and step 5 showed old lists
    7. (apps' own)      steps of other apps, in the order of AFTER below
    8. mirror           the baked folder: the changed pages re-baked before the publish is
                        reported done; the sitemap, recommendations file, search index and any
                        whole re-bake follow as background tasks (mirror/incremental.py)

A change made outside a transaction runs both phases at once. A step that fails is logged and
never turns a successful publish into an error (each app's repair command is named in the log);
the steps after it still run.

Several changes in one transaction (a page created, then published; a section unpublished with
its pages) are gathered into one Change and the after-commit steps run once for it.
"""

import logging
import threading
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import extensions, search
from .dbstats import optimize
from .signals import bump_public_version

log = logging.getLogger(__name__)

DURING = ("public-version", "search", "mirror-journal")
AFTER = ("names", "related", "public-version", "mirror")


@dataclass(frozen=True)
class Step:
    """One app's step: `run(change)`; `phase` "during" (in the transaction) or "after" (once it
    has committed); `before_delete(page, change)`, when given, is called before a page is deleted
    (what it needs to know afterwards, e.g. which lists held the page, goes in change.notes)."""

    name: str
    run: object
    phase: str = "after"
    before_delete: object = None


@dataclass
class Change:
    """What changed in one transaction (page ids)."""

    published: set = field(default_factory=set)  # published or republished
    retracted: set = field(default_factory=set)  # unpublished, deleted or made private
    deleted: set = field(default_factory=set)  # deleted (also in retracted)
    saved: set = field(default_factory=set)  # articles whose text was saved (not only published)
    subtrees: set = field(default_factory=set)  # pages whose whole subtree may have changed (moves, restrictions, sections)
    apps: set = field(default_factory=set)  # what else changed, as the apps name it ("facts.registry", "evidence.capture:12")
    locales: dict = field(default_factory=dict)  # page id -> locale id, for deleted pages
    notes: dict = field(default_factory=dict)  # each step's own notes (before_delete), by step name

    def pages(self):
        """Every page id the change concerns."""
        return self.published | self.retracted | self.saved | self.subtrees

    def merge(self, other):
        for name in ("published", "retracted", "deleted", "saved", "subtrees", "apps"):
            getattr(self, name).update(getattr(other, name))
        self.published -= other.retracted  # the last word counts
        self.retracted -= other.published - other.deleted
        self.locales.update(other.locales)
        for key, value in other.notes.items():
            self.notes.setdefault(key, {}).update(value)

    def __bool__(self):
        return bool(self.pages() or self.apps)


def _steps(phase):
    order = DURING if phase == "during" else AFTER
    registered = {}
    for step in extensions.publish_steps():
        if step.phase != phase:
            continue
        if step.name not in order:
            raise ImproperlyConfigured(
                f"publish step {step.name!r} ({step.run.__module__}) is not in newsroom/publishing.py's "
                f"{'DURING' if phase == 'during' else 'AFTER'} order: add its name there, in its place"
            )
        registered.setdefault(step.name, []).append(step)
    return [step for name in dict.fromkeys(order) for step in registered.get(name, ())]


def _run(phase, change):
    for step in _steps(phase):
        try:
            step.run(change)
        except Exception:  # never turn a successful publish into an error page
            if phase == "during":
                raise  # inside the transaction: the change and its steps go together or not at all
            log.exception("publish step %s failed for %s", step.name, change)


# --- gathering the changes of a transaction ---------------------------------------------------------

_local = threading.local()


def _pending(using=None):
    """The Change gathered in the current outermost transaction, and whether it is new."""
    connection = transaction.get_connection(using)
    outer = connection.atomic_blocks[0] if connection.atomic_blocks else None
    held = getattr(_local, "held", None)
    if held is not None and held[0] is outer and not held[1]["ran"]:
        return held[1]["change"], False
    state = {"change": Change(), "ran": False}
    _local.held = (outer, state)
    return state["change"], True


def record(change):
    """Run the in-transaction steps for `change` now, and the after-commit steps once the
    transaction commits (with every other change of the same transaction)."""
    if not change:
        return
    pending, _ = _pending()
    pending.merge(change)
    state = _local.held[1]
    _run("during", change)

    def after():
        if state["ran"]:
            return  # one callback per change; the first to run takes them all
        state["ran"] = True
        _run("after", state["change"])

    # One callback per change (cheap): a savepoint rolled back drops its own, not the others'.
    transaction.on_commit(after)


def pending():
    """Everything the current transaction changed so far (for the steps "during" it)."""
    return _pending()[0]


def changed(*labels):
    """An app's own data that public pages show changed (e.g. "facts.registry"): every step
    sees the labels in change.apps; cached pages are refreshed."""
    record(Change(apps=set(labels)))


def retract(page_ids=(), *labels):
    """Something left the public site (a source marked confidential, a capture withdrawn): the
    pages `page_ids` that showed it are brought in line everywhere (search, Related, mirror)."""
    record(Change(retracted=set(page_ids), apps=set(labels)))


def run_now(change):
    """Both phases for `change` at once, outside any transaction (commands, repairs)."""
    with transaction.atomic():
        _run("during", change)
    _run("after", change)


# --- the newsroom's own signals -> changes ------------------------------------------------------------


def _is_page(sender):
    return isinstance(sender, type) and issubclass(sender, Page)


def _published(sender, instance, **kwargs):
    change = Change(published={instance.pk})
    if not instance.is_leaf():
        change.subtrees.add(instance.pk)
    record(change)


def _unpublished(sender, instance, **kwargs):
    change = Change(retracted={instance.pk})
    if not instance.is_leaf():
        change.subtrees.add(instance.pk)
    record(change)


def _before_delete(sender, instance, **kwargs):
    if not _is_page(sender):
        return
    change, _ = _pending()
    change.locales[instance.pk] = instance.locale_id
    for step in _steps("after"):
        if step.before_delete is not None:
            step.before_delete(instance, change)


def _deleted(sender, instance, **kwargs):
    if _is_page(sender):
        record(Change(retracted={instance.pk}, deleted={instance.pk}, locales={instance.pk: instance.locale_id}))


def _moved(sender, instance, **kwargs):
    record(Change(subtrees={instance.pk}))


def _restriction_saved(sender, instance, **kwargs):
    """A view restriction: the page and everything below it leave the public site."""
    record(Change(subtrees={instance.page_id}, retracted={instance.page_id}))


def _restriction_deleted(sender, instance, **kwargs):
    record(Change(subtrees={instance.page_id}))


_CONTENT_FIELDS = {"title", "dek", "body"}


def _article_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    """A full save of an article (creation, publication, the demo loader): its mentions follow;
    the partial saves Wagtail makes when storing a draft revision of a live page do not count."""
    if raw or (update_fields is not None and not (_CONTENT_FIELDS & set(update_fields))):
        return
    record(Change(saved={instance.pk}))


def _model_changed(sender, **kwargs):
    bump_public_version()


def _labelled(label):
    def receiver(sender, **kwargs):
        changed(label)

    return receiver


# Readers see these models on public pages (privacy, site, identity, bylines, tags, Must read).
VERSIONED_MODELS = ["wagtailcore.Site", "newsroom.SiteIdentity", "newsroom.Author", "taggit.Tag",
                    "newsroom.MustReadItem"]


_receivers = []


def watch(*models, label=None):
    """Models (app_label.Model) whose saves and deletions change what readers see: the public
    version goes up with them; with a `label`, they are a change of the pipeline (`changed(label)`:
    the mirror re-bakes the pages the apps add, where such data shows). An app calls this from its
    AppConfig.ready."""
    receiver = _model_changed if label is None else _labelled(label)
    _receivers.append(receiver)  # (signals keep weak references)
    for model in models:
        post_save.connect(receiver, sender=model, dispatch_uid=f"rightsdesk-saved-{model}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"rightsdesk-deleted-{model}")


def connect():
    """Connect the receivers (the newsroom's AppConfig.ready)."""
    page_published.connect(_published, dispatch_uid="rightsdesk-publish")
    page_unpublished.connect(_unpublished, dispatch_uid="rightsdesk-unpublish")
    post_page_move.connect(_moved, dispatch_uid="rightsdesk-move")
    # Page subclasses are many and each is its own sender: one receiver checks the class. Only
    # pre_delete of Page itself (deleting an article also deletes, and signals, its Page row): a
    # receiver for every model would make Django fetch rows one by one before deleting them.
    pre_delete.connect(_before_delete, sender=Page, dispatch_uid="rightsdesk-page-deleting")
    post_delete.connect(_deleted, dispatch_uid="rightsdesk-page-deleted")
    post_save.connect(_restriction_saved, sender=PageViewRestriction, dispatch_uid="rightsdesk-restriction-saved")
    post_delete.connect(_restriction_deleted, sender=PageViewRestriction, dispatch_uid="rightsdesk-restriction-deleted")
    post_save.connect(_article_saved, sender="newsroom.ArticlePage", dispatch_uid="rightsdesk-article-saved")
    watch(*VERSIONED_MODELS)


# --- the newsroom's own steps ------------------------------------------------------------------------


def _readers_see(change):
    """Whether readers see something new (an article's text saved as a draft: not)."""
    return bool(change.published or change.retracted or change.subtrees or change.apps)


def _bump(change):
    if _readers_see(change):
        bump_public_version()


def _bump_and_optimize(change):
    if not _readers_see(change):
        return
    bump_public_version()
    if change.published:
        optimize()  # the planner's statistics follow the site as it grows (see dbstats.py)


def _search(change):
    ids = change.published | change.retracted
    if change.deleted:
        search.remove_pages(change.deleted)
        ids -= change.deleted
    if ids:
        search.index_pages(ids)
    for page in Page.objects.filter(pk__in=change.subtrees - change.deleted):
        search.sync_subtree(page)


def newsroom_steps():
    return [
        Step("public-version", _bump_and_optimize, phase="during"),
        Step("search", _search, phase="during"),
        Step("public-version", _bump, phase="after"),
    ]
