"""An editor captures a page in the admin, finds it with its hashes and screenshot, and turns it
into a draft article."""

import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .test_editor import _sign_in

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Governor's office denies reports of secret burials | Sample Provincial News</title></head>
<body><nav><a href="/">Home</a> · <a href="/politics/">Politics</a></nav>
<article><h1>Governor's office denies reports of secret burials</h1>
<p>This page is sample content written for the rightsdesk browser test. The provincial governor's office said
on Monday that reports of night-time burials at the city cemetery were false and politically motivated.</p>
<p>Relatives of two executed prisoners told the sample newspaper that they had been shown the graves only
after the burials, and that they had not been allowed to see the bodies.</p>
<p>The office said that all burials had followed the law, and it did not answer questions about the number
of prisoners executed in the province this year.</p></article>
<footer>Sample Provincial News</footer></body></html>"""


@pytest.fixture(scope="module")
def source_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("source-site")
    (folder / "burials.html").write_text(PAGE, encoding="utf-8")

    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_editor_captures_a_page_and_turns_it_into_a_draft_article(site_server, tab, source_site):
    base, password = site_server
    page = tab.page
    _sign_in(page, base, password)
    page.get_by_role("button", name="Evidence desk").click()
    page.get_by_role("link", name="Capture a page").click()
    page.wait_for_url(base + "/admin/evidence/capture/")
    url = source_site + "/burials.html"
    page.fill("#id_url", url)
    page.fill("#id_note", "Denial published the day after the burials")
    page.get_by_role("button", name="Capture", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/evidence/\d+/$"), timeout=120_000)
    body = page.locator("main").inner_text()
    assert "Governor's office denies reports of secret burials" in body
    assert url in body and "Denial published the day after the burials" in body
    assert re.search(r"Payload SHA-256\s+[0-9a-f]{64}", body)
    assert re.search(r"WARC SHA-256\s+[0-9a-f]{64}", body)
    assert "This page is sample content written for the rightsdesk browser test." in body
    # The server has Debian's chromium: the capture has a screenshot, which opens.
    assert re.search(r"Screenshot\s+[0-9a-f]{64}", body), body
    # The listing shows it.
    page.goto(base + "/admin/evidence/")
    assert "Governor's office denies reports of secret burials" in page.locator("main").inner_text()
    page.get_by_role("link", name="Governor's office denies reports of secret burials").click()
    page.get_by_role("button", name="Import as draft article").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"), timeout=60_000)
    assert page.locator("#id_title").input_value() == "Governor's office denies reports of secret burials"
    editor = page.locator("main").inner_text()
    assert "Made from" in editor and "Facts check" in editor
    assert "The provincial governor's office said" in page.content()
    # A draft: not on the public site.
    slug = page.locator("#id_slug").input_value() if page.locator("#id_slug").count() else ""
    public = page.context.request.get(base + "/news/" + (slug or "governors-office-denies-reports-of-secret-burials") + "/")
    assert public.status == 404
