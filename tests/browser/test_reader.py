"""A reader on the public site, in a real browser."""

import re
from urllib.parse import urlsplit

from .conftest import screenshot


def test_reader_front_page_article_and_related_load_nothing_from_other_hosts(site_server, tab):
    base, _ = site_server
    page = tab.page
    page.goto(base + "/")
    latest = page.locator("section#latest-news")
    must_read = page.locator("section#must-read")
    assert latest.is_visible() and must_read.is_visible()
    assert latest.get_by_role("heading", name="Latest news").is_visible()
    assert latest.locator("li.teaser").count() >= 5
    assert must_read.locator("li.teaser").count() >= 3
    assert must_read.locator(".agency").count() >= 1  # wire briefs credited "Agency: ..."
    screenshot(page, "front", 1280)
    screenshot(page, "front", 375)
    page.set_viewport_size({"width": 1280, "height": 900})

    first = latest.locator("li.teaser h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    related = page.locator("section#related")
    assert related.is_visible()
    assert related.locator("li.teaser").count() >= 1
    assert page.locator("section#recommended").count() == 1
    assert page.locator("section#latest-news").is_visible() and page.locator("section#must-read").is_visible()
    screenshot(page, "article", 1280)
    screenshot(page, "article", 375)

    # An article with a lead image: the image and its credit load from the site itself.
    page.goto(base + "/reports/")
    page.goto(base + "/news/nouri-life-sentence/")
    img = page.locator("figure.lead-image img")
    assert img.is_visible()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", img.element_handle())
    assert page.locator("figure.lead-image .credit").inner_text()

    own = urlsplit(base).netloc
    assert tab.requests, "the browser recorded the requests"
    assert tab.hosts() == {own}, f"requests went to {tab.hosts() - {own}}"
    assert not page.context.cookies(), "anonymous readers get no cookie"


def test_site_works_without_javascript_and_at_375px(browser, site_server):
    base, _ = site_server
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(base + "/")
    page.locator("section#latest-news li.teaser h3 a").first.click()
    page.wait_for_load_state()
    assert page.locator("section#related li.teaser").count() >= 1
    # Nothing wider than the screen: no horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator("#site-search").fill("Nouri")
    page.locator("#site-search").press("Enter")
    page.wait_for_load_state()
    assert "/search/?q=Nouri" in page.url
    assert page.locator("ol.search-results li").count() >= 1
    context.close()


def test_skip_link_and_visible_focus(site_server, tab):
    base, _ = site_server
    page = tab.page
    page.goto(base + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0, "the skip link shows when focused"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_persian_article_is_right_to_left_with_jalali_date_and_english_link(site_server, tab):
    base, _ = site_server
    page = tab.page
    page.goto(base + "/fa/")
    assert page.locator("html").get_attribute("lang") == "fa"
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.goto(base + "/fa/news/fa-un-experts-urge-1988-inquiry/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    published = page.locator(".byline time").first
    assert published.get_attribute("datetime").startswith("2022-01-28")
    assert published.inner_text() == "۸ بهمن ۱۴۰۰"
    # The title sits on the right in a right-to-left layout.
    h1 = page.locator("h1").bounding_box()
    main = page.locator("main").bounding_box()
    assert abs((h1["x"] + h1["width"]) - (main["x"] + main["width"])) < 2
    screenshot(page, "article-fa", 1280)
    screenshot(page, "article-fa", 375)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("a[hreflang=en]").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/news/un-experts-urge-1988-inquiry/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert re.search(r"1988", page.locator("h1").inner_text())
    assert page.locator("a[hreflang=fa]").first.get_attribute("href").endswith("/fa/news/fa-un-experts-urge-1988-inquiry/")
