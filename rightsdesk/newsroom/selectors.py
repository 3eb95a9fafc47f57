"""What the public sees: the one definition of "published" and the selections built on it.

Pages, feeds, the sitemap and (later) the mirror all go through these functions, so a page that
is a draft, unpublished, private or in another language never leaks into a listing.
"""

import re
import zlib

from django.conf import settings
from django.db.models import Q

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


def language_frame(locale_id):
    """The home page, sections and home-page translations of one language, cached until the next
    publish: every public page's header and every teaser's section link need them."""
    from .cache import versioned
    from .models import HomePage, SectionPage

    def compute():
        home = HomePage.objects.live().filter(locale_id=locale_id).order_by("path").first()
        sections, home_translations = [], []
        if home is not None:
            sections = list(public(SectionPage.objects.child_of(home).live()).order_by("path"))
            home_translations = list(home.get_translations(inclusive=False).live().select_related("locale"))
        return {
            "lang": language_code(locale_id),
            "home": home,
            "sections": sections,
            "home_translations": home_translations,
        }

    return versioned(f"frame:{locale_id}", compute)


def public_homes():
    """(home page, its address) of every language whose front page is live and public, in tree
    order (the sitemap and the mirror's bake list each language's pages from these)."""
    from .models import HomePage

    homes = []
    for home in HomePage.objects.live().order_by("path"):
        if home.get_view_restrictions().exists():
            continue
        base = home.get_url()
        if base is not None:
            homes.append((home, base))
    return homes


def attach_sections(pages):
    """Give each page its parent section (fills the `section` cached property of ArticlePage),
    from the cached language frame; one query for any section not found there."""
    from wagtail.models import Page

    from .models import SectionPage

    pages = list(pages)
    sections = {}
    for locale_id in {p.locale_id for p in pages}:
        sections.update((s.path, s) for s in language_frame(locale_id)["sections"])
    missing = {p.path[: -Page.steplen] for p in pages} - set(sections)
    if missing:
        sections.update((s.path, s) for s in SectionPage.objects.filter(path__in=missing))
    for page in pages:
        page.__dict__["section"] = sections.get(page.path[: -Page.steplen])
    return pages


def restricted_paths():
    """Tree paths of the private sections (pages with a view restriction), cached until the next
    publish or restriction change: one query per content change instead of one per listing."""
    from wagtail.models import PageViewRestriction

    from .cache import versioned

    return versioned(
        "restricted", lambda: sorted(PageViewRestriction.objects.values_list("page__path", flat=True))
    )


def public(qs):
    """`qs` without pages in private sections (Wagtail's .public(), with the sections cached)."""
    condition = Q()
    for path in restricted_paths():
        condition |= Q(path__startswith=path)
    return qs.exclude(condition) if condition else qs


_LANGUAGE_CODES = {}


def language_code(locale_id):
    """The language code of a locale id, without a query each time (locales never change code)."""
    code = _LANGUAGE_CODES.get(locale_id)
    if code is None:
        from wagtail.models import Locale

        _LANGUAGE_CODES.update(Locale.objects.values_list("pk", "language_code"))
        code = _LANGUAGE_CODES[locale_id]
    return code


def locale_id_for(language):
    """The id of the locale of a language code (as Django's active language gives it), or None;
    without a query once known (a locale added later is found on the next miss)."""
    from wagtail.coreutils import get_supported_content_language_variant

    try:
        language = get_supported_content_language_variant(language)
    except LookupError:
        return None
    ids = {code: pk for pk, code in _LANGUAGE_CODES.items()}
    if language not in ids:
        from wagtail.models import Locale

        _LANGUAGE_CODES.update(Locale.objects.values_list("pk", "language_code"))
        ids = {code: pk for pk, code in _LANGUAGE_CODES.items()}
    return ids.get(language)


