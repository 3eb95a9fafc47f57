"""The public pages as a reader (or a feed reader, or a search engine) receives them."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from django.utils.html import escape

from rightsdesk.newsroom.models import ArticlePage, BriefPage

pytestmark = pytest.mark.django_db


class Resources(HTMLParser):
    """Collects what a browser would load (not plain links) and the <section> ids."""

    def __init__(self):
        super().__init__()
        self.loads, self.sections, self.links = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("img", "script", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.loads.append(a["src"])
        if tag == "img" and a.get("srcset"):
            self.loads.extend(part.split()[0] for part in a["srcset"].split(","))
        if tag == "link" and a.get("rel") in ("stylesheet", "icon", "preload", "manifest", "modulepreload"):
            self.loads.append(a["href"])
        if tag == "section" and a.get("id"):
            self.sections.append(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])


def parse(html):
    p = Resources()
    p.feed(html)
    return p


def jsonld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(b) for b in blocks]


def demo_article(slug="un-experts-urge-1988-inquiry", lang="en"):
    return ArticlePage.objects.get(slug=slug, locale__language_code=lang)


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return response


def test_front_page_has_latest_news_and_must_read(client):
    response = get(client, "/")
    html = response.content.decode()
    page = parse(html)
    assert "latest-news" in page.sections and "must-read" in page.sections
    assert '<html lang="en" dir="ltr">' in html
    latest = ArticlePage.objects.live().filter(locale__language_code="en").order_by("-first_published")[:6]
    for article in latest:
        assert article.title in html.replace("&#x27;", "'")
    # Excerpts are about 20 words and end in "..." only when cut.
    excerpts = re.findall(r'<p class="excerpt">(.*?)</p>', html, re.S)
    assert excerpts and any(e.endswith("...") for e in excerpts)
    for e in excerpts:
        words = re.sub(r"<[^>]+>", "", e).split()
        assert len(words) <= 22  # 20 words, plus an agency credit in Must read
    assert "/archive/" in page.links
    assert "Sample content" in html


def test_must_read_credits_the_wire_agency(client):
    html = get(client, "/").content.decode()
    must_read = html.split('id="must-read"', 1)[1].split("</section>", 1)[0]
    agencies = set(BriefPage.objects.values_list("agency", flat=True))
    assert any(f'<span class="agency">{agency}:</span>' in must_read for agency in agencies)


def test_article_page_has_every_section_of_the_reference_page(client):
    article = demo_article()
    html = get(client, article.url).content.decode()
    page = parse(html)
    for section_id in ("related", "recommended", "latest-news", "must-read"):
        assert section_id in page.sections, section_id
    assert article.title in html
    assert article.dek in html
    assert "28 January 2022" in html
    for author in article.authors:
        assert author.name in html
    for tag in article.tags.all():
        assert f"/tags/{tag.slug}/" in page.links
    related = html.split('id="related"', 1)[1].split("</section>", 1)[0]
    assert related.count('<li class="teaser">') >= 1
    assert article.url not in related


def test_article_meta_canonical_opengraph_and_jsonld(client):
    article = ArticlePage.objects.filter(lead_image__isnull=False, locale__language_code="en").first()
    html = get(client, article.url).content.decode()
    assert f'<link rel="canonical" href="{article.full_url}">' in html
    for prop in ("og:title", "og:description", "og:type", "og:url", "og:image", "article:published_time"):
        assert f'property="{prop}"' in html, prop
    for name in ("twitter:card", "twitter:title", "twitter:image"):
        assert f'name="{name}"' in html, name
    data = jsonld(html)
    assert len(data) == 1
    ld = data[0]
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == article.title
    assert ld["datePublished"].startswith(article.first_published.date().isoformat())
    assert ld["dateModified"]
    assert [a["name"] for a in ld["author"]] == [a.name for a in article.authors]
    assert ld["image"][0].startswith("http")
    assert ld["publisher"]["name"]


def test_feeds_are_linked_from_every_page(client):
    for url in ("/", "/news/", demo_article().url, "/tags/death-penalty/", "/fa/"):
        html = get(client, url).content.decode()
        assert 'type="application/rss+xml"' in html and 'type="application/atom+xml"' in html, url


def test_site_rss_feed_lists_newest_articles(client, make_article):
    new = make_article("Freshly published report")
    response = get(client, "/feed/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    items = root.findall("./channel/item")
    assert items[0].findtext("title") == new.title
    assert root.findtext("./channel/language") == "en"


def test_section_atom_feed_holds_only_that_section(client, make_article):
    in_reports = make_article("Only in reports", section_slug="reports")
    make_article("Only in news", section_slug="news")
    response = get(client, "/reports/feed/atom/")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(response.content)
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles[0] == in_reports.title
    assert "Only in news" not in titles


def test_persian_feed_is_in_persian(client):
    root = ET.fromstring(get(client, "/fa/feed/rss/").content)
    assert root.findtext("./channel/language") == "fa"
    titles = [i.findtext("title") for i in root.findall("./channel/item")]
    assert titles and all(re.search(r"[\u0600-\u06FF]", t) for t in titles)


def test_sitemap_and_robots(client):
    sitemap = get(client, "/sitemap.xml").content.decode()
    assert demo_article().full_url.split("://", 1)[1] in sitemap
    assert "/fa/" in sitemap
    robots = get(client, "/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    assert "Disallow: /admin/" in robots


def test_persian_article_is_rtl_with_jalali_date_and_links_to_english(client):
    fa = demo_article("fa-un-experts-urge-1988-inquiry", "fa")
    en = demo_article()
    html = get(client, fa.url).content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    # 28 January 2022 is 8 Bahman 1400.
    assert "۸ بهمن ۱۴۰۰" in html
    assert f'hreflang="en" href="http://testserver{en.url}"' in html
    assert f'href="{en.url}" hreflang="en"' in html
    en_html = get(client, en.url).content.decode()
    assert f'href="{fa.url}" hreflang="fa"' in en_html


def test_section_tag_and_archive_listings_are_newest_first_and_paginated(client, make_article):
    new = make_article("Newest in news", tags=["death penalty"])
    for url in ("/news/", "/tags/death-penalty/", "/archive/"):
        html = get(client, url).content.decode()
        first = re.search(r'<li class="teaser">\s*<h3><a href="[^"]+">(.*?)</a>', html, re.S)
        assert first and first.group(1) == new.title, url
    # Pages are numbered from the oldest, so older pages keep their content when news arrives.
    archive = get(client, "/archive/").content.decode()
    older = re.search(r'rel="next" href="(/archive/page/(\d+)/)"', archive)
    assert older, "the archive's first page links to older articles"
    page = get(client, older.group(1)).content.decode()
    assert 'rel="prev" href="/archive/' in page
    oldest = ArticlePage.objects.live().filter(locale__language_code="en").order_by("first_published", "pk").first()
    assert oldest.title in get(client, "/archive/page/1/").content.decode()
    make_article("Newer still")
    assert get(client, "/archive/page/1/").content.decode().count('class="teaser"') == page.count('class="teaser"')
    assert oldest.title in get(client, "/archive/page/1/").content.decode()
    get(client, "/archive/page/999/", status=404)
    get(client, "/archive/page/0/", status=404)
    get(client, "/archive/page/abc/", status=404)
    get(client, "/tags/no-such-tag/", status=404)


def test_author_page_lists_their_articles(client):
    article = demo_article()
    author = article.authors[0]
    html = get(client, f"/authors/{author.slug}/").content.decode()
    assert author.name in html and article.title in html


def test_search_finds_articles_and_briefs_in_the_pages_language(client):
    html = get(client, "/search/?q=Zahedan").content.decode()
    assert "zahedan-bloody-friday" in html
    assert "fa-zahedan" not in html
    brief = BriefPage.objects.first()
    html = get(client, "/search/?q=" + brief.title.split()[0] + " " + brief.title.split()[-1]).content.decode()
    assert "results" in html
    fa = get(client, "/fa/search/?q=زاهدان").content.decode()
    assert "fa-zahedan-bloody-friday" in fa


def test_anonymous_readers_get_no_cookie_and_nothing_from_other_hosts(client):
    urls = ["/", "/fa/", "/news/", demo_article().url, demo_article("fa-un-experts-urge-1988-inquiry", "fa").url,
            "/tags/death-penalty/", "/search/?q=UN", "/archive/", BriefPage.objects.first().url]
    for url in urls:
        response = get(client, url)
        assert not response.cookies, f"{url} set {list(response.cookies)}"
        for src in parse(response.content.decode()).loads:
            assert src.startswith("/") and not src.startswith("//"), f"{url} loads {src}"


def test_accessibility_basics(client):
    for url in ("/", demo_article().url):
        html = get(client, url).content.decode()
        assert '<a class="skip-link" href="#main">' in html
        assert '<main id="main"' in html and "<header" in html and "<footer" in html and "<nav" in html
        for img in re.findall(r"<img [^>]*>", html):
            assert re.search(r'alt="[^"]+"', img), img


def test_site_cache_serves_anonymous_readers_and_a_publish_refreshes_it(client, settings, make_article, admin_user):
    settings.RIGHTSDESK_PAGE_CACHE_SECONDS = 60
    first = get(client, "/")
    assert first["X-Cache"] == "miss"
    second = get(client, "/")
    assert second["X-Cache"] == "hit" and second.content == first.content
    new = make_article("Published after the page was cached")
    fresh = get(client, "/")
    assert fresh["X-Cache"] == "miss"
    assert new.title in fresh.content.decode()
    # Editors (with a session) always get the live page, never a cached one.
    client.force_login(admin_user)
    assert "X-Cache" not in get(client, "/")


def test_navigation_marks_only_the_articles_own_section(client):
    for article in ArticlePage.objects.live().filter(locale__language_code="en")[:20]:
        html = get(client, article.url).content.decode()
        nav = html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
        current = re.findall(r'<a href="([^"]+)" aria-current', nav)
        assert current == [article.get_parent().url], article.url


def test_search_results_are_paginated_and_keep_the_query(client):
    html = get(client, "/search/?q=Iran").content.decode()
    count = int(re.search(r"”: (\d+) results", html).group(1))
    assert count > 10
    def results(page_html):
        return page_html.split('class="teasers search-results"', 1)[1].split("</ol>", 1)[0].count("<li ")

    assert results(html) == 10
    assert 'rel="next" href="?q=Iran&amp;page=2"' in html
    page2 = get(client, "/search/?q=Iran&page=2").content.decode()
    assert results(page2) == min(10, count - 10)
    assert "No results." in get(client, "/search/?q=zzqqxxnothing").content.decode()


def test_language_switch_of_listings_leads_to_the_equivalent_page(client):
    archive = get(client, "/archive/").content.decode()
    assert 'hreflang="fa" href="http://testserver/fa/archive/"' in archive
    tag = get(client, "/tags/death-penalty/").content.decode()
    assert 'hreflang="fa" href=' not in tag.split("</head>")[0], "tags differ by language: no alternate"
    assert '<a href="/fa/" hreflang="fa"' in tag


def test_admin_lists_all_articles_and_briefs(client, admin_user):
    client.force_login(admin_user)
    html = get(client, "/admin/articles/").content.decode()
    assert "Articles" in html and escape(ArticlePage.objects.order_by("-pk").first().title) in html
    # More demo articles than one page of the listing: the oldest one is found by the search.
    html = get(client, "/admin/articles/?q=Hundreds+UN+experts").content.decode()
    assert "Hundreds of current and former UN experts" in html
    briefs = get(client, "/admin/wire_briefs/").content.decode()
    assert escape(BriefPage.objects.first().title) in briefs


def test_unknown_address_gets_a_helpful_404_page(client):
    response = get(client, "/no-such-page/", status=404)
    html = response.content.decode()
    assert "Page not found" in html and 'href="/search/"' in html
    for src in parse(html).loads:
        assert src.startswith("/")


def test_wire_section_lists_briefs_newest_first_and_author_pages_speak_persian(client):
    html = get(client, "/wire/").content.decode()
    titles = re.findall(r'<li class="teaser">\s*<h3><a href="[^"]+">(.*?)</a>', html, re.S)
    newest = BriefPage.objects.live().filter(locale__language_code="en").order_by("-date")
    assert titles[:3] == [escape(b.title) for b in newest[:3]]
    fa = demo_article("fa-un-experts-urge-1988-inquiry", "fa")
    author = fa.authors[0]
    persian = get(client, f"/fa/authors/{author.slug}/").content.decode()
    assert author.name_fa in persian and fa.title in persian
