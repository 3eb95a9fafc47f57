"""Related articles: scoring, the full rebuild and the update on one publish or unpublish.

The score of a candidate B for an article A (same language, both published and public) is

    0.62 · text + 0.13 · entities + 0.18 · tags + 0.02 · same section + 0.05 · closeness in time

where *text* is the cosine of their TF-IDF vectors (words and word pairs of title, summary and
body, see `text.py`; each vector keeps its 100 strongest terms), *entities*
the cosine of the facts desk entities they mention (weighted by rarity), *tags* the same for their
tags, and closeness in time exp(-days apart / 365). The score is symmetric, which is what lets one
publish update only the lists it changes. A candidate needs some shared content (text, entities or
tags) to be listed at all; section and date only order candidates that have it.

Each list holds the editors' pins first, then the best-scored candidates, never an exclusion, the
article itself or a translation of it (translations are in another language, and languages are
scored apart). Lists are stored in `RelatedItem` with their score parts and reasons.

A full rebuild fits the vocabulary of each language, computes every list and stores the scoring
index of the language in one row (`Vocabulary.snapshot`). Publishing one article describes it
with that vocabulary (words it does not know are left out until the next rebuild), writes its own
features row, scores it against the index (the snapshot, less the articles unpublished since,
plus the rows publishes have written since) and recomputes its own list and the lists it enters
or leaves; unpublishing deletes its row and recomputes the lists it was in. Neither rewrites the
snapshot: a publish writes only what changed.
"""

from __future__ import annotations

import heapq
import io
import itertools
import logging
import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from scipy import sparse

from . import text

log = logging.getLogger(__name__)

WEIGHTS = {"text": 0.62, "entities": 0.13, "tags": 0.18, "section": 0.02, "recency": 0.05}
RECENCY_DAYS = 365.0
# Shared content (text + entities + tags parts) an item needs to be listed.
MIN_CONTENT = 0.03
MAX_TERMS = 100  # strongest terms kept per article vector
MAX_VOCABULARY = 60_000
# A site this small refits its vocabulary on publish once it has grown by a quarter; larger sites
# refit with `rightsdesk related --rebuild` (e.g. nightly).
AUTO_REFIT_MAX = 2000
CHUNK = 256


def list_size():
    return settings.RIGHTSDESK_RELATED_COUNT


# --- articles and their features ----------------------------------------------------------------


def _published(locale_id):
    from rightsdesk.newsroom import selectors

    return selectors.published_articles(locale_id)


def _load_pages(qs):
    return list(qs.only("id", "title", "dek", "body", "path", "depth", "first_published", "locale_id"))


def _section_ids(pages):
    from wagtail.models import Page

    paths = {p.path[: -Page.steplen] for p in pages}
    by_path = dict(Page.objects.filter(path__in=paths).values_list("path", "id"))
    return {p.pk: by_path.get(p.path[: -Page.steplen]) for p in pages}


def _day(page):
    when = page.first_published
    return when.timestamp() / 86400.0 if when else 0.0


def _tags_and_entities(page_ids_or_qs):
    from rightsdesk.facts.models import Mention
    from rightsdesk.newsroom.models import ArticleTag

    tags, entities = {}, {}
    for page_id, tag_id in ArticleTag.objects.filter(content_object_id__in=page_ids_or_qs).values_list(
        "content_object_id", "tag_id"
    ):
        tags.setdefault(page_id, set()).add(tag_id)
    mentioned = Mention.objects.filter(page_id__in=page_ids_or_qs).values_list("page_id", "entity_id").distinct()
    for page_id, entity_id in mentioned:
        entities.setdefault(page_id, set()).add(entity_id)
    return tags, entities


def _truncate(indices, weights):
    """Keep the MAX_TERMS strongest terms, L2-normalised."""
    if len(indices) > MAX_TERMS:
        keep = np.argpartition(-weights, MAX_TERMS)[:MAX_TERMS]
        indices, weights = indices[keep], weights[keep]
    norm = float(np.sqrt((weights.astype(np.float64) ** 2).sum()))
    if norm > 0:
        weights = weights / norm
    order = np.argsort(indices)
    return indices[order].astype(np.int32), weights[order].astype(np.float32)


