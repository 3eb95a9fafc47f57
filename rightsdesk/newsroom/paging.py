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

from django.conf import settings
from django.http import Http404


class ListingPage:
    """One page of a listing, newest first: the ids and dates of its items, its neighbours' page
    numbers, and its items themselves, loaded only when asked for (a baked or cached listing
    shows teasers kept from earlier pages and often needs no row at all)."""

    def __init__(self, entries, count, number, older=None, newer=None, load=None):
        self.entries = entries  # [(id, date)], newest first
        self.count = count
        self.number = number  # None for the listing's first page (its own address)
        self.older = older  # the number of the next older page, if any
        self.newer = newer  # the number of the next newer page; 0 for the first page
        self._load = load
        self._objects = None

    @property
    def ids(self):
        return [pk for pk, _ in self.entries]

    @property
    def newest_date(self):
        return self.entries[0][1] if self.entries else None

    @property
    def oldest_date(self):
        return self.entries[-1][1] if self.entries else None

    def load(self, ids):
        """The items `ids` of this page ({id: item}), as the listing's view prepares them."""
        return self._load(ids) if ids else {}

    @property
    def object_list(self):
        if self._objects is None:
            by_pk = self.load(self.ids)
            self._objects = [by_pk[pk] for pk in self.ids if pk in by_pk]
        return self._objects

    @object_list.setter
    def object_list(self, items):
        self._objects = list(items)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.entries)

    def __bool__(self):
        return bool(self.entries)

    @property
    def has_other_pages(self):
        return self.older is not None or self.newer is not None


def full_pages(count, size=None):
    """How many numbered pages a listing of `count` items has (the newest full page is shown on
    the listing's first page instead and has no number of its own)."""
    size = size or settings.RIGHTSDESK_PAGE_SIZE
    return max(count // size - 1, 0)


def _queryset(queryset):
    """A listing's queryset, given as one or as a function making it (built only when needed:
    Django takes longer to build a filtered queryset than to read a kept listing)."""
    return queryset() if callable(queryset) else queryset


def listing_entries(queryset, key=None, date_field="first_published"):
    """The listing's order as (id, date) pairs, newest first, kept until the next publish under
    `key` when given (the mirror's re-bake reads the same entries to find an article's place).
    `queryset` may be a function that makes the queryset."""
    from .cache import versioned

    def order():
        return list(_queryset(queryset).values_list("pk", date_field))

    return versioned(f"listing:{key}", order) if key else order()


def older_count(entries, pk, date):
    """How many entries of a newest-first listing come before (pk, date) in date order: the
    oldest-first position of that item, whether or not it is in the listing."""
    if date is None:
        return 0
    return sum(1 for other_pk, other_date in entries
               if other_date is not None and (other_date < date or (other_date == date and other_pk < pk)))


def listing_page(queryset, number=None, size=None, key=None, date_field="first_published", prepare=None):
    """Page `number` (None for the first) of `queryset` (or of the queryset a function makes),
    which is ordered newest first.

    The listing's order is read as (id, date) pairs (one narrow query), kept until the next
    publish under `key` when given; the page's rows are loaded only when its items are asked for,
    then passed through `prepare` (e.g. to attach their sections). (Sorting whole rows with their
    bodies to skip to an old page was far slower: bench/RESULTS.md, "Design measurements".)
    Raises Http404 for a number that is not (or not yet) a page of its own.
    """
    size = size or settings.RIGHTSDESK_PAGE_SIZE
    entries = listing_entries(queryset, key, date_field)
    count = len(entries)
    numbered = full_pages(count, size)
    if number is None:
        start, stop = 0, count - numbered * size
        older, newer = numbered or None, None
    elif 1 <= number <= numbered:
        start = count - number * size  # newest-first index of the page's newest item
        stop = start + size
        older, newer = number - 1 or None, number + 1 if number + 1 <= numbered else 0
    else:
        raise Http404("No such page of this listing")

    def load(ids):
        items = list(_queryset(queryset).filter(pk__in=ids))
        if prepare:
            items = prepare(items)
        return {item.pk: item for item in items}

    return ListingPage(entries[start:stop], count, number, older=older, newer=newer, load=load)
