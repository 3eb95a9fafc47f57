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


def listing_page(queryset, number=None, size=None, key=None):
    """Page `number` (None for the first) of `queryset`, which is ordered newest first.

    The listing's order is read as a list of ids (one narrow query), kept until the next publish
    under `key` when given; a page then loads only its own rows. (Sorting whole rows with their
    bodies to skip to an old page took SQLite 0.6 s at 10,000 articles.)
    Raises Http404 for a number that is not (or not yet) a page of its own.
    """
    from .cache import versioned

    size = size or settings.RIGHTSDESK_PAGE_SIZE

    def order():
        return list(queryset.values_list("pk", flat=True))

    ids = versioned(f"listing:{key}", order) if key else order()
    count = len(ids)
    numbered = full_pages(count, size)
    if number is None:
        start, stop = 0, count - numbered * size
        page = ListingPage([], count, None, older=numbered or None, newer=None)
    elif 1 <= number <= numbered:
        start = count - number * size  # newest-first index of the page's newest item
        stop = start + size
        page = ListingPage([], count, number, older=number - 1 or None, newer=number + 1 if number + 1 <= numbered else 0)
    else:
        raise Http404("No such page of this listing")
    wanted = ids[start:stop]
    by_pk = {item.pk: item for item in queryset.filter(pk__in=wanted)} if wanted else {}
    page.object_list = [by_pk[pk] for pk in wanted if pk in by_pk]
    return page
