"""The sitemap lists the public pages of every language, not only the default site root's tree."""

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class AllLanguagesSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        roots = [root, *root.get_translations()]
        qs = Page.objects.none()
        for page in roots:
            qs |= Page.objects.descendant_of(page, inclusive=True)
        return qs.live().public().order_by("path").defer_streamfields().specific()