@dataclass
class Vocab:
    terms: list
    idf: np.ndarray
    documents: int

    def __post_init__(self):
        self.column = {t: i for i, t in enumerate(self.terms)}

    def rare(self):
        """The idf of a word of one article."""
        return math.log((1 + self.documents) / 2) + 1.0

    def append(self, terms):
        for term in terms:
            self.column[term] = len(self.terms)
            self.terms.append(term)
        self.idf = np.concatenate([self.idf, np.full(len(terms), self.rare(), np.float32)])

    def vector(self, terms):
        """The article's weighted terms (words the vocabulary does not know are left out)."""
        return _weigh(Counter(terms), self.column, self.idf)


def _weigh(counts, column, idf):
    """Term counts → the article's (columns, weights): tf · idf of the terms in `column`,
    truncated to the strongest MAX_TERMS, L2-normalised."""
    cols = np.array(list(map(column.get, counts, itertools.repeat(-1))), np.int64)
    tf = np.fromiter(counts.values(), np.float32, len(counts))
    known = cols >= 0
    cols, tf = cols[known], tf[known]
    return _truncate(cols, tf * idf[cols])


def fit(term_lists):
    """The vocabulary of a language's articles and each article's weighted terms. Terms in fewer
    than two articles or in more than half of them are dropped (on 20 articles or more); of the
    rest, the MAX_VOCABULARY found in most articles are kept; idf = ln((1 + n) / (1 + df)) + 1."""
    n = len(term_lists)
    counts = [Counter(terms) for terms in term_lists]
    df = Counter()
    for c in counts:
        df.update(c.keys())
    low, high = (2, 0.5 * n) if n >= 20 else (1, n)
    kept = [t for t, d in df.items() if low <= d <= high]
    if len(kept) > MAX_VOCABULARY:
        kept = heapq.nlargest(MAX_VOCABULARY, kept, key=lambda t: (df[t], t))
    kept.sort()
    column = {t: i for i, t in enumerate(kept)}
    document_frequency = np.fromiter((df[t] for t in kept), np.float64, len(kept))
    idf = (np.log((1 + n) / (1 + document_frequency)) + 1.0).astype(np.float32)
    return Vocab(kept, idf, n), [_weigh(c, column, idf) for c in counts]


# --- the in-memory index of one language ----------------------------------------------------------


def _ragged(rows):
    """Lists of ids → (pointer, ids) arrays, as in a CSR matrix."""
    ptr = np.zeros(len(rows) + 1, np.int64)
    if rows:
        ptr[1:] = np.cumsum([len(r) for r in rows])
    ids = np.fromiter((x for r in rows for x in sorted(r)), np.int64, int(ptr[-1]))
    return ptr, ids


def _rarity_matrix(ptr, ids, n):
    """Rows of ids → L2-normalised sparse matrix weighted by inverse document frequency."""
    if not len(ids):
        return sparse.csr_matrix((n, 1), dtype=np.float32)
    unique, columns, counts = np.unique(ids, return_inverse=True, return_counts=True)
    idf = np.log((1 + n) / (1 + counts)) + 1.0
    values = idf[columns]
    rows = np.repeat(np.arange(n), np.diff(ptr))
    norms = np.sqrt(np.bincount(rows, weights=values**2, minlength=n))
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(((values / norms[rows]).astype(np.float32), columns.astype(np.int32), ptr),
                             shape=(n, len(unique)))


def _select(ptr, ids, keep):
    """Rows `keep` (a boolean mask) of a ragged (pointer, ids) pair."""
    lengths = np.diff(ptr)
    new_ptr = np.zeros(int(keep.sum()) + 1, np.int64)
    new_ptr[1:] = np.cumsum(lengths[keep])
    return new_ptr, ids[np.repeat(keep, lengths)]


