"""The Persian interface: every interface string of a Persian page is Persian, and the catalogues
that hold them are complete and compiled.

What counts as interface is decided by the markup, not by a list of expected words: the visible
text of a Persian page (and the attributes a reader sees or hears: aria-label, placeholder, alt,
title, the strings the scripts show), less
- what carries its own language: an element with `lang` other than Persian (the language switch,
  "Read this article in English") or `translate="no"` (RSS, Atom, Wikidata);
- what editors and the registry wrote, which may be in Latin script on a Persian page (a name, an
  English source's title, an image's description): the content regions below, and `<bdi>`, which
  the templates put around a name or a query inside interface text ("Articles that mention <bdi>
  Hamid Nouri</bdi>").
The page's <head> is not shown (its <title> is the page's or entity's name); digits and the
Jalali dates are checked by test_dates_and_demo.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "rightsdesk" / "locale" / "fa" / "LC_MESSAGES"

# Regions whose text is content (CSS-like: "tag", ".class", "#id", "tag[attr]", "tag[attr=value]").
CONTENT_REGIONS = [
    ".site-notice", ".site-name", ".tagline",          # the site's identity (an editor's setting)
    ".site-nav a", ".kicker a",                         # section titles
    "#article-title", "#brief-title", "#entity-title",  # titles and names
    ".dek", ".intro", ".article-body", ".lead-image", ".brief-text", ".agency",
    "a[rel=author]", "a[rel=tag]", ".also-reported a",
    ".teaser",                                          # teasers: an article's title, section, excerpt
    ".entity-list",                                     # entity names
    ".figure-group h3", "table.figures tbody", ".range-value",  # figures as their sources give them
    "bdi",
]
SHOWN_ATTRIBUTES = {"aria-label", "placeholder", "title", "alt", "data-note", "data-cleared", "data-count",
                    "data-placeholder"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


def _matches(selector, tag, attrs, ancestors):
    """`selector` ("a", ".x", "#x", "a[rel=tag]", ".x a") against an element and its ancestors."""
    *outer, last = selector.split()

    def one(simple, tag, attrs):
        m = re.fullmatch(r"([a-z0-9]*)(?:\.([\w-]+))?(?:#([\w-]+))?(?:\[([\w-]+)(?:=([\w-]+))?\])?", simple)
        name, cls, ident, attr, value = m.groups()
        return ((not name or name == tag)
                and (not cls or cls in (attrs.get("class") or "").split())
                and (not ident or attrs.get("id") == ident)
                and (not attr or (attr in attrs and (value is None or attrs[attr] == value))))

    if not one(last, tag, attrs):
        return False
    return all(any(one(o, t, a) for t, a in ancestors) for o in outer)


class InterfaceText(HTMLParser):
    """(where, text) of each piece of interface text of a page, as the module docstring says."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, attrs, skipped)
        self.found = []

    def _skipping(self):
        return any(skipped for _, _, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        ancestors = [(t, a) for t, a, _ in self.stack]
        skipped = (
            tag in ("head", "script", "style", "template")
            or attrs.get("translate") == "no"
            or ("lang" in attrs and not attrs["lang"].startswith("fa"))
            or any(_matches(s, tag, attrs, ancestors) for s in CONTENT_REGIONS)
        )
        if not (skipped or self._skipping()):
            for name in sorted(SHOWN_ATTRIBUTES & attrs.keys()):
                self.found.append((f"<{tag} {name}>", attrs[name]))
        if tag not in VOID:
            self.stack.append((tag, attrs, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip() and not self._skipping():
            self.found.append((f"<{self.stack[-1][0]}>" if self.stack else "", data.strip()))


def latin_interface_words(html):
    parser = InterfaceText()
    parser.feed(html)
    return [(where, text) for where, text in parser.found if LATIN_WORD.search(text)]


def test_the_checker_finds_english_left_in_interface_text_and_not_in_content():
    page = """<html lang="fa" dir="rtl"><head><title>Hamid Nouri</title></head><body>
        <nav aria-label="Main navigation"><a class="x" href="/">خانه</a></nav>
        <h1 id="article-title">Hamid Nouri</h1><p>منتشرشده · Updated</p>
        <div class="article-body"><p>The UN said.</p><img alt="A map"></div>
        <h2>مطالبی که از این نام یاد کرده‌اند <bdi>Hamid Nouri</bdi></h2>
        <a lang="en" href="/">Read this article in English</a> <a translate="no" href="/f">RSS</a>
        <button type="submit" title="Search">جستجو</button><br/><p>Nothing here yet.</p></body></html>"""
    assert latin_interface_words(page) == [
        ("<nav aria-label>", "Main navigation"),
        ("<p>", "منتشرشده · Updated"),
        ("<button title>", "Search"),
        ("<p>", "Nothing here yet."),
    ]


@pytest.mark.django_db
def test_persian_pages_have_no_english_interface_strings(client, homes):
    from rightsdesk.facts.models import Entity, Figure
    from rightsdesk.newsroom.models import ArticlePage, BriefPage, SectionPage
    from rightsdesk.newsroom.selectors import published_articles

    fa = homes["fa"]
    article = published_articles(fa.locale_id).order_by("pk").first()
    section = SectionPage.objects.child_of(fa).live().first()
    # An entity with Latin-script names, figures from English sources and Persian articles.
    entity = (Entity.objects.filter(mentions__page__locale=fa.locale, figures__isnull=False, aliases__isnull=False)
              .distinct().first())
    assert article and section and entity and Figure.objects.filter(about=entity).exists()
    query = article.title.split()[0]
    urls = [
        fa.url, article.url, section.url, f"{fa.url}archive/", f"{fa.url}entities/",
        f"{fa.url}entities/{entity.slug}/", f"{fa.url}recommended/",
        f"{fa.url}search/?q={quote(query)}", f"{fa.url}search/?q={quote('هیچ‌نتیجه‌ای‌نیست')}",
    ]
    tag = article.tags.first()
    if tag is not None:
        urls.append(f"{fa.url}tags/{tag.slug}/")
    brief = BriefPage.objects.live().filter(locale=fa.locale).first()
    if brief is not None:
        urls.append(brief.url)
    problems = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="fa" dir="rtl">' in html, url
        found = latin_interface_words(html)
        if found:
            problems[url] = found
    assert not problems, problems
    # The pages were the ones meant: interface strings in Persian around the content.
    search = client.get(f"{fa.url}search/?q={quote(query)}").content.decode()
    assert "نتایج برای" in search and "جستجوی مطالب" in search


@pytest.mark.django_db
def test_english_pages_keep_english_interface(client, homes):
    html = client.get(homes["en"].url).content.decode()
    assert ">Latest news</h2>" in html and ">Must read</h2>" in html and 'aria-label="Main navigation"' in html
    assert ">فارسی</a>" in html  # the language switch names each language in that language


def _catalogue():
    with open(LOCALE / "django.po", "rb") as f:
        return read_po(f, locale="fa")


def test_every_persian_interface_string_is_translated_and_not_fuzzy():
    """Each entry has its Persian here, or (left empty on purpose, as the admin's tab names) in
    Wagtail's or Django's own catalogues; none is fuzzy (gettext would not use it)."""
    from django.utils import translation

    catalogue = _catalogue()
    with translation.override("fa"):
        untranslated = [
            m.id for m in catalogue
            if m.id and (m.fuzzy or not m.string and (translation.pgettext(m.context, m.id) if m.context
                                                       else translation.gettext(m.id)) == m.id)
        ]
    assert len(catalogue) > 50 and not untranslated, untranslated


def test_the_committed_mo_is_the_compiled_po():
    """`make messages` compiles the .po; a .po edited without compiling would not be served."""
    def entries(catalogue):  # msgfmt leaves out the entries with no translation
        return {(m.context, m.id): m.string for m in catalogue if m.id and m.string}

    with open(LOCALE / "django.mo", "rb") as f:
        compiled = read_mo(f)
    assert entries(compiled) == entries(_catalogue())
