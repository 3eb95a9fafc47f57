"""What the newsroom reads: an article's stored Related list (no scoring at render)."""

from rightsdesk.newsroom import selectors
from rightsdesk.newsroom.extensions import preloaded

from .models import RelatedItem


def related_for(article, limit):
    """The stored Related list of `article`, in order, without pages that stopped being public
    since it was computed; None when the article has no stored list."""
    ids = related_ids_for(article, limit)
    if ids is None:
        return None
    by_pk = {p.pk: p for p in selectors.published_articles(article.locale_id).filter(pk__in=ids)}
    return selectors.attach_sections([by_pk[pk] for pk in ids if pk in by_pk])


def related_ids_for(article, limit):
    """The ids of `related_for(article, limit)`, without loading the pages; None when the
    article has no stored list."""
    order = preloaded(article, "related.ids")  # a bake loads them for many pages at once (wagtail_hooks.py)
    if order is None:
        order = list(RelatedItem.objects.filter(article_id=article.pk).order_by("rank").values_list("target_id", flat=True))
    if not order:
        return None
    public = selectors.public_article_ids(article.locale_id)
    return [pk for pk in order if pk in public][:limit]
