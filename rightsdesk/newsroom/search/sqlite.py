"""The search index on SQLite: an FTS5 table (migrations 0002 and 0003)."""

from django.db import connection

from .base import _CLOSE, _OPEN, RANK_ALL, SNIPPET_WORDS, TABLE, TITLE_WEIGHT, Backend, _chunks, _params, register


@register
class SQLite(Backend):
    """An FTS5 virtual table (`porter unicode61 remove_diacritics 2`: English words stemmed,
    Persian words kept whole, accents folded; prefix indexes of 3 and 4 characters for words
    being typed), rowid = page id, the language an indexed column; ranked with bm25() (a title hit
    weighs ten body hits), shown with highlight() and snippet()."""

    vendor = "sqlite"

    def expression(self, terms, prefix):
        quoted = [f'"{t}"' for t in terms]  # terms hold no quotes: each is one word, never an operator
        if prefix:
            quoted[-1] += "*"
        return " ".join(quoted)

    def any_word(self, terms, prefix):
        """The query's words joined by OR (for "a query word in the title")."""
        return " OR ".join(self.expression(terms, prefix).split(" "))

    def write(self, cursor, rows):
        ids = [r[0] for r in rows]
        self.delete(cursor, ids)
        cursor.executemany(f"INSERT INTO {TABLE} (rowid, title, body, locale) VALUES (%s, %s, %s, %s)",
                           [(pk, title, body, f"locale{locale_id}") for pk, locale_id, title, body in rows])

    def delete(self, cursor, ids):
        for chunk in _chunks(list(ids)):
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({_params(chunk)})", chunk)

    def delete_all(self, cursor):
        cursor.execute(f"DELETE FROM {TABLE}")

    @staticmethod
    def reading():
        """A cursor for the queries (no transaction: on SQLite it would take the write lock)."""
        return connection.cursor()

    def optimize(self, cursor):
        """Merge the index's segments into one (after a rebuild: fewer b-trees to read per query)."""
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES('optimize')")

    def indexed(self, cursor, ids):
        found = []
        for chunk in _chunks(list(ids)):
            cursor.execute(f"SELECT rowid FROM {TABLE} WHERE rowid IN ({_params(chunk)})", chunk)
            found += [r[0] for r in cursor.fetchall()]
        return found

    def size(self, cursor):
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        return cursor.fetchone()[0]

    @staticmethod
    def in_language(expr, locale_id):
        # The language is an indexed column matched with the words: a filter on a column outside
        # the full-text index would read every matching row's stored text (bench/RESULTS.md).
        return f'{{title body}}: ({expr}) AND locale: "locale{int(locale_id)}"'

    def _count(self, cursor, match):
        cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH %s", [match])
        return cursor.fetchone()[0]

    def count(self, cursor, expr, locale_id, language):
        return self._count(cursor, self.in_language(expr, locale_id))

    def _rows(self, cursor, match, order, offset, limit):
        """(id, highlighted title, snippet) of the matches of `match` in `order`, one page. With
        `ORDER BY rank` FTS5 sorts by bm25 itself, so highlight() and snippet() run only for the
        rows returned (sorting by a bm25() expression made SQLite compute them for every match
        first; bench/RESULTS.md, "Search")."""
        rank = "AND rank MATCH %s " if order == "rank" else ""
        cursor.execute(
            f"SELECT rowid, highlight({TABLE}, 0, %s, %s), snippet({TABLE}, 1, %s, %s, '…', {SNIPPET_WORDS}) "
            f"FROM {TABLE} WHERE {TABLE} MATCH %s {rank}ORDER BY {order} LIMIT %s OFFSET %s",
            [_OPEN, _CLOSE, _OPEN, _CLOSE, match, *([f"bm25({TITLE_WEIGHT}, 1.0, 0.0)"] if rank else []),
             limit, offset],
        )
        return cursor.fetchall()

    def ranked(self, cursor, query, offset, limit):
        """One page of results, best first: [(id, highlighted title, snippet)]."""
        match = self.in_language(query.expression, query.locale_id)
        if query.count() <= RANK_ALL["sqlite"] or query.any_word is None:
            return self._rows(cursor, match, "rank", offset, limit)
        # Too many to rank: title hits first (the best by bm25's own weights), ranked, then the rest.
        in_title = f"{match} AND {{title}}: ({query.any_word})"
        rows = self._rows(cursor, in_title, "rank", offset, limit)
        if limit != -1 and len(rows) >= limit:
            return rows
        title_hits = offset + len(rows) if rows else self._count(cursor, in_title)
        rest = f"({match}) NOT {{title}}: ({query.any_word})"
        return rows + self._rows(cursor, rest, "rowid DESC", max(0, offset - title_hits),
                                 -1 if limit == -1 else limit - len(rows))
