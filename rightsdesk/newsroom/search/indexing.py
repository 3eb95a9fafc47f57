"""Keeping the search index current: what is indexed of a page, the updates on publish,
unpublish, deletion, moves and view-restriction changes (called by the "search" step of
newsroom/publishing.py, inside the editor's transaction, after the public version was bumped),
and the whole rebuild (`rightsdesk search --rebuild`). The index holds exactly what
`selectors.published_articles()` and `published_briefs()` give."""

from django.db import connection, transaction

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
