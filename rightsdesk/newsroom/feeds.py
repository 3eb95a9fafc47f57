"""RSS 2.0 and Atom feeds of the site (per language) and of each section."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from .selectors import language_of, site_identity

FEED_LENGTH = 30


class PageFeed(Feed):
    """The newest published articles below a HomePage or SectionPage."""

    def __init__(self, kind):
        super().__init__()
        self.feed_type = Atom1Feed if kind == "atom" else Rss201rev2Feed
        self.kind = kind

    def get_object(self, request, page):
        self.request = request
        # The feed's <language> is the page's, not the reader's browser's.
        self.language = language_of(page)
        return page

    def title(self, page):
        identity = site_identity(self.request, language_of(page))
        if page.depth <= 2:
            return identity["name"]
        return f"{page.title} · {identity['name']}"

    def link(self, page):
        return page.get_url(self.request)

    def feed_url(self, page):
        route = "feed_atom" if self.kind == "atom" else "feed_rss"
        return page.get_url(self.request) + page.reverse_subpage(route)

    def description(self, page):
        identity = site_identity(self.request, language_of(page))
        return getattr(page, "intro", "") or identity["tagline"] or identity["name"]

    subtitle = description

    def items(self, page):
        return (
            page.feed_items()
            .prefetch_related("article_authors__author", "tagged_items__tag")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.dek or item.excerpt(40)

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published

    def item_updateddate(self, item):
        return item.updated or item.last_published_at or item.first_published

    def item_author_name(self, item):
        names = [a.display_name(language_of(item)) for a in item.authors]
        return ", ".join(names) or None

    def item_categories(self, item):
        return [tag.name for tag in item.tag_list]


def feed_response(request, page, kind):
    response = PageFeed(kind)(request, page=page)
    response["Cache-Control"] = f"public, max-age={getattr(settings, 'RIGHTSDESK_FEED_MAX_AGE', 300)}"
    return response
