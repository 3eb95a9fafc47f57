"""Related articles, the storage: reading the articles' features and the stored index and
vocabulary of a language (Django's ORM and SQL), and the helpers that write lists. The scoring
itself is scoring.py's; engine.py puts the two together.

A full rebuild stores the scoring index of each language in one row (`Vocabulary.snapshot`);
each publish since writes its own features row (`ArticleFeatures`, `in_snapshot` false) and the
new words it brought (`NewTerm`). The current index is the snapshot less the articles unpublished
since plus those rows (index_of).
"""

from __future__ import annotations

import math

import numpy as np
from django.db import connection, transaction
from taggit.models import Tag
from wagtail.models import Locale, Page

from rightsdesk.facts.models import Entity, Mention
from rightsdesk.newsroom import selectors
from rightsdesk.newsroom.models import ArticlePage, ArticleTag

from .models import ArticleFeatures, NewTerm, RelatedExclusion, RelatedItem, RelatedPin, Vocabulary
from .scoring import Index, Vocab, lookup


def published(locale_id):
    """The public, live articles of a language (the selectors' one definition)."""
    return selectors.published_articles(locale_id)


def load_pages(qs):
    return list(qs.only("id", "title", "dek", "body", "path", "depth", "first_published", "locale_id"))


def section_ids(pages):
    paths = {p.path[: -Page.steplen] for p in pages}
    by_path = dict(Page.objects.filter(path__in=paths).values_list("path", "id"))
    return {p.pk: by_path.get(p.path[: -Page.steplen]) for p in pages}


def day_of(page):
    when = page.first_published
    return when.timestamp() / 86400.0 if when else 0.0


def tags_and_entities(page_ids_or_qs):
    tags, entities = {}, {}
    for page_id, tag_id in ArticleTag.objects.filter(content_object_id__in=page_ids_or_qs).values_list(
        "content_object_id", "tag_id"
    ):
        tags.setdefault(page_id, set()).add(tag_id)
    mentioned = Mention.objects.filter(page_id__in=page_ids_or_qs).values_list("page_id", "entity_id").distinct()
    for page_id, entity_id in mentioned:
        entities.setdefault(page_id, set()).add(entity_id)
    return tags, entities


def _index_from_rows(locale_id, vocab_size, **filters):
    """An index of the per-article rows of one language (all, or those matching `filters`)."""
    rows = list(
        ArticleFeatures.objects.filter(locale_id=locale_id, **filters)
        .order_by("page_id")
        .values_list("page_id", "section_id", "day", "term_ids", "term_weights", "entities", "tags", "threshold")
    )
    return Index.build(
        [r[0] for r in rows],
        [r[1] for r in rows],
        [r[2] for r in rows],
        [(np.frombuffer(bytes(r[3]), np.int32), np.frombuffer(bytes(r[4]), np.float32)) for r in rows],
        vocab_size,
        [r[5] for r in rows],
        [r[6] for r in rows],
        [r[7] for r in rows],
    )


_vocabularies = {}  # per process: locale id -> (fitted_at, Vocab)


def forget_vocabulary(locale_id):
    """Drop this process's copy of a language's vocabulary (it may hold words of a transaction
    that did not commit)."""
    _vocabularies.pop(locale_id, None)


def vocab_of(row):
    """The vocabulary of a Vocabulary row and the words appended since (`NewTerm`), reusing this
    process's copy while it is current: the fit changes only with a full rebuild (a new
    fitted_at), and between two fits words are only appended, so only those not seen yet are read.
    Rows read with the terms deferred have them read only when the copy is stale."""
    cached = _vocabularies.get(row.locale_id)
    if cached and cached[0] == row.fitted_at:
        vocab = cached[1]
    else:
        vocab = Vocab(list(row.terms), np.frombuffer(bytes(row.idf), np.float32).copy(), row.documents)
        _vocabularies[row.locale_id] = (row.fitted_at, vocab)
    appended = list(
        NewTerm.objects.filter(locale_id=row.locale_id, column__gte=len(vocab.terms))
        .order_by("column").values_list("column", "term")
    )
    if appended and appended[0][0] == len(vocab.terms) and appended[-1][0] == len(vocab.terms) + len(appended) - 1:
        vocab.append([term for _, term in appended])
    elif appended:  # not contiguous with this copy: read it again
        _vocabularies.pop(row.locale_id, None)
        return vocab_of(row)
    return vocab