class Index:
    """Every published article of one language as arrays and matrices, for scoring. The full
    rebuild stores it whole (`to_bytes`) with the vocabulary, so that a publish reads one row and
    the few features rows written since, instead of thousands."""

    def __init__(self, ids, sections, days, text_matrix, entity_ptr, entity_ids, tag_ptr, tag_ids, thresholds):
        self.ids = np.asarray(ids, np.int64)
        self.sections = np.asarray(sections, np.int64)
        self.days = np.asarray(days, np.float64)
        self.text = text_matrix.tocsr()
        self.entity_ptr, self.entity_ids = np.asarray(entity_ptr, np.int64), np.asarray(entity_ids, np.int64)
        self.tag_ptr, self.tag_ids = np.asarray(tag_ptr, np.int64), np.asarray(tag_ids, np.int64)
        self.thresholds = np.asarray(thresholds, np.float64).copy()

    @cached_property
    def pos(self):
        """Row number of each page id."""
        return {pk: i for i, pk in enumerate(self.ids.tolist())}

    # Weighted matrices and transposes are computed when first scored (an index that is only
    # edited and stored again never needs them).
    @cached_property
    def entities(self):
        return _rarity_matrix(self.entity_ptr, self.entity_ids, len(self.ids))

    @cached_property
    def tags(self):
        return _rarity_matrix(self.tag_ptr, self.tag_ids, len(self.ids))

    @cached_property
    def _transposed(self):
        return self.text.T.tocsr(), self.entities.T.tocsr(), self.tags.T.tocsr()

    def _similarity(self, matrix, transposed, rows):
        if len(rows) <= 16:  # a few rows: one pass over the matrix, no transpose needed
            return (matrix @ matrix[rows].T).toarray().T
        return (matrix[rows] @ transposed).toarray()

    @classmethod
    def build(cls, ids, sections, days, term_rows, vocab_size, entity_rows, tag_rows, thresholds=None):
        """From Python lists: term_rows are (columns, weights) pairs, entity and tag rows id sets."""
        n = len(ids)
        indptr = np.zeros(n + 1, np.int64)
        if n:
            indptr[1:] = np.cumsum([len(r[0]) for r in term_rows])
        indices = np.concatenate([r[0] for r in term_rows]).astype(np.int32) if n else np.zeros(0, np.int32)
        data = np.concatenate([r[1] for r in term_rows]).astype(np.float32) if n else np.zeros(0, np.float32)
        text_matrix = sparse.csr_matrix((data, indices, indptr), shape=(n, max(vocab_size, 1)))
        return cls(ids, [s if s is not None else -1 for s in sections], days, text_matrix, *_ragged(entity_rows),
                   *_ragged(tag_rows), thresholds if thresholds is not None else [-1.0] * n)

    def __len__(self):
        return len(self.ids)

    def entity_set(self, row):
        return set(self.entity_ids[self.entity_ptr[row]:self.entity_ptr[row + 1]].tolist())

    def tag_set(self, row):
        return set(self.tag_ids[self.tag_ptr[row]:self.tag_ptr[row + 1]].tolist())

    def without(self, page_ids):
        return self.subset(~np.isin(self.ids, np.asarray(list(page_ids), np.int64)))

    def subset(self, keep):
        """The rows of a boolean mask."""
        return Index(self.ids[keep], self.sections[keep], self.days[keep], self.text[keep],
                     *_select(self.entity_ptr, self.entity_ids, keep), *_select(self.tag_ptr, self.tag_ids, keep),
                     self.thresholds[keep])

    def join(self, other):
        """This index followed by the rows of `other` (no page in both)."""
        width = max(self.text.shape[1], other.text.shape[1])

        def widened(m):
            return sparse.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], width))

        def ragged(ptr_a, ids_a, ptr_b, ids_b):
            return np.concatenate([ptr_a, ptr_b[1:] + ptr_a[-1]]), np.concatenate([ids_a, ids_b])

        return Index(
            np.concatenate([self.ids, other.ids]), np.concatenate([self.sections, other.sections]),
            np.concatenate([self.days, other.days]), sparse.vstack([widened(self.text), widened(other.text)], format="csr"),
            *ragged(self.entity_ptr, self.entity_ids, other.entity_ptr, other.entity_ids),
            *ragged(self.tag_ptr, self.tag_ids, other.tag_ptr, other.tag_ids),
            np.concatenate([self.thresholds, other.thresholds]),
        )

    def to_bytes(self):
        buffer = io.BytesIO()
        t = self.text
        np.savez(buffer, ids=self.ids, sections=self.sections, days=self.days, thresholds=self.thresholds,
                 t_indptr=t.indptr, t_indices=t.indices, t_data=t.data, t_shape=np.array(t.shape),
                 e_ptr=self.entity_ptr, e_ids=self.entity_ids, g_ptr=self.tag_ptr, g_ids=self.tag_ids)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob):
        z = np.load(io.BytesIO(bytes(blob)))
        text_matrix = sparse.csr_matrix((z["t_data"], z["t_indices"], z["t_indptr"]), shape=tuple(z["t_shape"]))
        return cls(z["ids"], z["sections"], z["days"], text_matrix, z["e_ptr"], z["e_ids"], z["g_ptr"], z["g_ids"],
                   z["thresholds"])

    def parts(self, rows):
        """Weighted score parts of `rows` (a list of row numbers) against every article:
        a dict of (len(rows), n) arrays."""
        rows = np.asarray(rows)
        few = len(rows) <= 16
        text_t, entities_t, tags_t = (None, None, None) if few else self._transposed
        text_part = self._similarity(self.text, text_t, rows)
        entity_part = self._similarity(self.entities, entities_t, rows)
        tag_part = self._similarity(self.tags, tags_t, rows)
        same_section = (self.sections[rows][:, None] == self.sections[None, :]) & (self.sections[rows][:, None] >= 0)
        recency = np.exp(-np.abs(self.days[rows][:, None] - self.days[None, :]) / RECENCY_DAYS)
        return {
            "text": WEIGHTS["text"] * text_part,
            "entities": WEIGHTS["entities"] * entity_part,
            "tags": WEIGHTS["tags"] * tag_part,
            "section": WEIGHTS["section"] * same_section,
            "recency": WEIGHTS["recency"] * recency,
        }

    @staticmethod
    def totals(parts):
        content = parts["text"] + parts["entities"] + parts["tags"]
        total = content + parts["section"] + parts["recency"]
        return np.where(content >= MIN_CONTENT, total, -np.inf)


