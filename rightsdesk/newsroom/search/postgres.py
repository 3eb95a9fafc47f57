"""The search index on PostgreSQL: a table with tsvector columns and GIN indexes (migrations
0002-0004)."""

import contextlib
import re

from django.db import connection, transaction

from .. import selectors
from .base import _CLOSE, _OPEN, _TERM_RE, DENSE_MATCHES, RANK_ALL, SNIPPET_WORDS, TABLE, Backend, register


@register
class Postgres(Backend):
    """A table with a tsvector column (the `english` configuration for English, `simple` for
    Persian; title weight A, body weight B) and a GIN index, and a small tsvector of the title
    alone with its own GIN index, in narrow rows (the long values in TOAST; migration 0004); the
    count and the ranked page read in one round trip (page()); ranked with ts_rank_cd(); for the
    shown page of results only, PostgreSQL says which of their words match the query, and the
    marks and snippets are made here (_marked())."""

    vendor = "postgresql"
    one_round_trip = True

    @staticmethod
    def config(language):
        return "english" if language == "en" else "simple"

    def expression(self, terms, prefix):
        quoted = [f"'{t}'" for t in terms]  # terms hold no quotes: each is one word, never an operator
        if prefix:
            quoted[-1] += ":*"
        return " & ".join(quoted)

    def any_word(self, terms, prefix):
        """The query's words joined by OR (for "a query word in the title")."""
        return " | ".join(self.expression(terms, prefix).split(" & "))

    def write(self, cursor, rows):
        cursor.executemany(
            f"INSERT INTO {TABLE} (page_id, locale_id, title, body, document, title_document) "
            "VALUES (%s, %s, %s, %s, "
            "setweight(to_tsvector(%s::regconfig, %s), 'A') || setweight(to_tsvector(%s::regconfig, %s), 'B'), "
            "to_tsvector(%s::regconfig, %s)) "
            "ON CONFLICT (page_id) DO UPDATE SET locale_id = EXCLUDED.locale_id, title = EXCLUDED.title, "
            "body = EXCLUDED.body, document = EXCLUDED.document, title_document = EXCLUDED.title_document",
            [
                (pk, locale_id, title, body, cfg, title, cfg, body, cfg, title)
                for pk, locale_id, title, body in rows
                for cfg in [self.config(selectors.language_code(locale_id))]
            ],
        )

    def delete(self, cursor, ids):
        if ids:
            cursor.execute(f"DELETE FROM {TABLE} WHERE page_id = ANY(%s)", [list(ids)])

    def delete_all(self, cursor):
        cursor.execute(f"DELETE FROM {TABLE}")

    def optimize(self, cursor):
        """After a rebuild: the new entries moved from the GIN indexes' pending lists into the
        indexes proper (a query reads a pending list whole: fresh entries made every search
        slower until autovacuum came), and fresh statistics."""
        cursor.execute(f"SELECT gin_clean_pending_list('{TABLE}_document'::regclass), "
                       f"gin_clean_pending_list('{TABLE}_title_document'::regclass)")
        cursor.execute(f"ANALYZE {TABLE}")

    def vacuum(self, cursor):
        """The old rows a rebuild replaced, cleared (outside a transaction only)."""
        cursor.execute(f"VACUUM {TABLE}")

    def indexed(self, cursor, ids):
        cursor.execute(f"SELECT page_id FROM {TABLE} WHERE page_id = ANY(%s)", [list(ids)])
        return [r[0] for r in cursor.fetchall()]

    def size(self, cursor):
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        return cursor.fetchone()[0]

    @staticmethod
    @contextlib.contextmanager
    def reading():
        """A cursor for the queries, with sequential scans off: for a common word the planner
        prefers one, which de-TOASTs the tsvector of every article to test it, where the GIN index
        answers without reading them (bench/RESULTS.md, "Search"). The
        setting is local to the transaction, and put back afterwards when the search runs inside
        a larger transaction."""
        nested = connection.in_atomic_block
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
            previous = cursor.fetchone()[0]
            yield cursor
            if nested:
                cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])

    def count(self, cursor, expr, locale_id, language):
        cursor.execute(
            f"SELECT count(*) FROM {TABLE} WHERE locale_id = %s AND document @@ to_tsquery(%s::regconfig, %s)",
            [locale_id, self.config(language), expr],
        )
        return cursor.fetchone()[0]

    def page(self, cursor, query, offset, limit):
        """The number of matches and one page of them, best first, in one round trip (a round trip
        costs the same however small the query, and the search page used to make ten): one
        string of statements, run by PostgreSQL as one transaction, with sequential scans off for
        it (see reading()). Ranked as SearchResults says, both ways in one statement: the count
        decides which of its parts runs at all. With each result its title and text (for the
        marks).

        Returns (count, [(id, highlighted title, snippet)])."""
        cfg = self.config(query.language)
        end = None if limit is None else offset + limit
        params = {"cfg": cfg, "expr": query.expression, "any": query.any_word, "locale": query.locale_id,
                  "end": end, "offset": offset, "limit": limit, "rank_all": RANK_ALL["postgresql"],
                  "dense": max(RANK_ALL["postgresql"], DENSE_MATCHES)}
        # The tsqueries are written out where used (client-side binding makes them constants): each
        # part's index conditions are then plain constants to the planner.
        matches = "locale_id = %(locale)s AND document @@ to_tsquery(%(cfg)s::regconfig, %(expr)s)"
        # The same, where no index can answer it (`coalesce(document)` is no index's column).
        matches_unindexed = matches.replace("document @@", "coalesce(document) @@")
        in_title = "title_document @@ to_tsquery(%(cfg)s::regconfig, %(any)s)"
        also_body = "" if query.words == 1 else " AND document @@ to_tsquery(%(cfg)s::regconfig, %(expr)s)"
        # Titles with all the words first, then by the words they have (one word: the same rank).
        title_rank2 = "0::real" if query.words == 1 else "ts_rank_cd(title_document, to_tsquery(%(cfg)s::regconfig, %(any)s))"
        cursor.execute(
            "SELECT set_config('rightsdesk.enable_seqscan', current_setting('enable_seqscan'), true), "
            "set_config('enable_seqscan', 'off', true); "
            f"WITH matching AS MATERIALIZED (SELECT count(*) AS n FROM {TABLE} WHERE {matches}), "
            "hits AS ("
            # Few enough: all of them ranked.
            " (SELECT page_id, 0 AS part, ts_rank_cd(document, to_tsquery(%(cfg)s::regconfig, %(expr)s)) AS rank, "
            f"   0::real AS rank2 FROM {TABLE} WHERE (SELECT n FROM matching) <= %(rank_all)s AND {matches} "
            "   ORDER BY rank DESC, page_id DESC LIMIT %(end)s) "
            # Too many: those with a query word in the title first, ranked by their titles...
            " UNION ALL (SELECT page_id, 1, ts_rank_cd(title_document, to_tsquery(%(cfg)s::regconfig, %(expr)s)), "
            f"   {title_rank2} FROM {TABLE} "
            f"   WHERE (SELECT n FROM matching) > %(rank_all)s AND locale_id = %(locale)s AND {in_title}{also_body} "
            "   ORDER BY 3 DESC, 4 DESC, page_id DESC LIMIT %(end)s) "
            # ...then the others, most recently added first: read along the primary key, newest
            # first, when they are many (a few rows read for ten found), otherwise found through
            # the index and sorted (`page_id + 0` is no index's order).
            f" UNION ALL (SELECT page_id, 2, 0, 0 FROM {TABLE} WHERE (SELECT n FROM matching) > %(rank_all)s "
            f"   AND (SELECT n FROM matching) <= %(dense)s AND {matches} AND NOT ({in_title}) "
            "   ORDER BY page_id + 0 DESC LIMIT %(end)s) "
            # (Unindexed, this part can only walk the primary key.)
            f" UNION ALL (SELECT page_id, 2, 0, 0 FROM {TABLE} WHERE (SELECT n FROM matching) > %(dense)s "
            f"   AND {matches_unindexed} AND NOT ({in_title}) ORDER BY page_id DESC LIMIT %(end)s)), "
            "shown AS (SELECT * FROM hits ORDER BY part, rank DESC, rank2 DESC, page_id DESC "
            "  LIMIT %(limit)s OFFSET %(offset)s) "
            "SELECT matching.n, shown.page_id, s.title, s.body FROM matching LEFT JOIN shown ON true "
            f"LEFT JOIN {TABLE} AS s ON s.page_id = shown.page_id "
            "ORDER BY shown.part, shown.rank DESC, shown.rank2 DESC, shown.page_id DESC; "
            "SELECT set_config('enable_seqscan', current_setting('rightsdesk.enable_seqscan'), true)",
            params,
        )
        cursor.nextset()
        found = cursor.fetchall()
        cursor.nextset()
        ids = [pk for _, pk, _, _ in found if pk is not None]
        texts = {pk: (title or "", body or "") for _, pk, title, body in found if pk is not None}
        return found[0][0], self._marked(cursor, cfg, query, ids, texts)

    def _marked(self, cursor, cfg, query, ids, texts):
        """(id, highlighted title, snippet) of `ids`, in that order, from their `texts` ({id:
        (title, body)}). PostgreSQL says which words of these pages match the query (the
        candidates, each alone, against the query's words); the marks and the snippet are made
        here (ts_headline parsed each whole body again for its snippet, which took longer than
        the search itself; bench/RESULTS.md)."""
        if not ids:
            return []
        # The words that begin as a query word does (a stem keeps a word's first letters), and
        # where they are in each text: one pass over it, for the candidates, the marks and the
        # snippet.
        starts = "|".join(sorted({re.escape(term[:2]) for term in query.terms}))
        beginning = re.compile(rf"\b(?:{starts})[^\W_]*", re.IGNORECASE)
        spots = {pk: ([(m.start(), m.end(), m.group().lower()) for m in beginning.finditer(title)],
                      [(m.start(), m.end(), m.group().lower()) for m in beginning.finditer(body)])
                 for pk, (title, body) in texts.items()}
        candidates = {word for in_title, in_body in spots.values() for _, _, word in in_title + in_body}
        matching = set()
        if candidates and query.any_word:
            cursor.execute(
                "SELECT word FROM unnest(%s::text[]) AS word "
                "WHERE to_tsvector(%s::regconfig, word) @@ to_tsquery(%s::regconfig, %s)",
                [sorted(candidates), cfg, cfg, query.any_word],
            )
            matching = {row[0] for row in cursor.fetchall()}
        out = []
        for pk in ids:
            if pk in texts:
                (title, body), (in_title, in_body) = texts[pk], spots[pk]
                title_marks = [(start, end) for start, end, word in in_title if word in matching]
                body_marks = [(start, end) for start, end, word in in_body if word in matching]
                out.append((pk, _mark(title, title_marks), _snippet(body, body_marks)))
        return out


