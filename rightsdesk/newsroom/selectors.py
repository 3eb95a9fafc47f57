"""What the public sees: the one definition of "published" and the selections built on it.

Pages, feeds, the sitemap and (later) the mirror all go through these functions, so a page that
is a draft, unpublished, private or in another language never leaks into a listing.
"""

import re

from django.conf import settings
from django.db.models import Count, Q

_WORD_RE = re.compile(r"\S+")
_TRAILING_PUNCT = ",;:،؛–—-([{\"'“‘«"


def excerpt(text, words=None):
    """The first `words` words of `text`, cut at a word boundary.

    Ends in "..." only when something was cut; trailing punctuation of the last kept word
    (a comma, an opening quote) is dropped before the ellipsis.
    """
    words = words or settings.RIGHTSDESK_EXCERPT_WORDS
    text = " ".join((text or "").split())
    tokens = _WORD_RE.findall(text)
    if len(tokens) <= words:
        return text
    kept = " ".join(tokens[:words]).rstrip(_TRAILING_PUNCT + ".")
    return kept + "..."


def _models():
    from .models import ArticlePage, BriefPage

    return ArticlePage, BriefPage


def published_articles(locale=None):
    """Live, public articles, newest first (by the date readers see)."""
    ArticlePage, _ = _models()
    qs = ArticlePage.objects.live().public()
    if locale is not None:
        qs = qs.filter(locale=locale)
    return qs.order_by("-first_published", "-pk")


def published_briefs(locale=None):
    """Live, public wire briefs, newest first."""
    _, BriefPage = _models()
    qs = BriefPage.objects.live().public()
    if locale is not None:
        qs = qs.filter(locale=locale)
    return qs.order_by("-date", "-pk")


def latest_articles(locale, limit=None):
    """The front page's Latest news."""
    qs = published_articles(locale).select_related("lead_image")
    return list(qs[: limit or settings.RIGHTSDESK_LATEST_COUNT])


def section_items(section):
    """A section's articles and briefs, newest first (briefs dated by their wire date)."""
    from wagtail.models import Page

    ArticlePage, BriefPage = _models()
    pages = Page.objects.live().public().child_of(section).type(ArticlePage, BriefPage).specific()
    return sorted(pages, key=lambda p: (p.first_published, p.pk), reverse=True)


def must_read(home, limit=None):
    """The editors' ordered picks of `home`, skipping any that are no longer public;
    the newest briefs of the same language when there are none."""
    limit = limit or settings.RIGHTSDESK_MUST_READ_COUNT
    picks = []
    for item in home.must_read_items.select_related("page").all():
        page = item.page
        if page.live and page.locale_id == home.locale_id and page.get_view_restrictions().count() == 0:
            picks.append(page.specific)
        if len(picks) >= limit:
            break
    if picks:
        return picks
    return list(published_briefs(home.locale)[:limit])


def related_articles(article, limit=None):
    """Up to `limit` articles related to `article`: same language, sharing a tag or its section,
    newest first, never the article itself.

    Placeholder for the scored engine of the Related issue: callers only see this function.
    """
    limit = limit or settings.RIGHTSDESK_RELATED_COUNT
    ArticlePage, _ = _models()
    tag_ids = [tag.pk for tag in article.tags.all()]
    section = article.get_parent()
    condition = Q(tagged_items__tag_id__in=tag_ids) if tag_ids else Q(pk__in=[])
    if section is not None:
        condition |= Q(path__startswith=section.path, depth=section.depth + 1)
    qs = (
        published_articles(article.locale)
        .filter(condition)
        .exclude(pk=article.pk)
        .annotate(_n=Count("pk"))  # collapses the duplicates the tag join brings
        .order_by("-first_published", "-pk")
    )
    return list(qs[:limit])


def search(query, locale):
    """Articles and briefs of one language matching `query`, best first."""
    from wagtail.models import Page

    ArticlePage, BriefPage = _models()
    qs = Page.objects.live().public().filter(locale=locale).type(ArticlePage, BriefPage).specific()
    return qs.search(query)
