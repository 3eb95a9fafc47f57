"""The baked mirror in a real browser, served by a plain static server under a sub-path: search
through Pagefind in English and Persian, Latest news loaded from its fragment, and Recommended to
you following the reader's history, all without any request leaving the mirror's host."""

from urllib.parse import urlsplit

NOURI_STORY = ["news/nouri-life-sentence/", "news/nouri-appeal-upheld/", "news/nouri-prisoner-swap/"]


def result_titles(page):
    page.wait_for_selector(".pagefind-ui__result-link", timeout=30_000)
    return page.locator(".pagefind-ui__result-link").all_inner_texts()


def test_search_on_the_mirror_finds_articles_in_english(baked_site, tab):
    page = tab.page
    page.goto(baked_site + "search/?q=Nouri")
    titles = result_titles(page)
    assert any("Nouri" in title for title in titles), titles
    # The header's search form leads to the same page from any article.
    page.goto(baked_site + NOURI_STORY[0])
    page.fill("#site-search", "Zahedan")
    page.press("#site-search", "Enter")
    titles = result_titles(page)
    assert any("Zahedan" in title for title in titles), titles
    # A result opens the article on the mirror, under its sub-path.
    page.locator(".pagefind-ui__result-link").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(baked_site)
    assert page.locator("h1").inner_text()
    assert tab.hosts() == {urlsplit(baked_site).netloc}


def test_search_on_the_mirror_finds_articles_in_persian(baked_site, tab):
    page = tab.page
    page.goto(baked_site + "fa/search/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill(".pagefind-ui__search-input", "خاوران")
    titles = result_titles(page)
    assert titles and all(any("\u0600" <= ch <= "\u06ff" for ch in title) for title in titles), titles
    links = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.href)")
    assert all(link.startswith(baked_site + "fa/") for link in links), links
    assert tab.hosts() == {urlsplit(baked_site).netloc}


def test_latest_news_and_recommended_work_on_the_mirror(baked_site, tab):
    page = tab.page
    page.goto(baked_site + NOURI_STORY[0])
    # Latest news and Must read come from the fragment files of the mirror.
    page.wait_for_selector("#latest-news li.teaser")
    assert page.locator("#latest-news li.teaser").count() >= 3
    read = []
    for path in NOURI_STORY:
        page.goto(baked_site + path)
        page.wait_for_selector("#recommended[data-state]")
        read.append(page.locator("h1").inner_text())
    page.goto(baked_site)
    page.wait_for_selector('#recommended[data-state="personal"]')
    titles = page.locator("#recommended li.teaser h3 a").all_inner_texts()
    assert titles and not set(titles) & set(read)
    page.goto(baked_site + "analysis/universal-jurisdiction-after-nouri/")
    assert page.locator("h1").inner_text() in titles, titles
    # Every recommended link opens a page of the mirror.
    page.goto(baked_site)
    page.wait_for_selector('#recommended[data-state="personal"]')
    hrefs = page.locator("#recommended li.teaser h3 a").evaluate_all("els => els.map(e => e.href)")
    for href in hrefs:
        assert href.startswith(baked_site), href
        assert page.request.get(href).status == 200, href
    assert tab.hosts() == {urlsplit(baked_site).netloc}


def test_the_mirror_served_by_nginx_under_a_sub_path(nginx_mirror, baked_folder, tab):
    """deploy/'s nginx configuration serving the baked demo under /mirror/: every link, image,
    script, stylesheet and feed of every page answers 200, and search works in the browser."""
    import urllib.request
    from posixpath import join, normpath
    from urllib.parse import quote, unquote

    from rightsdesk.mirror.check import references

    _, outdir = baked_folder
    origin = "http://" + urlsplit(nginx_mirror).netloc
    seen = {}

    def status(path):
        if path not in seen:
            try:
                with urllib.request.urlopen(origin + quote(path)) as response:
                    seen[path] = response.status
            except urllib.error.HTTPError as exc:
                seen[path] = exc.code
        return seen[path]

    import urllib.error

    pages = sorted(p for p in outdir.rglob("index.html") if ".rightsdesk-bake" not in p.parts)
    assert len(pages) > 200
    for file in pages:
        page_path = "/mirror/" + file.parent.relative_to(outdir).as_posix() + "/"
        page_path = page_path.replace("/./", "/")
        assert status(page_path) == 200, page_path
        for tag, attribute, value, loads, rel in references(file.read_text(encoding="utf-8")):
            parts = urlsplit(value)
            if parts.scheme or value.startswith(("//", "#", "mailto:")):
                continue
            target = normpath(join(page_path, unquote(parts.path))) + ("/" if parts.path.endswith("/") or not parts.path else "")
            assert target.startswith("/mirror/"), (page_path, value)
            if target.endswith("/pagefind/"):
                continue
            assert status(target) == 200, (page_path, value)

    page = tab.page
    page.goto(nginx_mirror + "search/?q=Nouri")
    titles = result_titles(page)
    assert any("Nouri" in title for title in titles), titles
    page.goto(nginx_mirror + "fa/search/?q=خاوران")
    assert result_titles(page)
    assert tab.hosts() == {urlsplit(nginx_mirror).netloc}