def index_of(row, locale_id, vocab):
    """The current index of one language: the snapshot the last full rebuild stored, less the
    articles unpublished since, plus the rows publishes have written since (`in_snapshot` false),
    with every list's current threshold. Publishes write only their own rows, never the snapshot."""
    vocab_size = len(vocab.terms) if vocab else 0
    if row is None or not row.snapshot:
        return _index_from_rows(locale_id, vocab_size)
    snapshot = Index.from_bytes(row.snapshot)
    current = _lists_of(locale_id)
    ids = np.array([r[0] for r in current], np.int64)
    thresholds = np.array([r[1] for r in current], np.float64)
    in_snapshot = np.array([r[2] for r in current], bool)
    keep = np.isin(snapshot.ids, ids[in_snapshot])
    index = snapshot if keep.all() else snapshot.subset(keep)
    if not in_snapshot.all():
        index = index.join(_index_from_rows(locale_id, max(vocab_size, snapshot.text.shape[1]), in_snapshot=False))
    index.thresholds = lookup(ids, thresholds, index.ids)
    return index


def _lists_of(locale_id):
    """(page id, threshold, in_snapshot) of every features row of a language. Read with plain SQL
    (from the covering index): the ORM's per-row conversions would cost more than the read itself
    at 10,000 rows."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn('page_id')}, {qn('threshold')}, {qn('in_snapshot')} FROM {qn(ArticleFeatures._meta.db_table)} "
            f"WHERE {qn('locale_id')} = %s",
            [locale_id],
        )
        return cursor.fetchall()


def load_index(locale_id):
    """The current index of one language and its vocabulary."""
    row = Vocabulary.objects.filter(locale_id=locale_id).defer("terms").first()
    vocab = vocab_of(row) if row else None
    return index_of(row, locale_id, vocab), vocab


def editor_choices(article_ids):
    pins, exclusions = {}, {}
    for article_id, page_id in RelatedPin.objects.filter(article_id__in=article_ids).order_by(
        "sort_order", "pk"
    ).values_list("article_id", "page_id"):
        pins.setdefault(article_id, []).append(page_id)
    for article_id, page_id in RelatedExclusion.objects.filter(article_id__in=article_ids).values_list(
        "article_id", "page_id"
    ):
        exclusions.setdefault(article_id, set()).add(page_id)
    return pins, exclusions


class Names:
    """What the reasons need, fetched once per batch: entity, tag and term names, and each row's
    terms, entities and tags as Python sets and dicts (read once per row, not once per pair)."""

    def __init__(self, index, vocab, rows):
        self.index = index
        self._rows = {}
        entity_ids = {e for r in rows for e in self.row(r)[1]}
        tag_ids = {t for r in rows for t in self.row(r)[2]}
        self.entities = dict(Entity.objects.filter(pk__in=entity_ids).values_list("pk", "name"))
        self.tags = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
        self.terms = vocab.terms if vocab else []

    def row(self, r):
        """({term column: weight}, entity ids, tag ids) of row `r`."""
        if r not in self._rows:
            t = self.index.text
            lo, hi = t.indptr[r], t.indptr[r + 1]
            self._rows[r] = (dict(zip(t.indices[lo:hi].tolist(), t.data[lo:hi].tolist())),
                             self.index.entity_set(r), self.index.tag_set(r))
        return self._rows[r]


def delete_rows(qs):
    """Delete the rows of a queryset in one statement. `qs.delete()` would fetch every row first,
    because Wagtail listens to post_delete on every model (its reference index); these rows have
    no signals that matter and nothing cascades from them. `_raw_delete` is Django's own
    one-statement delete (private, stable since Django 1.9)."""
    return qs._raw_delete(qs.db)


def locked_vocabulary(locale_id):
    """The language's Vocabulary row, locked until the transaction ends (None before a first
    rebuild): one publish, unpublish or refill at a time per language."""
    return Vocabulary.objects.select_for_update().defer("terms").filter(locale_id=locale_id).first()


def locales():
    """Every language's locale id."""
    return list(Locale.objects.values_list("pk", flat=True))


def language_of(locale_id):
    return selectors.language_code(locale_id)


# --- writing ------------------------------------------------------------------------------------


