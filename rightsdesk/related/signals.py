"""Keep stored Related lists current: a publish updates the article's list and the lists it now
enters or leaves, an unpublish (or deletion) removes it everywhere.

The work runs once the transaction commits, after the facts desk has linked the article's
mentions (its callback is registered earlier, on save), so shared entities are current. A failure
is logged and never breaks the editor's publish: `rightsdesk related --rebuild` repairs everything.
"""

import logging
from functools import partial

from django.db import connection, transaction
from django.db.models.signals import pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from rightsdesk.newsroom.signals import bump_public_version

log = logging.getLogger(__name__)


def _schedule(action, page_id):
    # A page published several times in one transaction is updated once, with its last state.
    for _, callback, _ in connection.run_on_commit:
        if getattr(callback, "related_page_id", None) == page_id and callback.related_action[1] is None:
            callback.related_action[0] = action
            return
    box = [action, None]  # the action, and whether it has run (tests run callbacks and keep them)
    callback = partial(_run, box, page_id)
    callback.related_page_id = page_id
    callback.related_action = box
    transaction.on_commit(callback)


def _run(box, page_id):
    from . import engine

    box[1] = "done"
    try:
        if box[0] == "update":
            engine.update_article(page_id)
        else:
            engine.remove_article(page_id)
    except Exception:  # never turn a successful publish into an error page
        log.exception("related: could not update the lists of page %s; run `rightsdesk related --rebuild`", page_id)
    # Pages cached between the publish and this update showed the old lists.
    bump_public_version()


def _is_article(instance):
    """An ArticlePage, or the generic Page row of one (a section deleted with its descendants)."""
    from rightsdesk.newsroom.models import ArticlePage

    return isinstance(instance, ArticlePage) or getattr(instance, "specific_class", None) is ArticlePage


def _published(sender, instance, **kwargs):
    if _is_article(instance):
        _schedule("update", instance.pk)


def _unpublished(sender, instance, **kwargs):
    if _is_article(instance):
        _schedule("remove", instance.pk)


def _deleted(sender, instance, **kwargs):
    """A deleted article's rows go with it (foreign keys cascade): refill the lists it was in."""
    if not _is_article(instance):
        return
    from .models import RelatedItem

    affected = list(RelatedItem.objects.filter(target_id=instance.pk).values_list("article_id", flat=True))
    if affected:
        transaction.on_commit(partial(_refresh, instance.locale_id, affected))


def _refresh(locale_id, article_ids):
    from . import engine

    try:
        engine.refresh(locale_id, article_ids)
    except Exception:
        log.exception("related: could not refill lists after a deletion; run `rightsdesk related --rebuild`")
    bump_public_version()


page_published.connect(_published, dispatch_uid="related-published")
page_unpublished.connect(_unpublished, dispatch_uid="related-unpublished")
# Only page deletions (deleting an article also deletes, and signals, its Page row): a receiver
# for every model would make Django fetch rows one by one before deleting them, everywhere.
pre_delete.connect(_deleted, sender=Page, dispatch_uid="related-page-deleted")