def _index_from_rows(locale_id, vocab_size, **filters):
    """An index of the per-article rows of one language (all, or those matching `filters`)."""
    from .models import ArticleFeatures

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


def _vocab_of(row):
    """The vocabulary of a Vocabulary row and the words appended since (`NewTerm`), reusing this
    process's copy while it is current: the fit changes only with a full rebuild (a new
    fitted_at), and between two fits words are only appended, so only those not seen yet are read.
    Rows read with the terms deferred have them read only when the copy is stale."""
    from .models import NewTerm

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
        return _vocab_of(row)
    return vocab


def _index_of(row, locale_id, vocab):
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
    index.thresholds = _lookup(ids, thresholds, index.ids)
    return index


def _lists_of(locale_id):
    """(page id, threshold, in_snapshot) of every features row of a language. Read with plain SQL
    (from the covering index): the ORM's per-row conversions would cost more than the read itself
    at 10,000 rows."""
    from .models import ArticleFeatures

    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn('page_id')}, {qn('threshold')}, {qn('in_snapshot')} FROM {qn(ArticleFeatures._meta.db_table)} "
            f"WHERE {qn('locale_id')} = %s",
            [locale_id],
        )
        return cursor.fetchall()


def _lookup(keys, values, wanted):
    """values[keys == w] for each w of `wanted` (every w is among `keys`)."""
    order = np.argsort(keys)
    return values[order[np.searchsorted(keys, wanted, sorter=order)]].astype(np.float64)


def load_index(locale_id):
    """The current index of one language and its vocabulary."""
    from .models import Vocabulary

    row = Vocabulary.objects.filter(locale_id=locale_id).defer("terms").first()
    vocab = _vocab_of(row) if row else None
    return _index_of(row, locale_id, vocab), vocab


# --- choosing and storing lists --------------------------------------------------------------------


def _editor_choices(article_ids):
    from .models import RelatedExclusion, RelatedPin

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


