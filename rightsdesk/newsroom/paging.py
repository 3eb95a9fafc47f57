"""Listings paginated from the oldest end, so that publishing changes one page, not all of them.

A listing (a section, the archive, a tag, an author) shows its newest items at its own address and
links to older pages at `page/N/`. Pages are numbered from the oldest: page 1 holds the oldest
`size` items, page 2 the next `size`, and so on. The listing's own address shows whatever is not
yet a full page together with the newest full page (between `size` and `2 * size - 1` items),
so a new article changes only that first page (and, once every `size` articles, adds one
numbered page). Every numbered page keeps its address and its content, which a baked mirror
needs: re-baking after a publish must not rewrite a thousand archive pages, and a reader's link
to an older page keeps pointing at the same articles.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404


@dataclass
class ListingPage:
    """One page of a listing, newest first, with its neighbours' page numbers."""

    object_list: list
    count: int
    number: int | None  # None for the listing's first page (its own address)
    older: int | None = None  # the number of the next older page, if any
    newer: int | None = None  # the number of the next newer page; 0 for the first page
    numbers: list = field(default_factory=list)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_other_pages(self):
        return self.older is not None or self.newer is not None


def full_pages(count, size=None):
    """How many numbered pages a listing of `count` items has (the newest full page is shown on
    the listing's first page instead and has no number of its own)."""
    size = size or settings.RIGHTSDESK_PAGE_SIZE
    return max(count // size - 1, 0)


def listing_page(queryset, number=None, size=None, count=None):
    """Page `number` (None for the first) of `queryset`, which is ordered newest first.

    Raises Http404 for a number that is not (or not yet) a page of its own.
    """
    size = size or settings.RIGHTSDESK_PAGE_SIZE
    count = queryset.count() if count is None else count
    numbered = full_pages(count, size)
    if number is None:
        shown = count - numbered * size
        items = list(queryset[:shown])
        return ListingPage(items, count, None, older=numbered or None, newer=None)
    if not 1 <= number <= numbered:
        raise Http404("No such page of this listing")
    start = count - number * size  # newest-first index of the page's newest item
    items = list(queryset[start:start + size])
    newer = number + 1 if number + 1 <= numbered else 0
    return ListingPage(items, count, number, older=number - 1 or None, newer=newer)
