"""Template helpers of the public site: dates in both calendars, JSON-LD, the shared sidebars."""

import json
from html import escape

import jdatetime
from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .. import extensions, selectors, ui
from ..cache import versioned
from ..signals import public_version

register = template.Library()

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
EN_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]


def persian_digits(value):
    return str(value).translate(PERSIAN_DIGITS)


@register.filter
def fa_digits(value):
    return persian_digits(value)


def format_date(value, language):
    """'27 January 2022' in English; the Jalali date in Persian digits ('۷ بهمن ۱۴۰۰') in Persian."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if language == "fa":
        jdate = jdatetime.date.fromgregorian(date=value, locale="fa_IR")
        return persian_digits(f"{jdate.day} {jdate.j_months_fa[jdate.month - 1]} {jdate.year}")
    return f"{value.day} {EN_MONTHS[value.month - 1]} {value.year}"


@register.filter
def rd_date(value, language="en"):
    return format_date(value, language)


@register.simple_tag
def time_tag(value, language="en"):
    """A <time> element with the machine-readable date and the reader's calendar."""
    if value is None:
        return ""
    return mark_safe(f'<time datetime="{escape(value.isoformat())}">{escape(format_date(value, language))}</time>')


_RESULT = (
    '<li class="teaser">\n<h2><a href="{}">{}{}</a></h2>\n<p class="meta">{}</p>\n'
    '<p class="excerpt snippet">{}</p>\n</li>\n'
)


@register.simple_tag(takes_context=True)
def search_result_items(context, results, language):
    """The items of a search results list (title with the matches marked, date, snippet). A
    search page is rendered for each query (the site cache rarely holds it), so its ten items
    are put together here, as plain strings: through the template engine, or format_html(),
    they took a fifth of the page's time. The title and snippet are safe HTML already (see
    search.marked_html); everything else is escaped here."""
    request = context.get("request")
    items = []
    for item in results:
        items.append(_RESULT.format(
            escape(item.get_url(request)), f"{escape(item.agency)}: " if item.agency else "",
            conditional_escape(item.search_title), time_tag(item.first_published, language),
            conditional_escape(item.search_snippet),
        ))
    return mark_safe("".join(items))


@register.filter
def jsonld(data):
    """Serialise `data` for a <script type="application/ld+json"> element, safely escaped."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)


@register.simple_tag(takes_context=True)
def related_list(context, article):
    """The teasers of an article's Related section, cached until the next publish: the stored
    list's teasers, each kept since the last publish or made from its row."""
    request = context.get("request")
    lang = selectors.language_of(article)

    def compute():
        ids = extensions.related_ids(article, settings.RIGHTSDESK_RELATED_COUNT)
        if ids is None:
            return render_to_string(
                "newsroom/includes/teaser_list.html",
                {"items": selectors.same_tag_or_section(article), "lang": lang},
                request=request,
            )

        def load(missing):
            rows = selectors.published_articles(article.locale_id).filter(pk__in=missing)
            return {page.pk: page for page in selectors.attach_sections(rows)}

        return teaser_list_html(teasers_html(ids, lang, request, load), lang)

    return mark_safe(versioned(f"related:{article.pk}", compute))


def teaser_keys(ids, lang, request=None):
    """{id: the hot-cache key of its teaser in `lang`}. A teaser is kept across publishes of
    other pages: the key carries its page's stamp and the stamp of the section links it shows
    (selectors.teaser_stamps, frame_stamp); a page without a stamp (not public) is keyed by the
    public version, as every other fragment."""
    locale_id = selectors.locale_id_of(lang)
    stamps = selectors.teaser_stamps(locale_id) if locale_id is not None else {}
    frame = selectors.frame_stamp(locale_id, request) if locale_id is not None else ""
    keys = {}
    for pk in ids:
        stamp = stamps.get(pk)
        if stamp is None:
            from ..signals import public_version

            stamp = f"v{public_version()}"
        keys[pk] = f"rightsdesk:teaser:{pk}:{lang}:{stamp}:{frame}"
    return keys


def teasers_html(ids, lang, request, load):
    """The teasers of the pages `ids`, in order: those kept since the last publish, and the
    others made from the rows `load(missing ids)` gives ({id: page})."""
    keys = teaser_keys(ids, lang, request)
    found = kept_teasers(keys, lang, request, load)
    return [found[keys[pk]] for pk in ids if keys[pk] in found]


def kept_teasers(keys, lang, request, load):
    """{key: html} of the teasers `keys` ({id: key}, see teaser_keys): those kept, and the others
    made from the rows `load(missing ids)` gives ({id: page}) and kept."""
    from ..cache import hot_cache

    found = hot_cache().get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        made = {keys[pk]: _teaser_html(item, lang, request) for pk, item in load(missing).items()}
        hot_cache().set_many(made)
        found.update(made)
    return found


