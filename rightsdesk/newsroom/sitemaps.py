"""The sitemap: every public page of every language (front pages, sections, articles, briefs, and
what the apps add: extensions.SITEMAP_ENTRIES, e.g. the facts desk's entity pages), built from
a few narrow queries.

Wagtail's own sitemap asks each page for its URL, one page at a time: seconds for 10,000 articles
(bench/RESULTS.md, "Design measurements").
Here articles and briefs, which always sit directly below a section, take their address from
their section's and their slug.
"""

from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from wagtail.models import Page

from . import extensions, selectors
from .cache import versioned
from .models import ArticlePage, BriefPage, SectionPage


class AllLanguagesSitemap:
    """The (address, last modified) pairs of the sitemap."""

    def items(self):
        entries = []
        for home, base in selectors.public_homes():
            entries.append((base, home.last_published_at))
            entries.extend(extensions.sitemap_entries(home, base))
            sections = {}
            for section in selectors.public(SectionPage.objects.child_of(home).live()).order_by("path"):
                url = section.get_url()
                sections[section.path] = url
                entries.append((url, section.last_published_at))
            if not sections:
                continue
            items = selectors.public(
                Page.objects.live().filter(depth=home.depth + 2, path__startswith=home.path)
                .type(ArticlePage, BriefPage)
            ).order_by("path").values_list("path", "slug", "last_published_at")
            for path, slug, last_published in items:
                section_url = sections.get(path[: -Page.steplen])
                if section_url:
                    entries.append((f"{section_url}{slug}/", last_published))
        return entries



def sitemap_xml(request):
    """sitemap.xml (the sitemaps.org format), cached until the next publish; written directly:
    Django's sitemap template took a second for 10,000 addresses."""
    origin = f"{request.scheme}://{request.get_host()}"

    def build():
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        for location, modified in AllLanguagesSitemap().items():
            entry = f"<url><loc>{escape(origin + location)}</loc>"
            if modified:
                entry += f"<lastmod>{modified.date().isoformat()}</lastmod>"
            lines.append(entry + "</url>")
        lines.append("</urlset>")
        return "\n".join(lines) + "\n"

    response = HttpResponse(versioned(f"sitemap:{origin}", build), content_type="application/xml; charset=utf-8")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    patch_cache_control(response, public=True, max_age=3600)
    return response