def localized_home(home, language):
    """The live translation of the front page `home` in `language`, or `home` itself when it has
    none (Wagtail's `localized`), from the kept language frame: Wagtail localizes the site's
    root page before routing every request, with one query for the locale and, for a
    translation, two more. None when this cannot tell (the caller asks Wagtail then)."""
    locale_id = locale_id_for(language) if language else None
    if locale_id is None:
        return None  # no active language, or one without a locale: Wagtail's own lookup decides
    if locale_id == home.locale_id:
        return home
    translation = language_frame(locale_id)["home"]
    if translation is not None and translation.translation_key == home.translation_key:
        return translation
    return None  # not the language's first front page: Wagtail's own lookup decides


_URLS = {"version": None, "urls": {}}


def _host(request):
    return request.META.get("HTTP_HOST", "") if request is not None else ""


def _remembered(key, request, compute):
    """`compute()`, remembered under (host of `request`, *key) until the next publish."""
    from .signals import public_version

    version = public_version()
    if _URLS["version"] != version:
        _URLS["version"], _URLS["urls"] = version, {}
    key = (_host(request), *key)
    url = _URLS["urls"].get(key)
    if url is None:
        url = _URLS["urls"][key] = compute()
    return url


def page_url(page, request=None):
    """`page.get_url(request)`, remembered until the next publish: the front page and sections
    are linked from every page (navigation, tags, feeds, teasers), and Wagtail works each address
    out again each time."""
    return _remembered((page.pk,), request, lambda: page.get_url(request))


def section_addresses(locale_id, request=None):
    """{url_path: address} of the public sections of a language, remembered until the next
    publish (a search result's address is its section's and its slug)."""
    return _remembered(("sections", locale_id), request, lambda: {
        section.url_path: page_url(section, request) for section in language_frame(locale_id)["sections"]
    })


def route_url(page, name, args=(), request=None):
    """The address of route `name` of a routable page (a front page's archive, tags, feeds...),
    remembered until the next publish: every page links to eight of them, and Django's reverse()
    works each one out again."""
    return _remembered((page.pk, name, *map(str, args)), request,
                       lambda: page_url(page, request) + page.reverse_subpage(name, args=args))


def page_full_url(page, request=None):
    """`page.get_full_url(request)`, remembered until the next publish (an article page names its
    own address four times: canonical link, og:url and twice in its JSON-LD)."""
    return _remembered((page.pk, "full"), request, lambda: page.get_full_url(request))


def named(model, **lookup):
    """The `model` row with this unique `lookup` (a tag or author by slug), or None; kept until
    the next publish or change (tag and author listings look theirs up on every page)."""
    from .cache import versioned

    key = "named:" + model._meta.label + ":" + ":".join(f"{k}={v}" for k, v in sorted(lookup.items()))
    found = versioned(key, lambda: model.objects.filter(**lookup).first() or False)
    return found or None


def language_of(page):
    """The language code of a page."""
    return language_code(page.locale_id)


def site_identity(request, language):
    """The site identity (name, tagline, notice) in `language`, cached until the next change."""
    from .cache import versioned
    from .models import SiteIdentity

    site = getattr(request, "_wagtail_site", None)
    key = f"identity:{site.pk if site else request.get_host()}"
    return versioned(key, lambda: SiteIdentity.for_request(request)).for_language(language)


def _models():
    from .models import ArticlePage, BriefPage

    return ArticlePage, BriefPage


def published_articles(locale=None):
    """Live, public articles, newest first (by the date readers see)."""
    ArticlePage, _ = _models()
    qs = public(ArticlePage.objects.live())
    if locale is not None:
        qs = qs.filter(locale=locale)  # a Locale or its id
    return qs.order_by("-first_published", "-pk")


def public_article_ids(locale_id):
    """The ids of `published_articles(locale_id)`, as a set kept until the next publish: Related
    lists check their stored ids against it instead of asking the database for each list."""
    from .cache import versioned

    return versioned(
        f"public-article-ids:{locale_id}",
        lambda: frozenset(published_articles(locale_id).order_by().values_list("pk", flat=True)),
    )


