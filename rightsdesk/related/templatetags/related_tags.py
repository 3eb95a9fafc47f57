"""The "Recommended to you" section of article pages and front pages."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from rightsdesk.newsroom import selectors
from rightsdesk.newsroom.cache import versioned
from rightsdesk.newsroom.extensions import preloaded
from rightsdesk.newsroom.models import ArticlePage
from rightsdesk.newsroom.templatetags.newsroom_tags import fragment_slot

from ..recommend import article_features

register = template.Library()


def home_prefix(request, home):
    """The relative path from the page being rendered to its language's home page ("./",
    "../../"), so links to files below the home page work on a mirror under any path."""
    if request is None or home is None:
        return "./"
    home_url = selectors.page_url(home, request) or "/"
    path = request.path
    if not path.startswith(home_url):
        return home_url
    depth = path[len(home_url):].count("/")
    return "../" * depth or "./"


@register.simple_tag(takes_context=True)
def recommended_section(context, page, home):
    """The section: Must read (what readers without JavaScript or without history see), the
    data the script needs, the "How this works" link and the script."""
    request = context.get("request")
    lang = selectors.language_of(home)
    if context.get("baking"):
        # A baked page loads the current Must read (see newsroom/routes.py).
        must_read = fragment_slot(context, home, "must-read")
    else:
        must_read = versioned(f"recommended-must-read:{home.pk}", lambda: render_to_string(
            "newsroom/includes/must_read_list.html",
            {"items": selectors.must_read(home), "lang": lang},
            request=request,
        ))
    article = page if isinstance(page, ArticlePage) else None
    features = versioned(
        f"recommended-features:{article.pk}",
        lambda: article_features(article.pk, preloaded(article, "related.ids")),
    ) if article else ""
    prefix = home_prefix(request, home)
    return mark_safe(render_to_string("related/recommended_section.html", {
        "lang": lang,
        "must_read": mark_safe(must_read),
        "article": article,
        "features": features,
        "feed_url": prefix + "recommendations.json",
        "help_url": prefix + "recommended/",
    }, request=request))
