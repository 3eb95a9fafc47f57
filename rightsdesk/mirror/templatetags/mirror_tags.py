"""Template tags for pages as the baked mirror shows them."""

from django import template
from django.utils.html import format_html

from rightsdesk.newsroom.ui import translate

register = template.Library()


@register.simple_tag(takes_context=True)
def fragment_slot(context, home, kind):
    """Where a baked page loads the fragment `kind` ("sidebars" or "must-read") of `home`'s
    language (mirror/fragments.js); links to the front page and the archive until it has (or
    without JavaScript)."""
    from rightsdesk.newsroom.cache import versioned

    request = context.get("request")
    lang = context.get("lang") or context.get("chrome", {}).get("lang", "en")
    host = request.get_host() if request is not None else ""
    # The same on every page of the language: kept until the next publish.
    return versioned(f"fragment-slot:{host}:{home.pk}:{kind}:{lang}", lambda: _slot(request, home, kind, lang))


def _slot(request, home, kind, lang):
    from rightsdesk.newsroom.selectors import page_url

    base = page_url(home, request)
    if kind == "sidebars":
        fallback = format_html(
            '<section class="box latest-news"><h2>{}</h2><p class="more"><a href="{}">{}</a> · '
            '<a href="{}">{}</a></p></section>',
            translate("Latest news", lang), base, translate("Front page", lang),
            base + home.reverse_subpage("archive"), translate("All news", lang),
        )
        url = base + home.reverse_subpage("fragment_sidebars")
    else:
        fallback = format_html('<p class="more"><a href="{}">{}</a></p>', base, translate("Must read", lang))
        url = base + home.reverse_subpage("fragment_must_read")
    return format_html('<div class="fragment" data-fragment="{}">{}</div>', url, fallback)
