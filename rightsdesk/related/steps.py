"""The related app's step in the publish pipeline (newsroom/publishing.py): "related", the stored
Related lists. A publish updates the article's list and the lists it now enters or leaves; an
unpublish (or a view restriction) removes it everywhere; a deletion refills the lists it was in.

It runs after the facts desk has linked the article's mentions ("names"), so shared entities are
current. A failure is logged and never breaks the editor's publish: `rightsdesk related
--rebuild` repairs everything.
"""

import logging

from rightsdesk.newsroom.models import ArticlePage
from rightsdesk.newsroom.publishing import Step

from . import engine
from .models import RelatedItem

log = logging.getLogger(__name__)


def _articles(ids):
    return set(ArticlePage.objects.filter(pk__in=ids).values_list("pk", flat=True))


def update_lists(change):
    deleted = change.notes.get("related", {})
    for page_id in sorted(_articles(change.published - change.retracted)):
        _try(engine.update_article, page_id)
    for page_id in sorted(_articles(change.retracted - change.deleted)):
        _try(engine.remove_article, page_id)
    for locale_id, holders in deleted.values():
        _try(engine.refresh, locale_id, holders)


def _try(fn, *args):
    try:
        fn(*args)
    except Exception:  # never turn a successful publish into an error page
        log.exception("related: could not update the lists (%s%s); run `rightsdesk related --rebuild`", fn.__name__, args)


def note_holders(page, change):
    """Before an article is deleted (its rows go with it): the lists it was in, to refill."""
    if getattr(page, "specific_class", None) is not ArticlePage and not isinstance(page, ArticlePage):
        return
    holders = list(RelatedItem.objects.filter(target_id=page.pk).values_list("article_id", flat=True))
    if holders:
        change.notes.setdefault("related", {})[page.pk] = (page.locale_id, holders)


def steps():
    return [Step("related", update_lists, before_delete=note_holders)]
