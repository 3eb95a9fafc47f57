"""Template tags for pages as the baked mirror shows them."""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def fragment_slot(context, home, kind):
    """Where a baked page loads the fragment `kind` ("sidebars" or "must-read") of `home`'s
    language; links to the front page and the archive until it has (or without JavaScript)."""
    request = context.get("request")
    base = home.get_url(request)
    route = "fragment_sidebars" if kind == "sidebars" else "fragment_must_read"
    return render_to_string("mirror/fragment_slot.html", {
        "kind": kind,
        "url": base + home.reverse_subpage(route),
        "home_url": base,
        "archive_url": base + home.reverse_subpage("archive"),
        "lang": context.get("lang") or context.get("chrome", {}).get("lang", "en"),
    })
