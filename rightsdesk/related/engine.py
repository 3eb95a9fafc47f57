"""Related articles: the full rebuild and the update on one publish or unpublish.

How a candidate is scored is scoring.py's (pure functions, no database); reading and writing the
features, the vocabulary and the stored index is store.py's. This module puts them together.

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

import math

import numpy as np
from django.conf import settings
from django.db import transaction

from . import store, text
from .scoring import Index, choose, fit, reasons
from .store import load_index  # noqa: F401  (public: the current index of a language)

# A site this small refits its vocabulary on publish once it has grown by a quarter; larger sites
# refit with `rightsdesk related --rebuild` (e.g. nightly).
AUTO_REFIT_MAX = 2000
CHUNK = 256


def list_size():
    return settings.RIGHTSDESK_RELATED_COUNT


def recompute(index, vocab, article_ids, store_thresholds=True, replace=True):
    """Compute and store the lists of `article_ids` (all in `index`); returns their number. The
    thresholds are kept in `index.thresholds`, and in the features rows unless told not to; the
    lists' old items are deleted first unless told there are none."""
    rows = [index.pos[int(pk)] for pk in article_ids if int(pk) in index.pos]
    if not rows:
        return 0
    pins, exclusions = store.editor_choices([int(index.ids[r]) for r in rows])
    items, thresholds = [], {}
    chosen_rows = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        parts = index.parts(chunk)
        for n, row in enumerate(chunk):
            pk = int(index.ids[row])
            parts_row = {key: value[n] for key, value in parts.items()}
            chosen, threshold = choose(index, row, parts_row, list_size(), pins.get(pk, ()), exclusions.get(pk, set()))
            thresholds[pk] = threshold
            chosen_rows.append((row, chosen, {key: [float(parts_row[key][j]) for j, _ in chosen] for key in parts_row}))
    names = store.Names(index, vocab, list({r for r, _, _ in chosen_rows} | {j for _, c, _ in chosen_rows for j, _ in c}))
    for row, chosen, part_values in chosen_rows:
        for rank, (j, pinned) in enumerate(chosen):
            parts_j = {key: round(values[rank], 4) for key, values in part_values.items()}
            items.append({
                "article_id": int(index.ids[row]), "target_id": int(index.ids[j]), "rank": rank,
                "score": round(sum(parts_j.values()), 4), "pinned": pinned, "parts": parts_j,
                "reasons": reasons(index, names, row, j),
            })
    store.save_lists(items, thresholds, store_thresholds=store_thresholds, replace=replace)
    for pk, t in thresholds.items():
        index.thresholds[index.pos[pk]] = 1e9 if math.isinf(t) else t
    return len(thresholds)


# --- full rebuild ----------------------------------------------------------------------------------


def rebuild(locale_id=None, progress=None):
    """Fit the vocabulary and compute every list, for one language or all; returns the number of
    articles. All or nothing: a failure leaves the previous lists in place."""
    total = 0
    locales = [locale_id] if locale_id is not None else store.locales()
    for lid in locales:
        total += _rebuild_locale(lid, progress)
    return total


def _rebuild_locale(locale_id, progress=None):
    qs = store.published(locale_id)
    pages = store.load_pages(qs)
    n = len(pages)
    sections = store.section_ids(pages)
    tags, entities = store.tags_and_entities(qs.values("pk"))
    step = progress(total=2 * n, desc=f"{store.language_of(locale_id)}: reading") if progress else None
    term_lists = []
    for page in pages:
        term_lists.append(text.article_terms(page))
        if step:
            step.update(1)
    vocab, term_rows = fit(term_lists)
    del term_lists
    ids = [p.pk for p in pages]
    index = Index.build(ids, [sections[pk] for pk in ids], [store.day_of(p) for p in pages], term_rows, len(vocab.terms),
                  [entities.get(pk, set()) for pk in ids], [tags.get(pk, set()) for pk in ids])
    with transaction.atomic():
        store.start_rebuild(locale_id, vocab, n)
        for start in range(0, n, CHUNK * 4):
            recompute(index, vocab, ids[start : start + CHUNK * 4], store_thresholds=False, replace=False)
            if step:
                step.update(min(CHUNK * 4, n - start))
        store.finish_rebuild(locale_id, index, sections, term_rows, tags, entities)
    if step:
        step.close()
    return n