def teaser_list_html(teasers, lang):
    """A list of teasers as newsroom/includes/teaser_list.html shows it."""
    if not teasers:
        return format_html("<p>{}</p>", ui.translate("Nothing here yet.", lang))
    return mark_safe('\n<ol class="teasers">\n' + "".join(f"\n    {t}\n" for t in teasers) + "\n</ol>\n")


def load_teaser_pages(locale_id):
    """A `load` for teasers_html: the public articles and briefs `ids` of one language, with
    their sections ({id: page})."""

    def load(ids):
        rows = list(selectors.published_articles(locale_id).filter(pk__in=ids))
        found = {row.pk for row in rows}
        rest = [pk for pk in ids if pk not in found]
        if rest:
            rows += list(selectors.published_briefs(locale_id).filter(pk__in=rest))
        return {page.pk: page for page in selectors.attach_sections(rows)}

    return load


@register.simple_tag(takes_context=True)
def teaser_list(context, ids, lang):
    """The teasers of the public articles and briefs `ids`, in order, as
    newsroom/includes/teaser_list.html lists them; only those not kept yet are loaded."""
    load = load_teaser_pages(selectors.locale_id_of(lang))
    return teaser_list_html(teasers_html(ids, lang, context.get("request"), load), lang)


@register.simple_tag(takes_context=True)
def news_sidebars(context, home):
    """Latest news and Must read of `home`'s language, cached until the next publish/unpublish."""
    return mark_safe(versioned(f"sidebars:{home.pk}", lambda: render_to_string(
        "newsroom/includes/sidebars.html",
        {
            "home": home,
            "latest": selectors.latest_articles(home.locale_id),
            "must_read": selectors.must_read(home),
            "lang": selectors.language_of(home),
        },
        request=context.get("request"),
    )))


@register.simple_tag(takes_context=True)
def site_chrome(context, page):
    """What every public page's frame needs: its language and direction, the home page and
    sections of that language, the translations of the page, and the site identity."""
    from ..models import HomePage

    request = context.get("request")
    frame = selectors.language_frame(page.locale_id)
    lang = frame["lang"]
    home = page if isinstance(page, HomePage) else frame["home"]
    translations = []
    if not isinstance(page, HomePage):
        others = extensions.preloaded(page, "newsroom.translations")  # a bake loads them for many pages at once
        if others is None:
            others = versioned(f"translations:{page.pk}", lambda: list(
                selectors.public(page.get_translations(inclusive=False).live()).select_related("locale")
            ))
        for other in others:
            translations.append({"lang": other.locale.language_code, "url": selectors.page_url(other, request), "page": other})
    if not translations:
        # A front page (or its archive and search) has its equivalent in each language; any other
        # page without a translation offers the other languages' front pages, not as alternates.
        suffix = ""
        if isinstance(page, HomePage) and request is not None:
            base = selectors.page_url(page, request)
            suffix = request.path[len(base):] if request.path.startswith(base) else ""
        equivalent = isinstance(page, HomePage) and suffix in ("", "archive/", "search/")
        for other in frame["home_translations"]:
            url = selectors.page_url(other, request) + (suffix if equivalent else "")
            translations.append(
                {"lang": other.locale.language_code, "url": url, "page": other, "home": not equivalent}
            )
    identity = selectors.site_identity(request, lang) if request else {}
    current = next((sec.pk for sec in frame["sections"] if page.path.startswith(sec.path)), None)
    # What the parts of the frame that are the same on many pages depend on: base.html keeps
    # them ({% cache %}) until the next publish, per host, language and current section.
    frame_key = ":".join(map(str, (
        public_version(), request.scheme if request else "", request.get_host() if request else "",
        lang, home.pk if home else "",
    )))
    return {
        "frame_key": frame_key,
        "nav_key": f"{frame_key}:{current}:{current == page.pk}",
        "lang": lang,
        "dir": "rtl" if lang == "fa" else "ltr",
        "home": home,
        "sections": frame["sections"],
        "current_section": current,
        "translations": translations,
        "identity": identity,
        "languages": dict(settings.LANGUAGES),
    }


@register.simple_tag(takes_context=True)
def route_url(context, page, name, *args):
    """The URL of a routable page's sub-route, e.g. {% route_url home 'tag' tag.slug %}."""
    return selectors.route_url(page, name, args, context.get("request"))


@register.simple_tag(takes_context=True)
def page_href(context, page):
    """The address of a front page or section (remembered until the next publish)."""
    return selectors.page_url(page, context.get("request"))


@register.simple_tag(takes_context=True)
def page_full_url(context, page):
    """The absolute address of a page (remembered until the next publish)."""
    return selectors.page_full_url(page, context.get("request"))


def _publisher(request, page):
    identity = selectors.site_identity(request, selectors.language_of(page))
    site_root = request.build_absolute_uri("/")
    return {"@type": "Organization", "name": identity["name"], "url": site_root}


