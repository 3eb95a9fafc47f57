"""Related articles, the scoring: pure functions and arrays (numpy, scipy), no database.

The score of a candidate B for an article A (same language, both published and public) is

    0.62 · text + 0.13 · entities + 0.18 · tags + 0.02 · same section + 0.05 · closeness in time

where *text* is the cosine of their TF-IDF vectors (words and word pairs of title, summary and
body, see `text.py`; each vector keeps its 100 strongest terms), *entities* the cosine of the
facts desk entities they mention (weighted by rarity), *tags* the same for their tags, and
closeness in time exp(-days apart / 365). The score is symmetric, which is what lets one publish
update only the lists it changes. A candidate needs some shared content (text, entities or tags)
to be listed at all; section and date only order candidates that have it.

`fit` makes a language's vocabulary, `Index` holds every article of a language as arrays and
matrices and scores rows against all (`parts`, `totals`), `choose` makes one list with the
editors' pins and exclusions. Reading and writing them is store.py's; engine.py runs the rebuild
and the update on publish.
"""

from __future__ import annotations

import heapq
import io
import itertools
import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse

WEIGHTS = {"text": 0.62, "entities": 0.13, "tags": 0.18, "section": 0.02, "recency": 0.05}
RECENCY_DAYS = 365.0
# Shared content (text + entities + tags parts) an item needs to be listed.
MIN_CONTENT = 0.03
MAX_TERMS = 100  # strongest terms kept per article vector
MAX_VOCABULARY = 60_000


def truncate(indices, weights):
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
    return truncate(cols, tf * idf[cols])


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


def lookup(keys, values, wanted):
    """values[keys == w] for each w of `wanted` (every w is among `keys`)."""
    order = np.argsort(keys)
    return values[order[np.searchsorted(keys, wanted, sorter=order)]].astype(np.float64)


def choose(index, row, parts_row, size, pins=(), exclusions=()):
    """The list of one article (`size` places): [(row, pinned)] and its threshold (the score an
    outsider must beat to enter, -1 when there is room, +inf when editors pinned every place)."""
    k = size
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


def reasons(index, names, a, b):
    """Why b is on a's list: the entities and tags both have, and their strongest shared terms.
    `names` gives each row's ({term column: weight}, entity ids, tag ids) (`row(r)`) and the
    names of entities, tags and terms (store.Names)."""
    a_terms, a_entities, a_tags = names.row(a)
    b_terms, b_entities, b_tags = names.row(b)
    common = a_terms.keys() & b_terms.keys()
    strongest = heapq.nlargest(6, common, key=lambda c: (a_terms[c] * b_terms[c], -c))
    return {
        "entities": [names.entities[e] for e in sorted(a_entities & b_entities) if e in names.entities],
        "terms": [names.terms[c] for c in strongest if c < len(names.terms)],
        "tags": [names.tags[t] for t in sorted(a_tags & b_tags) if t in names.tags],
    }
