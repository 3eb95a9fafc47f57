"""What the recommendations file costs the reader's browser: Chromium (Debian's) parses the file
and runs recommended.js's own decoding (`window.rightsdeskRecommended.decode`) on it, and the
scoring of a 50-article history (the whole script on a page that serves the file).

Usage: .venv/bin/python bench/recommend_browser.py --data-dir DIR [--runs 10]
DIR is a data folder with articles in it (e.g. the one bench/related_speed.py filled). The file
is served from 127.0.0.1 by a small server in this process; nothing else is fetched.
"""

import argparse
import http.server
import json
import os
import statistics
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    from _django import setup_django

    setup_django(args.data_dir)
    from playwright.sync_api import sync_playwright

    from rightsdesk.newsroom import selectors
    from rightsdesk.newsroom.models import HomePage
    from rightsdesk.related.recommend import article_features, recommendations_json

    home = HomePage.objects.live().filter(locale__language_code="en").first()
    body = recommendations_json(home)
    history = [{"i": pk, "l": "en", "f": article_features(pk)}
               for pk in selectors.published_articles(home.locale_id).values_list("pk", flat=True)[200:250]]
    script = (REPO / "rightsdesk/related/static/related/recommended.js").read_bytes()
    page_html = (
        b'<!doctype html><meta charset="utf-8"><section id="recommended" data-feed="recommendations.json" '
        b'data-lang="en"><div class="recommended-items"></div><p class="recommended-note"></p></section>'
        b'<script src="recommended.js"></script>'
    )
    files = {"/recommendations.json": (body, "application/json"), "/recommended.js": (script, "text/javascript"),
             "/": (page_html, "text/html; charset=utf-8")}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            content, kind = files.get(self.path, (b"", "text/plain"))
            self.send_response(200 if content else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"

    parse_ms, decode_ms, whole_ms = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("RIGHTSDESK_CHROMIUM", "/usr/bin/chromium"), args=ARGS)
        page = browser.new_page()
        page.goto(base + "/")
        text = body.decode("utf-8")
        for _ in range(args.runs):
            t = page.evaluate("""(text) => {
                const t0 = performance.now();
                const data = JSON.parse(text);
                const t1 = performance.now();
                const items = window.rightsdeskRecommended.decode(data);
                const t2 = performance.now();
                return [t1 - t0, t2 - t1, items.length];
            }""", text)
            parse_ms.append(t[0])
            decode_ms.append(t[1])
            articles = t[2]
        # The whole script with a 50-article history: from page load to the list shown.
        for _ in range(args.runs):
            page.evaluate("(h) => localStorage.setItem('rightsdesk.reading-history.v2', JSON.stringify(h))", history)
            t0 = time.perf_counter()
            page.goto(base + "/")
            page.wait_for_selector('#recommended[data-state="personal"]')
            whole_ms.append((time.perf_counter() - t0) * 1000)
        browser.close()
    server.shutdown()
    print(f"recommendations.json: {articles} articles, {len(body) / 1024:.0f} KB raw; Chromium "
          f"{'/'.join(ARGS)}")
    print(f"JSON.parse: median {statistics.median(parse_ms):.1f} ms; every title and address decoded (what a check "
          f"does; the page decodes the five it shows): median {statistics.median(decode_ms):.1f} ms ({args.runs} runs)")
    print(f"page load to the five recommendations shown (50 articles of history, file served from 127.0.0.1): "
          f"median {statistics.median(whole_ms):.0f} ms, max {max(whole_ms):.0f} ms")


if __name__ == "__main__":
    main()