def choose(index, row, parts_row, pins=(), exclusions=()):
    """The list of one article: [(row, pinned)] and its threshold (the score an outsider must
    beat to enter, -1 when there is room, +inf when editors pinned every place)."""
    k = list_size()
    own = int(index.ids[row])
    chosen, seen = [], {own}
    for pk in pins:
        j = index.pos.get(int(pk))
        if j is not None and pk not in seen and pk not in exclusions and len(chosen) < k:
            chosen.append((j, True))
            seen.add(pk)
    total = Index.totals(parts_row).copy()
    total[row] = -np.inf
    for pk in set(exclusions) | seen:
        j = index.pos.get(int(pk))
        if j is not None:
            total[j] = -np.inf
    room = k - len(chosen)
    if room <= 0:
        return chosen, float("inf")
    candidates = np.flatnonzero(np.isfinite(total))
    if len(candidates) > room:
        top = candidates[np.argpartition(-total[candidates], room - 1)[:room]]
    else:
        top = candidates
    # Best first; ties: the newer article, then the higher id.
    top = sorted(top.tolist(), key=lambda j: (-total[j], -index.days[j], -int(index.ids[j])))
    chosen += [(j, False) for j in top]
    threshold = float(total[top[-1]]) if len(top) == room else -1.0
    return chosen, threshold


class _Names:
    """What the reasons need, fetched once per batch: entity, tag and term names, and each row's
    terms, entities and tags as Python sets and dicts (read once per row, not once per pair)."""

    def __init__(self, index, vocab, rows):
        from rightsdesk.facts.models import Entity
        from taggit.models import Tag

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


def _reasons(index, names, a, b):
    a_terms, a_entities, a_tags = names.row(a)
    b_terms, b_entities, b_tags = names.row(b)
    common = a_terms.keys() & b_terms.keys()
    strongest = heapq.nlargest(6, common, key=lambda c: (a_terms[c] * b_terms[c], -c))
    return {
        "entities": [names.entities[e] for e in sorted(a_entities & b_entities) if e in names.entities],
        "terms": [names.terms[c] for c in strongest if c < len(names.terms)],
        "tags": [names.tags[t] for t in sorted(a_tags & b_tags) if t in names.tags],
    }


def _delete(qs):
    """Delete the rows of a queryset in one statement. `qs.delete()` would fetch every row first,
    because Wagtail listens to post_delete on every model (its reference index); these rows have
    no signals that matter and nothing cascades from them. `_raw_delete` is Django's own
    one-statement delete (private, stable since Django 1.9)."""
    return qs._raw_delete(qs.db)


def recompute(index, vocab, article_ids, store_thresholds=True, replace=True):
    """Compute and store the lists of `article_ids` (all in `index`); returns their number. The
    thresholds are kept in `index.thresholds`, and in the features rows unless told not to; the
    lists' old items are deleted first unless told there are none."""
    from .models import ArticleFeatures, RelatedItem

    rows = [index.pos[int(pk)] for pk in article_ids if int(pk) in index.pos]
    if not rows:
        return 0
    pins, exclusions = _editor_choices([int(index.ids[r]) for r in rows])
    items, thresholds = [], {}
    chosen_rows = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        parts = index.parts(chunk)
        for n, row in enumerate(chunk):
            pk = int(index.ids[row])
            parts_row = {key: value[n] for key, value in parts.items()}
            chosen, threshold = choose(index, row, parts_row, pins.get(pk, ()), exclusions.get(pk, set()))
            thresholds[pk] = threshold
            chosen_rows.append((row, chosen, {key: [float(parts_row[key][j]) for j, _ in chosen] for key in parts_row}))
    names = _Names(index, vocab, list({r for r, _, _ in chosen_rows} | {j for _, c, _ in chosen_rows for j, _ in c}))
    for row, chosen, part_values in chosen_rows:
        for rank, (j, pinned) in enumerate(chosen):
            parts_j = {key: round(values[rank], 4) for key, values in part_values.items()}
            items.append(RelatedItem(
                article_id=int(index.ids[row]), target_id=int(index.ids[j]), rank=rank,
                score=round(sum(parts_j.values()), 4), pinned=pinned, parts=parts_j,
                reasons=_reasons(index, names, row, j),
            ))
    ids = list(thresholds)
    with transaction.atomic():
        for start in range(0, len(ids) if replace else 0, 500):
            _delete(RelatedItem.objects.filter(article_id__in=ids[start : start + 500]))
        RelatedItem.objects.bulk_create(items, batch_size=1000)
        if store_thresholds:
            features = [ArticleFeatures(page_id=pk, threshold=1e9 if math.isinf(t) else t) for pk, t in thresholds.items()]
            ArticleFeatures.objects.bulk_update(features, ["threshold"], batch_size=1000)
    for pk, t in thresholds.items():
        index.thresholds[index.pos[pk]] = 1e9 if math.isinf(t) else t
    return len(ids)


