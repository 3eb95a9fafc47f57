"""The public search: a full-text index of our own of the public articles and briefs, queried
directly, ranked, with highlighted snippets.

Wagtail's database search backend (modelsearch) ranks on SQLite with a correlated subquery that
re-runs the full-text match for every result row (80–840 ms on 1,000 pages); a direct query of
the index takes a few milliseconds. So the reader's search uses one table of its own:

- SQLite: an FTS5 virtual table (`porter unicode61 remove_diacritics 2`: English words stemmed,
  Persian words kept whole, accents folded; prefix indexes of 3 and 4 characters for words being
  typed), rowid = page id; ranked with bm25() (a title hit weighs ten body hits), shown with
  highlight() and snippet().
- PostgreSQL: a table with a tsvector column (the `english` configuration for English, `simple`
  for Persian; title weight A, body weight B) and a GIN index, and a small tsvector of the title
  alone with its own GIN index, in narrow rows (the long values in TOAST; migration 0004); the
  count and the ranked page read in one round trip (_Postgres.page); ranked with ts_rank_cd();
  for the shown page of results only, PostgreSQL says which of their words match the query, and
  the marks and snippets are made here (see _Postgres._marked).

Ranking reads every match, so a query matching more than RANK_ALL pages (a common word, a short
prefix) lists the matches with a query word in the title first, ranked, then the others, most
recently added first (see SearchResults). Results are narrow rows (search.Result), not pages.

The index holds exactly what `selectors.published_articles()` and `published_briefs()` give: it is
kept current on publish, unpublish, deletion, moves and view-restriction changes (the "search"
step of publishing.py, inside the editor's transaction, after the public version was bumped), and rebuilt
whole by `rebuild()` (`rightsdesk search --rebuild`). The results are checked against the live,
public pages once more when shown (selectors.search_result_rows, kept per publish).
"""

import contextlib
import datetime
import html
import re
import unicodedata

from django.conf import settings
from django.db import connection, transaction
from django.utils.safestring import mark_safe

TABLE = "newsroom_search"
TITLE_WEIGHT = 10.0  # SQLite bm25(): a title hit counts as ten body hits
SNIPPET_WORDS = 28
MAX_TERMS = 12
MAX_TERM_LENGTH = 60
# A query matching more than this many pages of one language is not ranked whole (ranking reads
# every match's positions: 3-4 µs a match on SQLite, and on PostgreSQL ts_rank_cd de-TOASTs each
# match's tsvector, ~30 µs): the matches with a query word in the title come first, ranked, then
# the others, most recently added first. See SearchResults.
RANK_ALL = {"sqlite": 1500, "postgresql": 200}
# PostgreSQL: past this many matches, the unranked ones are read newest first along the primary
# key (each row read de-TOASTs its tsvector to test it; with this many matches ten are found
# after a few dozen rows); below, they are found through the GIN index and sorted.
DENSE_MATCHES = 2000

# Private-use characters mark the matches in the database's output; the text is escaped first and
# then they become <mark> tags, so nothing from the text itself can become markup.
_OPEN, _CLOSE = "\ue000", "\ue001"
# Arabic-script diacritics (harakat, superscript alef) and the tatweel are dropped, the Arabic
# forms of yeh and kaf become the Persian ones: a reader types either.
_FOLD = {**{c: None for c in range(0x064B, 0x0660)}, 0x0670: None, 0x0640: None,
         0x064A: "ی", 0x0649: "ی", 0x0643: "ک", ord(_OPEN): None, ord(_CLOSE): None}
_TERM_RE = re.compile(r"[^\W_]+")


def normalize(text):
    """Text as it is indexed and queried (the same folding on both sides)."""
    return unicodedata.normalize("NFC", text or "").translate(_FOLD)


def query_terms(query):
    """The words of a reader's query: letters and digits only (operators, quotes and punctuation
    are dropped), at most MAX_TERMS words, each at most MAX_TERM_LENGTH characters."""
    return [t[:MAX_TERM_LENGTH] for t in _TERM_RE.findall(normalize(query))][:MAX_TERMS]


def _prefix(terms, query):
    """The last word is matched as a prefix (as the reader may still be typing it) when it has
    three letters or more and the query does not end with a space."""
    return bool(terms) and len(terms[-1]) >= 3 and not query.endswith(" ")


def marked_html(text):
    """Database output with match markers as safe HTML: the text escaped, matches in <mark>."""
    escaped = html.escape(text or "", quote=False)
    return mark_safe(escaped.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))


# --- what is indexed ----------------------------------------------------------------------------


def _models():
    from .models import ArticlePage, BriefPage

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
    from . import selectors

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


# --- the two backends -----------------------------------------------------------------------------


class _SQLite:
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

    def vacuum(self, cursor):
        pass

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
        # the full-text index would read every matching row's stored text (10-30 ms on common words).
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
        first: 25-35 ms for a common word at 10,000 articles)."""
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


class _Postgres:
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
        from . import selectors

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
        indexes proper (a query reads a pending list whole: 10,000 fresh entries made every
        search several milliseconds slower until autovacuum came), and fresh statistics."""
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
        prefers one, which de-TOASTs the tsvector of every article to test it (80-330 ms at
        10,000 articles), where the GIN index answers without reading them (3-25 ms). The
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
        """The number of matches and one page of them, best first, in one round trip (each costs
        about 0.6 ms here however small the query, and the search page used to make ten): one
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
        here (ts_headline parsed each whole body again for its snippet: 0.5 ms a page, more
        than the search itself)."""
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


