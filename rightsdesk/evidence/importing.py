"""A capture made into a draft article (body from its main text, the capture linked as its
source) or into a facts-desk source. The facts lint runs on an imported article; the editor
shows its findings in the article's Facts check panel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify

from rightsdesk.facts import headline
from rightsdesk.facts.models import Source, SourceKind
from rightsdesk.facts.names import PERSIAN, script_of
from rightsdesk.facts.registry import lint_article
from rightsdesk.newsroom.models import ArticlePage, SectionPage
from rightsdesk.newsroom.setup import home_for
from rightsdesk.newsroom.bidi import strip_bidi_controls

from .capture import _cli_detail, actor_name
from .models import Capture, CaptureLink
from .store import StoreError, default_store


class ImportRefused(Exception):
    """A capture that cannot be made into an article or source; the message says why."""


@dataclass
class Imported:
    kind: str  # "article" or "source"
    obj: object
    created: bool
    report: object = None  # the facts lint report of an article
    needs_title: bool = False  # no headline found in the page: the title is its first sentence


def language_of_text(text: str) -> str:
    return "fa" if script_of(text[:4000]) == PERSIAN else "en"


def _section(language: str, slug: str | None):
    home = home_for(language)
    if home is None:
        raise ImportRefused(f"the site has no {language} home page yet; run `rightsdesk init` first")
    sections = SectionPage.objects.child_of(home)
    if slug:
        section = sections.filter(slug=slug).first()
        if section is None:
            known = ", ".join(sections.values_list("slug", flat=True)) or "none"
            raise ImportRefused(f"no section {slug!r} in the {language} site; sections: {known}")
        return section
    return sections.filter(slug="news").first() or sections.first()


def _unique_slug(parent, base: str) -> str:
    from wagtail.models import Page

    base = (base or "imported")[:70].strip("-") or "imported"
    slug, n = base, 1
    while Page.objects.child_of(parent).filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def paragraphs_of(capture: Capture) -> list[str]:
    return [p.strip() for p in capture.text.split("\n\n") if p.strip()]


def as_article(capture: Capture, *, section_slug: str | None = None, user=None, section=None) -> Imported:
    paragraphs = paragraphs_of(capture)
    if not paragraphs:
        raise ImportRefused(f"capture {capture.pk} has no extracted text to make an article from ({capture.extraction})")
    if capture.withdrawn:
        raise ImportRefused(f"capture {capture.pk} is withdrawn ({capture.withdrawn_reason}); it cannot be imported")
    language = language_of_text(capture.title + "\n" + capture.text)
    section = section or _section(language, section_slug)
    title = strip_bidi_controls(capture.title) or urlsplit(capture.url).path.rsplit("/", 1)[-1] or capture.url or f"Capture {capture.pk}"
    with transaction.atomic():
        page = ArticlePage(
            title=title[:255],
            slug=_unique_slug(section, slugify(title) or f"imported-{capture.pk}"),
            body=[("paragraph", f"<p>{escape(text)}</p>") for text in paragraphs],
            live=False,
            owner=user if user is not None and user.is_authenticated else None,
        )
        section.add_child(instance=page)
        page.save_revision(user=user if user is not None and user.is_authenticated else None, log_action=True)
        CaptureLink.objects.create(capture=capture, page=page, created_by_name=actor_name(user))
        _log(capture, user, "article", page.pk)
    page.refresh_from_db()
    return Imported("article", page, True, lint_article(page), needs_title=headline.NOT_FOUND_NOTE in capture.extraction)


def as_source(capture: Capture, *, user=None) -> Imported:
    existing = Source.objects.filter(capture=capture).first()
    if existing:
        return Imported("source", existing, False)
    date = None
    try:
        date = dt.date.fromisoformat(capture.published[:10]) if capture.published else None
    except ValueError:
        date = None
    with transaction.atomic():
        source = Source.objects.create(
            kind=SourceKind.CAPTURE, capture=capture, title=(strip_bidi_controls(capture.title) or capture.url)[:500],
            publisher=(urlsplit(capture.url).hostname or "")[:255], url=capture.url[:1000], date=date,
            note=f"Captured {capture.captured_at:%Y-%m-%d %H:%M} UTC as evidence (capture {capture.pk}, "
                 f"SHA-256 {capture.payload_sha256}).",
        )
        _log(capture, user, "source", source.pk)
    return Imported("source", source, True)


def _log(capture, user, kind, target):
    try:
        default_store().append("import", actor_name(user), capture=capture.pk, payload_sha256=capture.payload_sha256,
                               made=kind, target=target, **_cli_detail(user))
    except StoreError as exc:
        raise ImportRefused(str(exc)) from None


def import_capture(capture: Capture, *, as_: str = "article", section_slug: str | None = None, user=None) -> Imported:
    if as_ == "source":
        return as_source(capture, user=user)
    return as_article(capture, section_slug=section_slug, user=user)