# --- full rebuild ----------------------------------------------------------------------------------


def rebuild(locale_id=None, progress=None):
    """Fit the vocabulary and compute every list, for one language or all; returns the number of
    articles. All or nothing: a failure leaves the previous lists in place."""
    from wagtail.models import Locale

    total = 0
    locales = [locale_id] if locale_id is not None else list(Locale.objects.values_list("pk", flat=True))
    for lid in locales:
        total += _rebuild_locale(lid, progress)
    return total


def _rebuild_locale(locale_id, progress=None):
    from .models import ArticleFeatures, NewTerm, RelatedItem, Vocabulary

    qs = _published(locale_id)
    pages = _load_pages(qs)
    n = len(pages)
    sections = _section_ids(pages)
    tags, entities = _tags_and_entities(qs.values("pk"))
    step = progress(total=2 * n, desc=f"{_language(locale_id)}: reading") if progress else None
    term_lists = []
    for page in pages:
        term_lists.append(text.article_terms(page))
        if step:
            step.update(1)
    vocab, term_rows = fit(term_lists)
    del term_lists
    ids = [p.pk for p in pages]
    index = Index.build(ids, [sections[pk] for pk in ids], [_day(p) for p in pages], term_rows, len(vocab.terms),
                  [entities.get(pk, set()) for pk in ids], [tags.get(pk, set()) for pk in ids])
    with transaction.atomic():
        Vocabulary.objects.update_or_create(
            locale_id=locale_id,
            defaults={"terms": vocab.terms, "idf": vocab.idf.astype(np.float32).tobytes(), "documents": n},
        )
        _delete(NewTerm.objects.filter(locale_id=locale_id))
        _delete(RelatedItem.objects.filter(article__locale_id=locale_id))
        _delete(ArticleFeatures.objects.filter(locale_id=locale_id))
        for start in range(0, n, CHUNK * 4):
            recompute(index, vocab, ids[start : start + CHUNK * 4], store_thresholds=False, replace=False)
            if step:
                step.update(min(CHUNK * 4, n - start))
        ArticleFeatures.objects.bulk_create(
            [
                ArticleFeatures(
                    page_id=pk, locale_id=locale_id, section_id=sections[pk], day=index.days[i],
                    term_ids=term_rows[i][0].tobytes(), term_weights=term_rows[i][1].tobytes(),
                    entities=sorted(entities.get(pk, ())), tags=sorted(tags.get(pk, ())),
                    threshold=float(index.thresholds[i]), in_snapshot=True,
                )
                for i, pk in enumerate(ids)
            ],
            batch_size=1000,
        )
        Vocabulary.objects.filter(locale_id=locale_id).update(snapshot=index.to_bytes())
    if step:
        step.close()
    return n


def _language(locale_id):
    from rightsdesk.newsroom.selectors import language_code

    return language_code(locale_id)


# --- one publish, one unpublish ----------------------------------------------------------------------


def _needs_refit(documents, count):
    if documents is None:
        return True
    return count <= AUTO_REFIT_MAX and documents < 0.8 * count


def update_article(page_id):
    """An article was published (or re-published): store its features, its list, and the lists
    it now enters or leaves. Returns the number of lists written."""
    from .models import ArticleFeatures, Vocabulary

    from rightsdesk.newsroom.models import ArticlePage

    page = ArticlePage.objects.filter(pk=page_id).only("locale_id").first()
    if page is None:
        return remove_article(page_id)
    pages = _load_pages(_published(page.locale_id).filter(pk=page_id))
    if not pages:
        return remove_article(page_id)
    page = pages[0]
    locale_id = page.locale_id
    documents = Vocabulary.objects.filter(locale_id=locale_id).values_list("documents", flat=True).first()
    count = ArticleFeatures.objects.filter(locale_id=locale_id).exclude(page_id=page_id).count() + 1
    if _needs_refit(documents, count):
        return _rebuild_locale(locale_id)
    tags, entities = _tags_and_entities([page_id])
    terms = text.article_terms(page)
    section_id = _section_ids([page])[page_id]
    try:
        return _update(page, page_id, locale_id, terms, section_id, tags, entities)
    except Exception:
        _vocabularies.pop(locale_id, None)  # it may hold words of a transaction that did not commit
        raise