def search_result_rows(locale_id):
    """{id: (id, path, depth, url_path, locale_id, first_published, date, agency)} of the public
    articles (first_published) and briefs (date, agency) of a language, read once per publish:
    all a search result shows of its page besides its title and snippet, and the check that the
    page is still live and public when its result is shown."""
    from .cache import versioned

    def compute():
        fields = ("pk", "path", "depth", "url_path", "locale_id")
        rows = {
            row[0]: (*row, None, "")
            for row in published_articles(locale_id).order_by().values_list(*fields, "first_published")
        }
        rows.update(
            (row[0], (*row[:5], None, *row[5:]))
            for row in published_briefs(locale_id).order_by().values_list(*fields, "date", "agency")
        )
        return rows

    return versioned(f"search-result-rows:{locale_id}", compute)


def teaser_stamps(locale_id):
    """{id: stamp} of the public articles and briefs of a language, read once per publish: a
    teaser (title, date, excerpt, address) changes only when its page is published again (a new
    live revision and last_published_at, to the microsecond: two publishes can share a second)
    or moved (url_path), so teasers are kept under their stamp across publishes of other pages
    (see frame_stamp for the section links they carry)."""
    from wagtail.models import Page

    from .cache import versioned

    def compute():
        ArticlePage, BriefPage = _models()
        rows = public(Page.objects.live().filter(locale_id=locale_id).type(ArticlePage, BriefPage))
        return {
            pk: f"{revision}-{published.isoformat() if published else ''}-{zlib.crc32(url_path.encode()):x}"
            for pk, revision, published, url_path in rows.order_by().values_list(
                "pk", "live_revision_id", "last_published_at", "url_path")
        }

    return versioned(f"teaser-stamps:{locale_id}", compute)


def frame_stamp(locale_id, request=None):
    """A short fingerprint of what a teaser shows besides its own page: the language's front
    page address and its sections' titles and addresses (as seen from `request`'s host)."""
    from .cache import versioned

    def compute():
        frame = language_frame(locale_id)
        parts = [page_url(frame["home"], request) if frame["home"] else ""]
        parts += [f"{s.pk}:{s.title}:{page_url(s, request)}" for s in frame["sections"]]
        return f"{zlib.crc32(chr(0).join(parts).encode()):x}"

    return versioned(f"frame-stamp:{locale_id}:{_host(request)}", compute)


def locale_id_of(language):
    """The locale id of a language code (the reverse of language_code)."""
    for pk, code in _LANGUAGE_CODES.items():
        if code == language:
            return pk
    from wagtail.models import Locale

    _LANGUAGE_CODES.update(Locale.objects.values_list("pk", "language_code"))
    return next((pk for pk, code in _LANGUAGE_CODES.items() if code == language), None)


def published_briefs(locale=None):
    """Live, public wire briefs, newest first."""
    _, BriefPage = _models()
    qs = public(BriefPage.objects.live())
    if locale is not None:
        qs = qs.filter(locale=locale)
    return qs.order_by("-date", "-pk")


def latest_articles(locale, limit=None):
    """The front page's Latest news."""
    qs = published_articles(locale)
    return attach_sections(qs[: limit or settings.RIGHTSDESK_LATEST_COUNT])


def section_items(section):
    """A section's articles and briefs, newest first (briefs dated by their wire date)."""
    from django.db.models.functions import Coalesce
    from wagtail.models import Page

    ArticlePage, BriefPage = _models()
    qs = public(Page.objects.live().child_of(section).type(ArticlePage, BriefPage))
    qs = qs.annotate(shown_date=Coalesce("articlepage__first_published", "briefpage__date"))
    return qs.order_by("-shown_date", "-pk").specific()


def must_read(home, limit=None):
    """The editors' ordered picks of `home`, skipping any that are no longer public;
    the newest briefs of the same language when there are none."""
    limit = limit or settings.RIGHTSDESK_MUST_READ_COUNT
    order = list(home.must_read_items.order_by("sort_order").values_list("page_id", flat=True))
    if order:
        by_pk = {}
        for model in _models():
            by_pk.update((p.pk, p) for p in public(model.objects.live().filter(pk__in=order, locale_id=home.locale_id)))
        picks = [by_pk[pk] for pk in order if pk in by_pk][:limit]
        if picks:
            return picks
    return list(published_briefs(home.locale_id)[:limit])


