"""Recommended to you in a real browser: it follows what the reader opens, the history never
leaves the browser, and the reader can clear it."""

from urllib.parse import urlsplit

NOURI_STORY = ["/news/nouri-life-sentence/", "/news/nouri-appeal-upheld/", "/news/nouri-prisoner-swap/"]


def recommended_titles(page):
    return page.locator("#recommended li.teaser h3 a").all_inner_texts()


def must_read_titles(page):
    return page.locator("#must-read li.teaser h3 a").all_inner_texts()


def test_recommended_follows_reading_and_history_never_leaves_the_browser(site_server, tab):
    base, _ = site_server
    page = tab.page

    # A new reader: Must read, and nothing fetched for recommendations.
    page.goto(base + "/")
    page.wait_for_selector('#recommended[data-state="must-read"]')
    assert recommended_titles(page) == must_read_titles(page)

    # Three articles on the Nouri trial.
    read_titles = []
    for path in NOURI_STORY:
        page.goto(base + path)
        page.wait_for_selector("#recommended[data-state]")
        read_titles.append(page.locator("h1").inner_text())
    ids = page.evaluate("JSON.parse(localStorage.getItem('rightsdesk.reading-history.v2')).map(h => String(h.i))")
    assert len(ids) == 3

    page.goto(base + "/")
    page.wait_for_selector('#recommended[data-state="personal"]')
    titles = recommended_titles(page)
    assert 1 <= len(titles) <= 5
    assert not set(titles) & set(read_titles), "articles already read are not recommended"
    page.goto(base + "/analysis/universal-jurisdiction-after-nouri/")
    fourth = page.locator("h1").inner_text()
    assert fourth in titles, titles  # the fourth article on the same trial
    assert page.locator("#recommended .recommended-note").inner_text().startswith("Chosen on this device")

    # No request carried the history: no cookie, no query string, no body, no id in any URL.
    own = urlsplit(base).netloc
    assert tab.hosts() == {own}
    feeds = [r for r in tab.requests if urlsplit(r.url).path.endswith("recommendations.json")]
    assert feeds, "the recommendations file was fetched"
    for request in tab.requests:
        parts = urlsplit(request.url)
        assert not parts.query, request.url
        assert request.method == "GET" and not request.post_data, request.url
        assert "cookie" not in {k.lower() for k in request.headers}, request.url
        assert not set(ids) & set(parts.path.split("/")), request.url
    assert not page.context.cookies()


def test_clearing_the_history_brings_back_must_read(site_server, tab):
    base, _ = site_server
    page = tab.page
    page.goto(base + "/news/nouri-life-sentence/")
    page.wait_for_selector("#recommended[data-state]")
    page.goto(base + "/")
    page.wait_for_selector('#recommended[data-state="personal"]')

    page.locator("#recommended a.how-recommended").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "How Recommended to you works"
    button = page.get_by_role("button", name="Clear my reading history")
    assert button.is_visible()
    assert page.locator("#history-status").inner_text().endswith("1")
    button.click()
    assert "cleared" in page.locator("#history-status").inner_text()
    assert page.evaluate("localStorage.getItem('rightsdesk.reading-history.v2')") is None

    page.goto(base + "/")
    page.wait_for_selector('#recommended[data-state="must-read"]')
    assert recommended_titles(page) == must_read_titles(page)


def test_persian_reader_gets_persian_recommendations(site_server, tab):
    base, _ = site_server
    page = tab.page
    page.goto(base + "/fa/news/fa-nouri-life-sentence/")
    page.wait_for_selector("#recommended[data-state]")
    page.goto(base + "/fa/")
    page.wait_for_selector('#recommended[data-state="personal"]')
    titles = recommended_titles(page)
    assert titles and all(any("\u0600" <= ch <= "\u06ff" for ch in t) for t in titles)
    assert page.locator("#recommended").evaluate("el => getComputedStyle(el).direction") == "rtl"


def test_the_script_reads_every_article_of_the_file_right(site_server, tab):
    """The script's own decoding of the compact file (coded titles, addresses derived from titles
    or slug parts) gives, for every article in both languages, an address that serves that article
    under that title."""
    base, _ = site_server
    page = tab.page
    for home in ("/", "/fa/"):
        page.goto(base + home)
        page.wait_for_selector("#recommended[data-state]")
        checked = page.evaluate(
            """async () => {
                const feed = new URL("recommendations.json", location.href).href;
                const data = await (await fetch(feed)).json();
                const out = [];
                for (const a of window.rightsdeskRecommended.decode(data)) {
                    const response = await fetch(new URL(a.url, feed).href);
                    const html = new DOMParser().parseFromString(await response.text(), "text/html");
                    const h1 = html.querySelector("article h1, h1");
                    out.push([a.url, response.status, a.title, h1 ? h1.textContent.trim() : null]);
                }
                return out;
            }"""
        )
        assert len(checked) >= 7
        for url, status, title, h1 in checked:
            assert status == 200, url
            assert " ".join(h1.split()) == title, url


def test_a_history_kept_in_an_earlier_format_is_removed_not_read(site_server, tab):
    base, _ = site_server
    page = tab.page
    page.goto(base + "/")
    page.evaluate("localStorage.setItem('rightsdesk.reading-history.v1', JSON.stringify([{i: 1, l: 'en', f: 'r2 abc'}]))")
    page.goto(base + "/")
    page.wait_for_selector('#recommended[data-state="must-read"]')
    assert page.evaluate("localStorage.getItem('rightsdesk.reading-history.v1')") is None
    assert recommended_titles(page) == must_read_titles(page)
