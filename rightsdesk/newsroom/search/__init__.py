"""The public search: a full-text index of our own of the public articles and briefs, queried
directly, ranked, with highlighted snippets.

Wagtail's database search backend (modelsearch) ranks on SQLite with a correlated subquery that
re-runs the full-text match for every result row; a direct query of the index is two orders of
magnitude faster (bench/RESULTS.md, "Search"). So the reader's search uses one table of its own,
one module per database vendor behind one interface (base.Backend):

- sqlite.py: an FTS5 virtual table (`porter unicode61 remove_diacritics 2`: English words stemmed,
  Persian words kept whole, accents folded; prefix indexes of 3 and 4 characters for words being
  typed), rowid = page id; ranked with bm25() (a title hit weighs ten body hits), shown with
  highlight() and snippet().
- postgres.py: a table with a tsvector column (the `english` configuration for English, `simple`
  for Persian; title weight A, body weight B) and a GIN index, and a small tsvector of the title
  alone with its own GIN index, in narrow rows (the long values in TOAST; migration 0004); the
  count and the ranked page read in one round trip (Postgres.page); ranked with ts_rank_cd();
  for the shown page of results only, PostgreSQL says which of their words match the query, and
  the marks and snippets are made here (see Postgres._marked).

Ranking reads every match, so a query matching more than RANK_ALL pages (a common word, a short
prefix) lists the matches with a query word in the title first, ranked, then the others, most
recently added first (see results.SearchResults). Results are narrow rows (results.Result), not
pages.

The index holds exactly what `selectors.published_articles()` and `published_briefs()` give: it is
kept current on publish, unpublish, deletion, moves and view-restriction changes (indexing.py, by
the "search" step of publishing.py, inside the editor's transaction, after the public version was
bumped), and rebuilt whole by `rebuild()` (`rightsdesk search --rebuild`). The results are checked against the live,
public pages once more when shown (selectors.search_result_rows, kept per publish).

This module is the public interface: what other modules (the selectors, the command line, the
tests and benchmarks) use.
"""

from . import postgres, sqlite  # noqa: F401  (each registers its Backend)
from .base import MAX_TERM_LENGTH, MAX_TERMS, RANK_ALL, TABLE, backend, marked_html, normalize, query_terms
from .indexing import document, index_pages, rebuild, remove_pages, size, sync_subtree
from .results import Result, SearchResults, search

__all__ = [
    "MAX_TERMS", "MAX_TERM_LENGTH", "RANK_ALL", "TABLE", "Result", "SearchResults", "backend", "document",
    "index_pages", "marked_html", "normalize", "query_terms", "rebuild", "remove_pages", "search", "size",
    "sync_subtree",
]