def preload_translations(pages):
    """For the bake: the public translations of each of `pages` ({id: page}), loaded at once and
    attached for the language links (see site_chrome)."""
    from wagtail.models import Page

    from . import extensions

    keys = {p.translation_key for p in pages.values()}
    translations = {}
    # (The pages themselves are read too: a page's translation may be among them.)
    others = public(Page.objects.live().filter(translation_key__in=keys)).select_related("locale").order_by("path")
    for other in others:
        translations.setdefault(other.translation_key, []).append(other)
    for page in pages.values():
        extensions.preload(page, "newsroom.translations",
                           [o for o in translations.get(page.translation_key, ()) if o.pk != page.pk])


def attach_bylines_and_tags(articles, tags=None, authors=None):
    """Fill each article's `tag_list` and `authors` (what its page shows) from two narrow queries
    for all of them (the bake), each tag and author loaded once: `tags` and `authors` are {pk:
    object} kept by the caller across calls (loaded into when missing)."""
    from taggit.models import Tag

    from .models import ArticleAuthor, ArticleTag, Author

    tags = {} if tags is None else tags
    authors = {} if authors is None else authors
    ids = [a.pk for a in articles]
    if not ids:
        return
    # The order the pages' own relations give: tags as stored, the byline by its order.
    tag_rows = list(ArticleTag.objects.filter(content_object_id__in=ids).order_by("pk")
                    .values_list("content_object_id", "tag_id"))
    author_rows = list(ArticleAuthor.objects.filter(article_id__in=ids).order_by("sort_order", "pk")
                       .values_list("article_id", "author_id"))
    for model, known, rows in ((Tag, tags, tag_rows), (Author, authors, author_rows)):
        missing = {pk for _, pk in rows} - set(known)
        if missing:
            known.update((obj.pk, obj) for obj in model.objects.filter(pk__in=missing))
    by_article_tags, by_article_authors = {}, {}
    for article_id, tag_id in tag_rows:
        by_article_tags.setdefault(article_id, []).append(tags[tag_id])
    for article_id, author_id in author_rows:
        by_article_authors.setdefault(article_id, []).append(authors[author_id])
    for article in articles:
        # The cached properties of ArticlePage (models.py), filled as a first read would.
        article.__dict__["tag_list"] = by_article_tags.get(article.pk, [])
        article.__dict__["authors"] = by_article_authors.get(article.pk, [])


def related_articles(article, limit=None):
    """Up to `limit` articles related to `article`: the list stored by the related app (scored at
    publish time, with the editors' pins and exclusions); the same-tag-or-section list below when
    none is stored yet."""
    from . import extensions

    limit = limit or settings.RIGHTSDESK_RELATED_COUNT
    ids = extensions.related_ids(article, limit)
    if ids:
        by_pk = {p.pk: p for p in published_articles(article.locale_id).filter(pk__in=ids)}
        stored = [by_pk[pk] for pk in ids if pk in by_pk]
        if stored:
            return attach_sections(stored)
    return same_tag_or_section(article, limit)


def same_tag_or_section(article, limit=None):
    """Up to `limit` articles of the same language sharing a tag or the section of `article`,
    newest first, never the article itself (the usual method; the benchmark's baseline)."""
    limit = limit or settings.RIGHTSDESK_RELATED_COUNT
    ArticlePage, _ = _models()
    from .models import ArticleTag

    tag_ids = [tag.pk for tag in article.tag_list]
    condition = Q(pk__in=ArticleTag.objects.filter(tag_id__in=tag_ids).values("content_object_id"))
    section_path = article.path[: -ArticlePage.steplen]
    condition |= Q(path__startswith=section_path, depth=article.depth)
    qs = published_articles(article.locale_id).filter(condition).exclude(pk=article.pk)
    return attach_sections(qs[:limit])


def search(query, locale):
    """Published, public articles and briefs of one language matching `query`, best first, each
    with `search_title` and `search_snippet` (safe HTML, the matched words in <mark>): a lazy
    sequence for Django's Paginator, read from the search index (see search/). A query with no
    words (only punctuation or operators) matches nothing."""
    from .search import search as run

    return run(query, getattr(locale, "pk", locale))
