"""Related lists, the scoring alone: no database, no Django (rightsdesk/related/scoring.py)."""

import subprocess
import sys

import numpy as np
import pytest

from rightsdesk.related import scoring


def _index(term_rows, entities=None, tags=None, sections=None, days=None):
    n = len(term_rows)
    rows = []
    for row in term_rows:
        idx = np.array(sorted(row), np.int32)
        w = np.array([row[i] for i in sorted(row)], np.float32)
        rows.append(scoring.truncate(idx, w))
    return scoring.Index.build(
        list(range(1, n + 1)), sections or [1] * n, days or [0.0] * n, rows, 10,
        entities or [set()] * n, tags or [set()] * n,
    )


def test_the_scoring_needs_no_django():
    code = "import sys, rightsdesk.related.scoring; print(any(m.split('.')[0] in ('django', 'wagtail') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_scores_rank_shared_words_names_and_tags_and_are_symmetric():
    index = _index(
        [{0: 1.0, 1: 1.0}, {0: 1.0, 1: 0.9}, {0: 1.0, 5: 1.0}, {7: 1.0}],
        entities=[{10}, {10}, set(), set()],
        tags=[{3}, {3}, set(), set()],
    )
    totals = scoring.Index.totals(index.parts([0, 1, 2, 3]))
    assert totals[0, 1] > totals[0, 2] > 0  # words, names and a tag beat one shared word
    assert np.isneginf(totals[0, 3])  # nothing in common: never listed, whatever section and date
    np.testing.assert_allclose(totals[np.isfinite(totals)], totals.T[np.isfinite(totals)], rtol=1e-6)


def test_same_section_and_closeness_in_time_order_equal_content():
    # Articles 2 and 3 share the same words with article 1; 2 is in its section and a day away,
    # 3 in another section and two years away.
    index = _index([{0: 1.0}, {0: 1.0}, {0: 1.0}], sections=[1, 1, 2], days=[0.0, 1.0, 730.0])
    totals = scoring.Index.totals(index.parts([0]))[0]
    assert totals[1] > totals[2] > 0


def test_list_has_pins_first_and_never_exclusions_or_itself():
    index = _index([{0: 1.0}, {0: 1.0}, {0: 0.8, 1: 0.2}, {0: 0.5, 1: 0.5}, {9: 1.0}])
    parts = {k: v[0] for k, v in index.parts([0]).items()}
    chosen, _ = scoring.choose(index, 0, parts, 3)
    ids = [int(index.ids[j]) for j, _ in chosen]
    assert ids == [2, 3, 4]  # best first; article 5 shares nothing
    chosen, threshold = scoring.choose(index, 0, parts, 3, pins=[5, 1], exclusions={2})
    assert [(int(index.ids[j]), pinned) for j, pinned in chosen] == [(5, True), (3, False), (4, False)]
    assert threshold == pytest.approx(scoring.Index.totals(parts)[3])  # the last scored place
    # Room left: anyone with shared content may enter; every place pinned: no one can.
    assert scoring.choose(index, 0, parts, 10)[1] == -1.0
    assert scoring.choose(index, 0, parts, 1, pins=[3])[1] == float("inf")


def test_fit_keeps_words_of_several_articles_but_not_of_most():
    common, shared, once = "rights", "urmia", "chess"
    lists = [[common] for _ in range(20)]
    lists[0] += [shared, once]
    lists[1] += [shared]
    vocab, rows = scoring.fit(lists)
    assert vocab.terms == [shared]  # in one article: noise; in every one: says nothing
    assert vocab.documents == 20
    columns, weights = rows[0]
    assert columns.tolist() == [vocab.column[shared]] and weights.tolist() == pytest.approx([1.0])
    assert len(rows[2][0]) == 0
    # A word the vocabulary does not know is left out of an article described later.
    assert vocab.vector([shared, "unknown"])[0].tolist() == [vocab.column[shared]]


def test_index_survives_storage_and_edits():
    index = _index([{0: 1.0}, {0: 1.0, 2: 1.0}, {2: 1.0}], entities=[{1}, {1, 2}, set()], tags=[{4}, set(), {4}])
    again = scoring.Index.from_bytes(index.to_bytes())
    np.testing.assert_allclose(scoring.Index.totals(again.parts([0, 1, 2])),
                               scoring.Index.totals(index.parts([0, 1, 2])))
    without = index.without([2])
    assert without.ids.tolist() == [1, 3] and without.entity_set(1) == set() and without.tag_set(1) == {4}
    joined = without.join(index.subset(np.array([False, True, False])))
    assert joined.ids.tolist() == [1, 3, 2] and joined.entity_set(2) == {1, 2}
    assert scoring.lookup(np.array([5, 3, 9]), np.array([0.5, 0.3, 0.9]), np.array([9, 5])).tolist() == [0.9, 0.5]
