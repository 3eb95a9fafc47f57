"""Wagtail's database search backend, with the SQLite relevance ranking done by one query.

modelsearch's SQLite backend (WAGTAILSEARCH_BACKENDS "wagtail.search.backends.database") ranks
by annotating every candidate page with a correlated subquery that runs the FTS5 MATCH again for
that row, and counts through the same annotation (bench/RESULTS.md, "Design measurements"), and
seconds at 10,000. Here, when results are ordered by relevance on SQLite, the FTS5 query runs
once (ids and bm25 scores, best first), the caller's queryset (permissions, filters) keeps the
ids it allows with one non-correlated `pk IN (…)` query, and only the requested slice is fetched,
in rank order; the count and the facets use the plain `pk IN (…)` filter. Everything else
(indexing, autocomplete fields, filters, ordering by a field, PostgreSQL, MySQL) is
modelsearch's, unchanged.

Used by the admin's page search (/admin/pages/search/ uses `.autocomplete()`), the page
choosers and the admin listings' search box.
"""

import functools

from django.db import connection
from modelsearch.backends.database import SearchBackend as _database_backend


@functools.cache
def _sqlite_backend_class():
    """Built on first use: modelsearch's SQLite module only imports on SQLite."""
    from django.db.models import Case, FloatField, Value, When
    from modelsearch.backends.database.sqlite import sqlite as _sqlite
    from modelsearch.query import MatchAll, Not
    from modelsearch.utils import get_descendants_content_types_pks

    class _RankedOnce:
        """Mixin for modelsearch's SQLite query compilers."""

        def _index_query(self, config):
            """The FTS5 query of the index (entries with a `score`), as modelsearch builds it; None
            when the query is not a plain positive search (match-all, negation: left to modelsearch)."""
            query = _sqlite.normalize(self.query)
            if isinstance(query, (MatchAll, Not)):
                return None
            search_query = self.build_search_query(query, config=config)
            match = _sqlite.MatchExpression(self.fields or self.FTS_TABLE_FIELDS, search_query)
            rank = self._build_rank_expression(self.get_search_vectors(), config)
            return (
                _sqlite.SQLiteFTSIndexEntry.objects.filter(match)
                .filter(index_entry__content_type__in=get_descendants_content_types_pks(self.queryset.model))
                .annotate(score=rank)
            )

        def ranked(self, config, start, stop, score_field):
            """The slice [start:stop] of the results in rank order (a list), or None for modelsearch."""
            if not self.order_by_relevance and score_field is None:
                return None
            index_query = self._index_query(config)
            if index_query is None:
                return None
            to_pk = self.queryset.model._meta.pk.to_python
            scores = {}
            for object_id, score in index_query.order_by("score").values_list("index_entry__object_id", "score"):
                scores.setdefault(to_pk(object_id), score)
            matching = index_query.values("index_entry__object_id")
            allowed = set(self.queryset.filter(pk__in=matching).order_by().values_list("pk", flat=True))
            if self.order_by_relevance:
                # modelsearch's order: score ascending (bm25 is negative, best first), then newest pk.
                ordered = sorted(allowed, key=lambda pk: (scores[pk], -pk if isinstance(pk, int) else 0))
            else:
                ordered = [pk for pk in self.queryset.filter(pk__in=allowed).values_list("pk", flat=True)]
            wanted = ordered[start:stop]
            if not wanted:
                return []
            score_field = score_field or "_score"
            annotation = Case(*[When(pk=pk, then=Value(scores[pk])) for pk in wanted], output_field=FloatField())
            objects = {obj.pk: obj for obj in self.queryset.filter(pk__in=wanted).annotate(**{score_field: annotation})}
            return [objects[pk] for pk in wanted if pk in objects]

        def unscored(self, config):
            """The matching queryset without scores (for counts and facets)."""
            relevance, self.order_by_relevance = self.order_by_relevance, False
            try:
                return _sqlite.SQLiteSearchQueryCompiler.search(self, config, None, None)
            finally:
                self.order_by_relevance = relevance


    class SearchQueryCompiler(_RankedOnce, _sqlite.SQLiteSearchQueryCompiler):
        pass


    class AutocompleteQueryCompiler(_RankedOnce, _sqlite.SQLiteAutocompleteQueryCompiler):
        pass


    class SearchResults(_sqlite.SQLiteSearchResults):
        def _config(self):
            return self.query_compiler.get_config(self.backend)

        def _do_search(self):
            ranked = self.query_compiler.ranked(self._config(), self.start, self.stop, self._score_field)
            return super()._do_search() if ranked is None else ranked

        def _do_count(self):
            if self.query_compiler._index_query(self._config()) is None:
                return super()._do_count()
            count = self.query_compiler.unscored(self._config()).count()
            count -= self.start
            return max(0, count if self.stop is None else min(count, self.stop - self.start))

        def facet(self, field_name):
            relevance, self.query_compiler.order_by_relevance = self.query_compiler.order_by_relevance, False
            try:
                return super().facet(field_name)
            finally:
                self.query_compiler.order_by_relevance = relevance


    class SQLiteSearchBackend(_sqlite.SQLiteSearchBackend):
        query_compiler_class = SearchQueryCompiler
        autocomplete_query_compiler_class = AutocompleteQueryCompiler
        results_class = SearchResults


    return SQLiteSearchBackend


def SearchBackend(params):  # noqa: N802 (Wagtail's factory name)
    """modelsearch's database backend for the database in use, with the ranking above on SQLite."""
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend as Default

        backend = _database_backend(params)
        if isinstance(backend, Default):
            return _sqlite_backend_class()(params)
        return backend
    return _database_backend(params)
