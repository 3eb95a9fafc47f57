"""What every part of the search shares: the index's table and limits, the text folding applied
on both sides (indexing and querying), the reader's query as words, the match markers, and the
interface each database vendor's module implements (`Backend`, chosen by `backend()`)."""

import html
import re
import unicodedata

from django.db import connection
from django.utils.safestring import mark_safe

TABLE = "newsroom_search"
TITLE_WEIGHT = 10.0  # SQLite bm25(): a title hit counts as ten body hits
SNIPPET_WORDS = 28
MAX_TERMS = 12
MAX_TERM_LENGTH = 60
# A query matching more than this many pages of one language is not ranked whole (ranking reads
# every match's positions, and on PostgreSQL ts_rank_cd de-TOASTs each match's tsvector; what a
# match costs: bench/RESULTS.md, "Search"): the matches with a query word in the title come first,
# ranked, then the others, most recently added first. See results.SearchResults.
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


def _chunks(items, size=500):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _params(items):
    return ", ".join(["%s"] * len(items))


class Backend:
    """The search index on one database vendor. `write`, `delete`, `delete_all`, `indexed`,
    `size`, `optimize` and `vacuum` keep it (indexing.py); `expression`, `any_word`, `reading`,
    `count` and either `ranked` or, when `one_round_trip`, `page` answer a query
    (results.SearchResults). Rows written are (page id, locale id, title, body), as
    indexing.document() gives them; rows read are (page id, title, snippet) with the matched
    words between the markers."""

    vendor = None
    # True when page() gives the number of matches and one page of them in one round trip.
    one_round_trip = False

    def expression(self, terms, prefix):
        """The query's words, all required, in the vendor's full-text syntax (the last word as a
        prefix when `prefix`)."""
        raise NotImplementedError

    def any_word(self, terms, prefix):
        """The query's words joined by OR (for "a query word in the title")."""
        raise NotImplementedError

    def write(self, cursor, rows):
        raise NotImplementedError

    def delete(self, cursor, ids):
        raise NotImplementedError

    def delete_all(self, cursor):
        raise NotImplementedError

    def optimize(self, cursor):
        """After a rebuild, inside its transaction."""

    def vacuum(self, cursor):
        """After a rebuild, outside any transaction."""

    def indexed(self, cursor, ids):
        """Those of `ids` that are in the index."""
        raise NotImplementedError

    def size(self, cursor):
        raise NotImplementedError

    def reading(self):
        """A cursor (a context manager) for the queries."""
        raise NotImplementedError

    def count(self, cursor, expr, locale_id, language):
        raise NotImplementedError

    def ranked(self, cursor, query, offset, limit):
        """One page of results, best first: [(id, highlighted title, snippet)]."""
        raise NotImplementedError

    def page(self, cursor, query, offset, limit):
        """(number of matches, one page of results) in one round trip (when `one_round_trip`)."""
        raise NotImplementedError


_BACKENDS = {}


def register(cls):
    """Class decorator of each vendor's module: its Backend for `cls.vendor`."""
    _BACKENDS[cls.vendor] = cls
    return cls


def backend(vendor=None):
    """The index's Backend for the database in use (or `vendor`)."""
    vendor = vendor or connection.vendor
    if vendor not in _BACKENDS:
        raise NotImplementedError(f"the search index supports SQLite and PostgreSQL, not {vendor}")
    return _BACKENDS[vendor]()
