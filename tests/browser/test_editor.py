"""An editor writes and publishes an article in the Wagtail admin."""

import re
import xml.etree.ElementTree as ET
from urllib.request import urlopen

from playwright.sync_api import expect


def test_editor_publishes_an_article_that_leads_latest_news_and_the_feed(site_server, tab):
    base, password = site_server
    page = tab.page
    page.goto(base + "/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", password)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.wait_for_url(base + "/admin/")

    # Pages › Home › News › Add child page › Article
    page.goto(base + "/admin/pages/")
    page.get_by_role("link", name="Explore child pages of 'Home'").click()
    page.get_by_role("link", name="Explore child pages of 'News'").click()
    page.locator("a[href$='/add_subpage/']").first.click()
    page.get_by_role("main").get_by_role("link", name="Article", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/pages/add/newsroom/articlepage/\d+/$"))
    title = "Editors publish a test report on prison conditions"
    page.fill("#id_title", title)
    page.fill("#id_dek", "Written in the admin by the browser test.")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(f"'{title}' created and published")

    page.goto(base + "/")
    first = page.locator("section#latest-news li.teaser h3 a").first
    assert first.inner_text() == title
    with urlopen(base + "/feed/rss/") as response:
        root = ET.fromstring(response.read())
    assert root.find("./channel/item").findtext("title") == title
