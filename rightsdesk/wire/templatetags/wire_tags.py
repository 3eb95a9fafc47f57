"""The wire monitor on public pages: the other agencies that reported the story of a brief."""

from django import template

register = template.Library()


@register.simple_tag
def also_reported(brief):
    """[(agency, link)] of the items grouped with this brief's item as the same story."""
    from rightsdesk.wire.models import WireItem

    if not getattr(brief, "pk", None):
        return []
    rows = (WireItem.objects.filter(duplicate_of__brief=brief).select_related("feed")
            .order_by("feed__agency", "pk"))
    seen, out = set(), []
    for item in rows:
        if item.feed.agency not in seen and item.feed.agency != brief.agency:
            seen.add(item.feed.agency)
            out.append((item.feed.agency, item.link))
    return out