def _chunks(items, size=500):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _params(items):
    return ", ".join(["%s"] * len(items))


def backend(vendor=None):
    vendor = vendor or connection.vendor
    if vendor == "sqlite":
        return _SQLite()
    if vendor == "postgresql":
        return _Postgres()
    raise NotImplementedError(f"the search index supports SQLite and PostgreSQL, not {vendor}")


# --- keeping the index current --------------------------------------------------------------------


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


# --- querying --------------------------------------------------------------------------------------


class SearchResults:
    """The ranked results of one query in one language, fetched a page at a time (what Django's
    Paginator needs: count() and slicing). Each result is a Result (only what the results page
    shows: `search_title` and `search_snippet`, safe HTML with the matched words in <mark>,
    `first_published`, a brief's `agency`, and `get_url()` for the `page_href` tag).

    Ranking reads each match's word positions, so a query matching more than RANK_ALL pages (a
    very common word, a short prefix being typed) is not ranked whole: the matches with a query
    word in the title come first, ranked (they are the best by the ranking's own weights, a
    title hit weighing ten body hits), then the others, most recently added first."""

    def __init__(self, query, locale_id):
        from . import selectors

        self.query = query
        self.locale_id = locale_id
        self.language = selectors.language_code(locale_id)
        self.engine = backend()
        terms = query_terms(query)
        prefix = _prefix(terms, query)
        self.terms = terms
        self.words = len(terms)
        self.expression = self.engine.expression(terms, prefix) if terms else None
        self.any_word = self.engine.any_word(terms, prefix) if terms else None
        self._count = None
        self._expected = None  # (offset, limit) of the page that will be read, when known
        self._read = None  # (offset, limit, results) of the page read with the count

    def expect_page(self, number, per_page):
        """Says which page of results will be read. Django's Paginator asks for the count first
        and then for the page; where the backend can (PostgreSQL), both come back from one
        round trip to the database."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            return
        if number >= 1:
            self._expected = ((number - 1) * per_page, per_page)

    def _read_page(self, offset, limit):
        with connection.cursor() as cursor:
            self._count, rows = self.engine.page(cursor, self, offset, limit)
        self._read = (offset, limit, self._pages(rows))
        return self._read[2]

    def count(self):
        if self._count is None:
            if self.expression is None:
                self._count = 0
            elif self._expected is not None and hasattr(self.engine, "page"):
                self._read_page(*self._expected)
            else:
                with self.engine.reading() as cursor:
                    self._count = self.engine.count(cursor, self.expression, self.locale_id, self.language)
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("search results are read a page (a slice) at a time")
        start, stop = key.start or 0, key.stop
        if self.expression is None or (stop is not None and stop <= start) or self.count() == 0:
            return []
        limit = (stop - start) if stop is not None else -1 if connection.vendor == "sqlite" else None
        if self._read is not None:
            read_offset, read_limit, results = self._read
            # The page read with the count, or its start (Django's Paginator asks for a last page
            # shorter than the page size by its length).
            if read_offset == start and (read_limit is None or (limit is not None and limit <= read_limit)):
                return results[:limit]
        if hasattr(self.engine, "page"):
            return self._read_page(start, limit)
        with self.engine.reading() as cursor:
            rows = self.engine.ranked(cursor, self, start, limit)
        return self._pages(rows)

    def _pages(self, rows):
        """The results as Result objects: only pages still live and public (the index is checked
        once more against what readers may see, from the kept selectors.search_result_rows)."""
        from . import selectors

        found = selectors.search_result_rows(self.locale_id)
        results = []
        for pk, title, snippet in rows:
            row = found.get(pk)
            if row is None:
                continue  # unpublished or made private since it was indexed
            _, path, depth, url_path, locale_id, published, date, agency = row
            results.append(Result(pk, path, depth, url_path, locale_id, _aware(published if date is None else date),
                                  agency or "", marked_html(title), marked_html(snippet)))
        return results


def _aware(value):
    """A datetime column as the ORM gives it (SQLite's driver gives naive UTC datetimes, or text)."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and settings.USE_TZ and timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


class Result:
    """One search result: what the results page shows of an article or brief. `get_url()` (what
    the `page_href` tag calls, once per publish) is the page's own: the page models do not
    change how Wagtail works out their address."""

    __slots__ = ("pk", "path", "depth", "url_path", "locale_id", "first_published", "agency", "search_title",
                 "search_snippet")

    def __init__(self, pk, path, depth, url_path, locale_id, first_published, agency, search_title, search_snippet):
        self.pk, self.path, self.depth, self.url_path, self.locale_id = pk, path, depth, url_path, locale_id
        self.first_published, self.agency = first_published, agency
        self.search_title, self.search_snippet = search_title, search_snippet

    @property
    def id(self):
        return self.pk

    def get_url(self, request=None):
        from urllib.parse import quote

        from wagtail.models import Page

        from . import selectors

        # Articles and briefs are children of a section: the section's address (remembered until
        # the next publish) and the page's slug, as Wagtail would work it out.
        parent, _, slug = self.url_path.rstrip("/").rpartition("/")
        base = selectors.section_addresses(self.locale_id, request).get(parent + "/")
        if base is not None:
            return base + quote(slug) + "/"
        page = Page(id=self.pk, path=self.path, depth=self.depth, url_path=self.url_path, locale_id=self.locale_id)
        return page.get_url(request)


def search(query, locale_id):
    """Public articles and briefs of one language matching `query`, best first (see SearchResults)."""
    return SearchResults(query, locale_id)