def article_locale(page_id):
    """The language (locale id) of an article, None when there is no such article."""
    return ArticlePage.objects.filter(pk=page_id).values_list("locale_id", flat=True).first()


def fit_state(locale_id, page_id):
    """(documents the vocabulary was fitted on or None, articles with features once `page_id` has
    its own)."""
    documents = Vocabulary.objects.filter(locale_id=locale_id).values_list("documents", flat=True).first()
    count = ArticleFeatures.objects.filter(locale_id=locale_id).exclude(page_id=page_id).count() + 1
    return documents, count


def save_lists(lists, thresholds, store_thresholds=True, replace=True):
    """Store the lists of some articles: `lists` are dicts of RelatedItem's fields, `thresholds`
    {article id: threshold} (every article whose list this is). Their old items are deleted
    first unless told there are none; the thresholds go into the features rows unless told not
    to."""
    ids = list(thresholds)
    with transaction.atomic():
        for start in range(0, len(ids) if replace else 0, 500):
            delete_rows(RelatedItem.objects.filter(article_id__in=ids[start : start + 500]))
        RelatedItem.objects.bulk_create([RelatedItem(**item) for item in lists], batch_size=1000)
        if store_thresholds:
            features = [ArticleFeatures(page_id=pk, threshold=1e9 if math.isinf(t) else t) for pk, t in thresholds.items()]
            ArticleFeatures.objects.bulk_update(features, ["threshold"], batch_size=1000)


def start_rebuild(locale_id, vocab, documents):
    """Inside the rebuild's transaction: the new vocabulary stored, and the language's words
    appended since, lists and features rows deleted."""
    Vocabulary.objects.update_or_create(
        locale_id=locale_id,
        defaults={"terms": vocab.terms, "idf": vocab.idf.astype(np.float32).tobytes(), "documents": documents},
    )
    delete_rows(NewTerm.objects.filter(locale_id=locale_id))
    delete_rows(RelatedItem.objects.filter(article__locale_id=locale_id))
    delete_rows(ArticleFeatures.objects.filter(locale_id=locale_id))


def finish_rebuild(locale_id, index, sections, term_rows, tags, entities):
    """Inside the rebuild's transaction, after the lists: every article's features row (part of
    the snapshot) and the snapshot of the index."""
    ArticleFeatures.objects.bulk_create(
        [
            ArticleFeatures(
                page_id=pk, locale_id=locale_id, section_id=sections[pk], day=index.days[i],
                term_ids=term_rows[i][0].tobytes(), term_weights=term_rows[i][1].tobytes(),
                entities=sorted(entities.get(pk, ())), tags=sorted(tags.get(pk, ())),
                threshold=float(index.thresholds[i]), in_snapshot=True,
            )
            for i, pk in enumerate(int(pk) for pk in index.ids)
        ],
        batch_size=1000,
    )
    Vocabulary.objects.filter(locale_id=locale_id).update(snapshot=index.to_bytes())


def append_terms(locale_id, vocab, new):
    """New words of a publish: each the next column of the vocabulary, until the next rebuild."""
    NewTerm.objects.bulk_create(
        [NewTerm(locale_id=locale_id, column=len(vocab.terms) + i, term=t) for i, t in enumerate(new)]
    )
    vocab.append(new)


def save_features(page, locale_id, section_id, columns, weights, tags, entities):
    """A published article's own features row (not in the snapshot)."""
    ArticleFeatures.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "locale_id": locale_id, "section_id": section_id, "day": day_of(page),
            "term_ids": columns.tobytes(), "term_weights": weights.tobytes(),
            "entities": sorted(entities), "tags": sorted(tags), "in_snapshot": False,
        },
    )


def lists_with(page_id):
    """Ids of the articles whose list holds `page_id`."""
    return set(RelatedItem.objects.filter(target_id=page_id).values_list("article_id", flat=True))


def features_locale(page_id):
    """The language of an article's features row (None when it has none)."""
    return ArticleFeatures.objects.filter(page_id=page_id).values_list("locale_id", flat=True).first()


def delete_article(page_id):
    """An article's list, its places in others' lists and its features row, deleted."""
    delete_rows(RelatedItem.objects.filter(article_id=page_id))
    delete_rows(RelatedItem.objects.filter(target_id=page_id))
    delete_rows(ArticleFeatures.objects.filter(page_id=page_id))