def _update(page, page_id, locale_id, terms, section_id, tags, entities):
    from .models import ArticleFeatures, NewTerm, RelatedItem

    with transaction.atomic():
        # One publish at a time per language (the lists and thresholds it reads change together).
        row = _locked_vocabulary(locale_id)
        if row is None:  # no rebuild yet (or it was just undone): fit the language now
            return _rebuild_locale(locale_id)
        vocab = _vocab_of(row)
        # A word pair seen once is noise; a new word (a new name, place, story) is what matters:
        # it gets the next column (one row each) until the next rebuild refits the vocabulary.
        new = sorted({t for t in terms if " " not in t and t not in vocab.column and len(t) <= 255})
        if new:
            NewTerm.objects.bulk_create(
                [NewTerm(locale_id=locale_id, column=len(vocab.terms) + i, term=t) for i, t in enumerate(new)]
            )
            vocab.append(new)
        idx, weights = vocab.vector(terms)
        ArticleFeatures.objects.update_or_create(
            page_id=page_id,
            defaults={
                "locale_id": locale_id, "section_id": section_id, "day": _day(page),
                "term_ids": idx.tobytes(), "term_weights": weights.tobytes(),
                "entities": sorted(entities.get(page_id, ())), "tags": sorted(tags.get(page_id, ())),
                "in_snapshot": False,
            },
        )
        index = _index_of(row, locale_id, vocab)
        row_number = index.pos[page_id]
        total = Index.totals(index.parts([row_number]))[0]
        affected = set(RelatedItem.objects.filter(target_id=page_id).values_list("article_id", flat=True))
        enters = np.flatnonzero(np.isfinite(total) & (total > index.thresholds))
        affected.update(int(index.ids[j]) for j in enters)
        affected.discard(page_id)
        return recompute(index, vocab, [page_id, *sorted(affected)])


def remove_article(page_id):
    """An article was unpublished, deleted or made private: drop it everywhere and refill the
    lists it was in."""
    from .models import ArticleFeatures, RelatedItem

    locale_id = ArticleFeatures.objects.filter(page_id=page_id).values_list("locale_id", flat=True).first()
    with transaction.atomic():
        # The same lock as a publish's: the rows it deletes are rows a publish would read.
        row = _locked_vocabulary(locale_id) if locale_id is not None else None
        affected = set(RelatedItem.objects.filter(target_id=page_id).values_list("article_id", flat=True))
        _delete(RelatedItem.objects.filter(article_id=page_id))
        _delete(RelatedItem.objects.filter(target_id=page_id))
        _delete(ArticleFeatures.objects.filter(page_id=page_id))
        if row is None:
            return 0
        return _refresh_locked(row, locale_id, affected)


def refresh(locale_id, article_ids):
    """Recompute the lists of some articles of one language (e.g. after a deletion). Articles
    without features rows (unpublished or deleted) are left out of the index and the lists."""
    with transaction.atomic():
        row = _locked_vocabulary(locale_id)
        return _refresh_locked(row, locale_id, article_ids) if row is not None else 0


def _locked_vocabulary(locale_id):
    """The language's Vocabulary row, locked until the transaction ends (None before a first
    rebuild): one publish, unpublish or refill at a time per language."""
    from .models import Vocabulary

    return Vocabulary.objects.select_for_update().defer("terms").filter(locale_id=locale_id).first()


def _refresh_locked(row, locale_id, article_ids):
    vocab = _vocab_of(row)
    index = _index_of(row, locale_id, vocab)
    return recompute(index, vocab, sorted(set(article_ids) & set(index.pos)))
