"""{% article_body page %}: the article's body, with the first mention of each registered entity
linked to its entity page when the site's Facts desk setting says so."""

import re
from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from rightsdesk.newsroom.extensions import preloaded
from rightsdesk.newsroom.selectors import route_url

register = template.Library()

_TAG = re.compile(r"(<[^>]+>)")


def _render_block(block, context):
    """A block as its template renders it; paragraphs and headings (most of a body) directly,
    as their templates (newsroom/blocks/paragraph.html, heading.html) would."""
    if block.block_type == "paragraph":
        return f"{block.value}\n"
    if block.block_type == "heading":
        return format_html("<h2>{}</h2>\n", block.value)
    return block.render_as_block(context)


@register.simple_tag(takes_context=True)
def article_body(context, page):
    flat = context.flatten()
    blocks = [(block.block_type, _render_block(block, flat)) for block in page.body]
    links = _first_mention_links(context, page)
    out = []
    for block_type, html in blocks:
        if links and block_type == "paragraph":
            html = _link_once(str(html), links)
        out.append(str(html))
    return mark_safe("".join(out))  # noqa: S308 - blocks render trusted HTML; links are escaped


def _first_mention_links(context, page):
    from ..models import FactsSettings, Mention

    request = context.get("request")
    chrome = context.get("chrome") or {}
    home = chrome.get("home")
    if request is None or home is None or not page.pk:
        return {}
    if not FactsSettings.for_request(request).link_first_mentions:
        return {}
    links = {}
    mentions = preloaded(page, "facts.mentions")  # a bake loads them for many pages at once (see preload.py)
    if mentions is None:
        mentions = Mention.objects.filter(page_id=page.pk).select_related("entity").order_by("start")
    for mention in mentions:
        entry = links.setdefault(mention.entity_id, {
            "url": route_url(home, "entity", [mention.entity.slug], request),
            "name": mention.entity.name,
            "surfaces": [],
        })
        if mention.text not in entry["surfaces"]:
            entry["surfaces"].append(mention.text)
    return links


def _link_once(html, links):
    """Wrap the first occurrence of each pending entity's mention in this paragraph (outside any
    existing link) and forget the entity, so only its first mention in the body is linked."""
    parts = _TAG.split(html)
    depth = 0
    for index, part in enumerate(parts):
        if part.startswith("<"):
            lowered = part.lower()
            if lowered.startswith("<a ") or lowered == "<a>":
                depth += 1
            elif lowered.startswith("</a"):
                depth = max(0, depth - 1)
            continue
        if depth or not part.strip():
            continue
        found = []
        for entity_id, entry in links.items():
            best = None
            for surface in entry["surfaces"]:
                pattern = re.compile(r"(?<!\w)" + re.escape(escape(surface, quote=False)) + r"(?!\w)")
                match = pattern.search(part)
                if match and (best is None or (match.start(), -len(match.group())) < (best[0], -(best[1] - best[0]))):
                    best = (match.start(), match.end())
            if best:
                found.append((best[0], best[1], entity_id))
        found.sort()
        pieces, position = [], 0
        for start, end, entity_id in found:
            if start < position:
                continue  # overlaps a mention linked just before; that entity waits for later text
            entry = links.pop(entity_id)
            pieces.append(part[position:start])
            pieces.append(f'<a class="entity-link" href="{escape(entry["url"])}" title="{escape(entry["name"])}">{part[start:end]}</a>')
            position = end
        pieces.append(part[position:])
        parts[index] = "".join(pieces)
    return "".join(parts)