# --- one publish, one unpublish ----------------------------------------------------------------------


def _needs_refit(documents, count):
    if documents is None:
        return True
    return count <= AUTO_REFIT_MAX and documents < 0.8 * count


def update_article(page_id):
    """An article was published (or re-published): store its features, its list, and the lists
    it now enters or leaves. Returns the number of lists written."""
    locale_id = store.article_locale(page_id)
    if locale_id is None:
        return remove_article(page_id)
    pages = store.load_pages(store.published(locale_id).filter(pk=page_id))
    if not pages:
        return remove_article(page_id)
    page = pages[0]
    locale_id = page.locale_id
    documents, count = store.fit_state(locale_id, page_id)
    if _needs_refit(documents, count):
        return _rebuild_locale(locale_id)
    tags, entities = store.tags_and_entities([page_id])
    terms = text.article_terms(page)
    section_id = store.section_ids([page])[page_id]
    try:
        return _update(page, page_id, locale_id, terms, section_id, tags, entities)
    except Exception:
        store.forget_vocabulary(locale_id)  # it may hold words of a transaction that did not commit
        raise


def _update(page, page_id, locale_id, terms, section_id, tags, entities):
    with transaction.atomic():
        # One publish at a time per language (the lists and thresholds it reads change together).
        row = store.locked_vocabulary(locale_id)
        if row is None:  # no rebuild yet (or it was just undone): fit the language now
            return _rebuild_locale(locale_id)
        vocab = store.vocab_of(row)
        # A word pair seen once is noise; a new word (a new name, place, story) is what matters:
        # it gets the next column (one row each) until the next rebuild refits the vocabulary.
        new = sorted({t for t in terms if " " not in t and t not in vocab.column and len(t) <= 255})
        if new:
            store.append_terms(locale_id, vocab, new)
        columns, weights = vocab.vector(terms)
        store.save_features(page, locale_id, section_id, columns, weights, tags.get(page_id, ()),
                            entities.get(page_id, ()))
        index = store.index_of(row, locale_id, vocab)
        row_number = index.pos[page_id]
        total = Index.totals(index.parts([row_number]))[0]
        affected = store.lists_with(page_id)
        enters = np.flatnonzero(np.isfinite(total) & (total > index.thresholds))
        affected.update(int(index.ids[j]) for j in enters)
        affected.discard(page_id)
        return recompute(index, vocab, [page_id, *sorted(affected)])


def remove_article(page_id):
    """An article was unpublished, deleted or made private: drop it everywhere and refill the
    lists it was in."""
    locale_id = store.features_locale(page_id)
    with transaction.atomic():
        # The same lock as a publish's: the rows it deletes are rows a publish would read.
        row = store.locked_vocabulary(locale_id) if locale_id is not None else None
        affected = store.lists_with(page_id)
        store.delete_article(page_id)
        if row is None:
            return 0
        return _refresh_locked(row, locale_id, affected)


def refresh(locale_id, article_ids):
    """Recompute the lists of some articles of one language (e.g. after a deletion). Articles
    without features rows (unpublished or deleted) are left out of the index and the lists."""
    with transaction.atomic():
        row = store.locked_vocabulary(locale_id)
        return _refresh_locked(row, locale_id, article_ids) if row is not None else 0


def _refresh_locked(row, locale_id, article_ids):
    vocab = store.vocab_of(row)
    index = store.index_of(row, locale_id, vocab)
    return recompute(index, vocab, sorted(set(article_ids) & set(index.pos)))