@register.filter
def article_jsonld(page, request):
    """schema.org NewsArticle of an article page."""
    language = selectors.language_of(page)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "description": page.dek,
        "inLanguage": language,
        "datePublished": page.first_published.isoformat(),
        "dateModified": (page.updated or page.last_published_at or page.first_published).isoformat(),
        "mainEntityOfPage": selectors.page_full_url(page, request),
        "url": selectors.page_full_url(page, request),
        "author": [
            {"@type": "Person", "name": author.display_name(language)} for author in page.authors
        ],
        "publisher": _publisher(request, page),
        "keywords": [tag.name for tag in page.tag_list],
    }
    if page.section:
        data["articleSection"] = page.section.title
    if page.lead_image:
        rendition = page.lead_image.get_rendition("width-1200|format-jpeg")
        data["image"] = [request.build_absolute_uri(rendition.url)]
    return data


@register.filter
def website_jsonld(page, request):
    """schema.org WebSite of a front page, with its search action."""
    home_url = page.get_full_url(request)
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": _publisher(request, page)["name"],
        "url": home_url,
        "inLanguage": selectors.language_of(page),
        "potentialAction": {
            "@type": "SearchAction",
            "target": home_url + page.reverse_subpage("search").lstrip("/") + "?q={query}",
            "query-input": "required name=query",
        },
    }


@register.simple_tag(takes_context=True)
def listing_url(context, number):
    """The address of page `number` of the listing being shown (0 or None: its first page)."""
    page = context["page"]
    name, args = context.get("listing_route") or ("listing", ())
    request = context.get("request")
    if number:
        return selectors.route_url(page, f"{name}_page", (*args, number), request)
    return selectors.route_url(page, name, args, request)


@register.simple_tag(takes_context=True)
def must_read_list(context, home):
    """The Must read list of `home`'s language, cached until the next publish/unpublish."""
    return mark_safe(versioned(f"must-read:{home.pk}", lambda: render_to_string(
        "newsroom/includes/must_read_list.html",
        {"items": selectors.must_read(home), "lang": selectors.language_of(home)},
        request=context.get("request"),
    )))


def _teaser_html(item, lang, request):
    section = item.__dict__.get("section")
    if section is None and hasattr(item, "section"):
        section = item.section
    meta = time_tag(item.first_published, lang)
    if section is not None:
        meta = format_html('{} · <a href="{}">{}</a>', meta, selectors.page_url(section, request), section.title)
    return format_html(
        '<li class="teaser">\n        <h3><a href="{}">{}</a></h3>\n        <p class="meta">{}</p>\n'
        '        <p class="excerpt">{}</p>\n    </li>',
        item.get_url(request), item.title, meta, item.excerpt(),
    )


@register.simple_tag(takes_context=True)
def teaser(context, item, lang):
    """One teaser of a list (title, date, section, excerpt), kept until its page (or a section) is
    published again (see teaser_keys): the same article is shown in its section, the archive, its
    tags and authors, Related lists and Latest news, before and after other publishes."""
    (html,) = teasers_html([item.pk], lang, context.get("request"), lambda missing: {item.pk: item})
    return mark_safe(html)


@register.simple_tag(takes_context=True)
def listing_teasers(context, listing, lang):
    """The teasers of a page of a listing: those kept since the last publish are reused, and only
    the rows of the others are loaded."""
    return mark_safe("\n".join(teasers_html(listing.ids, lang, context.get("request"), listing.load)))


@register.simple_tag(takes_context=True)
def fragment_slot(context, home, kind):
    """Where a baked page loads the fragment `kind` ("sidebars" or "must-read") of `home`'s
    language (see routes.py; mirror/fragments.js); links to the front page and the archive until
    it has (or without JavaScript)."""
    request = context.get("request")
    lang = context.get("lang") or context.get("chrome", {}).get("lang", "en")
    host = request.get_host() if request is not None else ""
    # The same on every page of the language: kept until the next publish.
    return versioned(f"fragment-slot:{host}:{home.pk}:{kind}:{lang}", lambda: _slot(request, home, kind, lang))


def _slot(request, home, kind, lang):
    base = selectors.page_url(home, request)
    with translation.override(lang):
        if kind == "sidebars":
            fallback = format_html(
                '<section class="box latest-news"><h2>{}</h2><p class="more"><a href="{}">{}</a> · '
                '<a href="{}">{}</a></p></section>',
                gettext("Latest news"), base, gettext("Front page"),
                base + home.reverse_subpage("archive"), gettext("All news"),
            )
            url = base + home.reverse_subpage("fragment_sidebars")
        else:
            fallback = format_html('<p class="more"><a href="{}">{}</a></p>', base, gettext("Must read"))
            url = base + home.reverse_subpage("fragment_must_read")
    return format_html('<div class="fragment" data-fragment="{}">{}</div>', url, fallback)
