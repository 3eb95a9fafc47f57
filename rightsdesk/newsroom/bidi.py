"""Invisible direction controls in titles.

The explicit embedding, override and isolate characters of Unicode's bidirectional algorithm
(U+202A–U+202E, U+2066–U+2069) make text display in an order other than the one it is stored in:
a title "‮fdp.exe" shows as "exe.pdf", a name can be made to read as another. Titles of
articles and briefs, wire items from agencies' feeds and pages imported from captures lose them
before they are stored. The marks that only say which way a neutral character leans (LRM U+200E,
RLM U+200F, ALM U+061C) and the zero-width non-joiner Persian needs (U+200C) are kept: they cannot
reorder text.
"""

import re

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROLS = re.compile(f"[{BIDI_CONTROLS}]")

# Page fields that hold a title.
TITLE_FIELDS = ("title", "draft_title", "seo_title")


def has_bidi_controls(text):
    return bool(text) and _CONTROLS.search(text) is not None


def strip_bidi_controls(text):
    """`text` without direction overrides, embeddings and isolates (None stays None)."""
    if not text:
        return text
    return _CONTROLS.sub("", text)


def clean_page_titles(page):
    """Remove direction controls from a page's title fields, in place."""
    for name in TITLE_FIELDS:
        value = getattr(page, name, None)
        if isinstance(value, str) and has_bidi_controls(value):
            setattr(page, name, strip_bidi_controls(value))


def before_page_save(sender, instance, **kwargs):
    """pre_save for every page type: whatever path a title came by (the admin, an import, the wire
    monitor, a script), it is stored without direction controls."""
    from wagtail.models import Page

    if isinstance(instance, Page):
        clean_page_titles(instance)


def connect():
    from django.db.models.signals import pre_save

    pre_save.connect(before_page_save, dispatch_uid="rightsdesk-bidi-titles")
