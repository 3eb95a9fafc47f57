"""The cases desk's public statistics page in a real browser: 1280 and 375 px wide, with and
without JavaScript, in English and Persian; charts are SVG drawn by the server, each with its
table and a CSV download, nothing loaded from other hosts."""

import pytest

from .conftest import screenshot


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("javascript", [True, False])
def test_statistics_page_charts_tables_and_csv(site_server, browser, language, javascript):
    base, _ = site_server
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
    context.set_default_timeout(60_000)
    page = context.new_page()
    hosts = set()
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    prefix = "/fa" if language == "fa" else ""
    page.goto(f"{base}{prefix}/statistics/")
    assert page.locator("html").get_attribute("lang") == language
    heading = page.locator("h1").inner_text()
    assert heading.startswith("آمار" if language == "fa" else "Statistics")
    month = page.locator("section#month")
    assert month.locator("svg.chart rect").count() >= 12  # the sample records' months
    assert month.locator("table tbody tr").count() >= 12
    first_label = month.locator("table tbody tr td").first.inner_text()
    # Persian pages count in the Iranian calendar, English ones in the Gregorian.
    assert ("دی" in first_label or "۱۴۰۱" in first_label) if language == "fa" else "2023" in first_label
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        svg_box = month.locator("svg.chart").bounding_box()
        assert svg_box["width"] <= width and svg_box["height"] > 50
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        screenshot(page, f"cases-statistics-{language}-{'js' if javascript else 'nojs'}", width)
    link = month.locator("a[download]")
    response = context.request.get(base + link.get_attribute("href") if link.get_attribute("href").startswith("/")
                                   else link.get_attribute("href"))
    assert response.ok and response.text().startswith("month,label,count")
    # The Jalali and Gregorian versions are one link away.
    page.locator("nav.filters a", has_text="میلادی" if language == "fa" else "Jalali").click()
    page.wait_for_load_state()
    assert "/statistics/" in page.url and ("gregorian" in page.url if language == "fa" else "jalali" in page.url)
    assert hosts == {base.split("/")[2]}
    context.close()
