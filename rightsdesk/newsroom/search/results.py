"""Querying the search index: the ranked results of a reader's query, a page at a time, as
narrow rows (Result), checked once more against the live, public pages when shown."""

import datetime

from django.conf import settings
from django.db import connection

from .. import selectors
from .base import _prefix, backend, marked_html, query_terms


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
            elif self._expected is not None and self.engine.one_round_trip:
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
        if self.engine.one_round_trip:
            return self._read_page(start, limit)
        with self.engine.reading() as cursor:
            rows = self.engine.ranked(cursor, self, start, limit)
        return self._pages(rows)

    def _pages(self, rows):
        """The results as Result objects: only pages still live and public (the index is checked
        once more against what readers may see, from the kept selectors.search_result_rows)."""
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
