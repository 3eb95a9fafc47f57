"""An editor writes and publishes an article in the Wagtail admin."""

import re
import xml.etree.ElementTree as ET
from urllib.request import urlopen

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from .conftest import authenticator_code, screenshot


def _sign_in(page, base, password):
    page.goto(base + "/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", password)
    page.fill("#id_otp_token", authenticator_code())  # the administrator's second factor
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    page.wait_for_url(base + "/admin/")


def _new_article_in_news(page, base):
    """Pages › Home › News › Add child page › Article."""
    page.goto(base + "/admin/pages/")
    page.get_by_role("link", name="Explore child pages of 'Home'").click()
    page.get_by_role("link", name="Explore child pages of 'News'").click()
    page.locator("a[href$='/add_subpage/']").first.click()
    page.get_by_role("main").get_by_role("link", name="Article", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/pages/add/newsroom/articlepage/\d+/$"))


def test_editor_publishes_an_article_that_leads_latest_news_and_the_feed(site_server, tab):
    base, password = site_server
    page = tab.page
    _sign_in(page, base, password)
    _new_article_in_news(page, base)
    title = "Editors publish a test report on prison conditions"
    page.fill("#id_title", title)
    page.fill("#id_dek", "Written in the admin by the browser test.")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    # "created and published", or "published" when Wagtail's autosave created the page first
    expect(page.locator(".messages")).to_contain_text(re.compile(rf"'{re.escape(title)}'.*published"))

    page.goto(base + "/")
    first = page.locator("section#latest-news li.teaser h3 a").first
    assert first.inner_text() == title
    with urlopen(base + "/feed/rss/") as response:
        root = ET.fromstring(response.read())
    assert root.find("./channel/item").findtext("title") == title


def test_editor_sees_a_figure_conflict_before_publishing_and_the_site_can_block_it(site_server, tab):
    base, password = site_server
    page = tab.page
    _sign_in(page, base, password)
    _new_article_in_news(page, base)
    title = "Students held after campus protest"
    page.fill("#id_title", title)
    page.fill("#id_dek", "Police detained 120 students on Monday, witnesses said. "
                         "Officials later said 95 students were detained.")
    # Wagtail autosaves while the editor types (the new page then moves to its edit address):
    # let a running autosave finish before saving by hand.
    try:
        page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"), timeout=15_000)
    except PlaywrightTimeout:
        pass
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    page.wait_for_load_state()
    edit_url = page.url

    # Warned on saving, and the Facts check panel of the editor says the same.
    expect(page.locator(".messages")).to_contain_text("figure-conflict")
    panel = page.locator("[data-facts-check]")
    expect(panel).to_contain_text("figure-conflict")
    expect(panel).to_contain_text("120")
    expect(panel).to_contain_text("95")
    screenshot(page, "editor-facts-check", 1280)

    # The site's Facts desk setting makes the conflict block publication.
    page.goto(base + "/admin/settings/facts/factssettings/")
    page.get_by_role("checkbox", name=re.compile("Block publication on a figure conflict", re.I)).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text(re.compile("updated", re.I))

    page.goto(edit_url)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    expect(page.get_by_text(re.compile("Not published: the figures contradict each other"))).to_be_visible()
    screenshot(page, "editor-publish-blocked", 1280)
    assert urlopen_status(base + "/news/students-held-after-campus-protest/") == 404


def urlopen_status(url):
    from urllib.error import HTTPError

    try:
        with urlopen(url) as response:
            return response.status
    except HTTPError as exc:
        return exc.code
