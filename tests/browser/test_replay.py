"""The capture page replays the capture itself: ReplayWeb.page, served by the application from
the npm package installed at build time (nothing from another host), shows the captured text."""

import re

import pytest

from .test_editor import _sign_in
from .test_evidence import source_site  # noqa: F401 (fixture)


@pytest.mark.xfail(reason="known broken since the capture and trust branches met (2026-12-08): the replay frame "
                   "answers 404 and never shows the captured text; issue 19 stays open until it does", strict=False)
def test_the_capture_page_replays_the_captured_page(site_server, tab, source_site):  # noqa: F811
    from rightsdesk.evidence.trust_views import replay_available

    if not replay_available():
        pytest.fail("ReplayWeb.page is not installed: run `make replay` (npm ci)")
    base, password = site_server
    page = tab.page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text[:200]}"))
    _sign_in(page, base, password)
    page.goto(base + "/admin/evidence/capture/")
    page.fill("#id_url", source_site + "/burials.html")
    page.get_by_role("button", name="Capture", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/evidence/\d+/$"), timeout=120_000)
    assert page.locator("replay-web-page").count() == 1
    wanted = "Relatives of two executed prisoners told the sample newspaper"
    found = None
    for _ in range(120):
        for frame in page.frames:
            if frame == page.main_frame:
                continue
            try:
                if wanted in (frame.locator("body").inner_text(timeout=500) or ""):
                    found = frame
                    break
            except Exception:  # noqa: BLE001 (frames come and go while the replay loads)
                continue
        if found:
            break
        page.wait_for_timeout(500)
    assert found is not None, ("the replay never showed the captured text", [f.url for f in page.frames], console)
    assert found.url.startswith(base + "/admin/evidence/replay/")
    # Everything came from the site itself (the page captured was fetched by the server, not the browser).
    assert all(url.startswith((base + "/", "blob:", "data:")) for url in requested), requested
