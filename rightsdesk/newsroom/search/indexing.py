"""Keeping the search index current: what is indexed of a page, the updates on publish,
unpublish, deletion, moves and view-restriction changes (the receivers run inside the editor's
transaction, after the public version was bumped), and the whole rebuild (`rightsdesk search
--rebuild`). The index holds exactly what `selectors.published_articles()` and
`published_briefs()` give."""

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from .. import selectors
from .base import _chunks, backend, normalize




def _models():
    from ..models import ArticlePage, BriefPage

    return ArticlePage, BriefPage


def document(page):
    """(title, body) of an article or a brief, as indexed."""
    ArticlePage, _ = _models()
    if isinstance(page, ArticlePage):
        tags = " ".join(tag.name for tag in page.tags.all())
        parts = [page.dek, page.plain_text(), tags]
    else:
        parts = [page.agency, page.text]
    return normalize(page.title), normalize("\n\n".join(p for p in parts if p))


def _published_ids(page_ids=None):
    """Ids of the public, live articles and briefs (of `page_ids` when given), by the selectors'
    one definition."""
    ids = set()
    for qs in (selectors.published_articles(), selectors.published_briefs()):
        if page_ids is not None:
            qs = qs.filter(pk__in=list(page_ids))
        ids.update(qs.order_by().values_list("pk", flat=True))
    return ids


def _specific_pages(page_ids):
    ArticlePage, BriefPage = _models()
    pages = list(ArticlePage.objects.filter(pk__in=page_ids).prefetch_related("tagged_items__tag"))
    pages += BriefPage.objects.filter(pk__in=page_ids)
    return pages



def index_pages(page_ids):
    """Bring the entries of `page_ids` in line with what is public: published pages (re)written,
    the others removed. Returns the number written."""
    page_ids = set(page_ids)
    if not page_ids:
        return 0
    public_ids = _published_ids(page_ids)
    engine = backend()
    rows = [(p.pk, p.locale_id, *document(p)) for p in _specific_pages(public_ids)]
    with connection.cursor() as cursor:
        engine.delete(cursor, page_ids - public_ids)
        if rows:
            engine.write(cursor, rows)
    return len(rows)


def remove_pages(page_ids):
    with connection.cursor() as cursor:
        backend().delete(cursor, list(page_ids))


def sync_subtree(page):
    """After a change that can make a whole subtree public or private (a view restriction, a
    move, a section unpublished): remove what is no longer public, add what became public."""
    from wagtail.models import Page

    ArticlePage, BriefPage = _models()
    ids = set(Page.objects.descendant_of(page, inclusive=True).type(ArticlePage, BriefPage).values_list("pk", flat=True))
    if not ids:
        return
    public_ids = _published_ids(ids)
    engine = backend()
    with connection.cursor() as cursor:
        indexed = set(engine.indexed(cursor, ids))
        engine.delete(cursor, indexed - public_ids)
    index_pages(public_ids - indexed)


def rebuild(progress=None, batch=200):
    """Rewrite the whole index from the published articles and briefs of every language, in one
    transaction. Returns the number of pages indexed."""
    ids = sorted(_published_ids())
    engine = backend()
    bar = progress(total=len(ids)) if progress else None
    with transaction.atomic():
        with connection.cursor() as cursor:
            engine.delete_all(cursor)
            for chunk in _chunks(ids, batch):
                rows = [(p.pk, p.locale_id, *document(p)) for p in _specific_pages(chunk)]
                engine.write(cursor, rows)
                if bar is not None:
                    bar.update(len(chunk))
            engine.optimize(cursor)
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            engine.vacuum(cursor)
    if bar is not None:
        bar.close()
    return len(ids)


def size():
    with connection.cursor() as cursor:
        return backend().size(cursor)


def _is_searchable(instance):
    return isinstance(instance, _models()) or getattr(instance, "specific_class", None) in _models()


def _published(sender, instance, **kwargs):
    if _is_searchable(instance):
        index_pages([instance.pk])


def _unpublished(sender, instance, **kwargs):
    if _is_searchable(instance):
        remove_pages([instance.pk])
    elif not instance.is_leaf():
        sync_subtree(instance)


def _deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if issubclass(sender, Page):
        remove_pages([instance.pk])


def _moved(sender, instance, **kwargs):
    from wagtail.models import Page

    page = Page.objects.filter(pk=instance.pk).first()  # with its new tree path
    if page is not None:
        sync_subtree(page)


def _restriction_changed(sender, instance, **kwargs):
    from wagtail.models import Page

    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        sync_subtree(page)


def connect():
    """Connect the receivers; called by the app's ready(), after signals.py's, so the public
    version is bumped (and the private sections read afresh) before the index is updated."""
    from wagtail.signals import post_page_move

    page_published.connect(_published, dispatch_uid="rightsdesk-search-published")
    page_unpublished.connect(_unpublished, dispatch_uid="rightsdesk-search-unpublished")
    post_page_move.connect(_moved, dispatch_uid="rightsdesk-search-moved")
    post_delete.connect(_deleted, dispatch_uid="rightsdesk-search-deleted")
    for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(_restriction_changed, sender="wagtailcore.PageViewRestriction",
                       dispatch_uid=f"rightsdesk-search-restriction-{uid}")


# --- querying --------------------------------------------------------------------------------------