def _mark(text, marks, start=0, end=None):
    """text[start:end] with the words at `marks` ((start, end) offsets in `text`, in order) in it
    marked."""
    end = len(text) if end is None else end
    parts, at = [], start
    for mark_start, mark_end in marks:
        if mark_start >= start and mark_end <= end:
            parts += [text[at:mark_start], _OPEN, text[mark_start:mark_end], _CLOSE]
            at = mark_end
    parts.append(text[at:end])
    return "".join(parts)


def _passage(text, at, count, before):
    """(start, end) of `count` words of `text`, from `before` words before the word at `at`.
    Only the text around `at` is split into words."""
    low = max(0, at - 15 * (before + 1))
    high = at + 15 * (count + 1)
    words = [(m.start(), m.end()) for m in _TERM_RE.finditer(text, low, min(high, len(text)))]
    if low > 0 and words and words[0][0] == low:
        words = words[1:]  # may be the end of a word cut by the window
    if high < len(text) and words and words[-1][1] == high:
        words = words[:-1]
    if not words:
        return at, at
    index = next((i for i, (start, _) in enumerate(words) if start >= at), len(words) - 1)
    first = max(0, index - before)
    last = min(len(words), first + count)
    return words[first][0], words[last - 1][1]


def _snippet(text, marks, size=SNIPPET_WORDS, fragments=2):
    """Up to `fragments` passages of `text` (`size` words in all) around its matching words at
    `marks` ((start, end) offsets, in order), marked, joined by " … "; the text's first `size`
    words when none matches. The text is as indexed (normalized when written)."""
    hits = [start for start, _ in marks[:8]]
    if not hits:
        start, end = _passage(text, 0, size, 0)
        return text[start:end]
    part = size // fragments
    spans = []
    for hit in hits:
        if len(spans) == fragments:
            break
        if not spans or hit >= spans[-1][1]:
            spans.append(_passage(text, hit, part, part // 4))
    if len(spans) == 1:  # one passage holds every match found: it has all the words
        spans = [_passage(text, hits[0], size, size // 4)]
    return " … ".join(_mark(text, marks, start, end) for start, end in spans)
