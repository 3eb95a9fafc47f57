"""Evidence desk speed: captures per minute from a local web server, and `verify` on 10,000 captures.

In one run, in a temporary data folder (SQLite, development settings):
  1. captures per minute of distinct pages served from 127.0.0.1 (fetch, WARC, hashes, text
     extraction, database rows, custody log entry), without screenshots, then with Chromium
     screenshots when chromium is installed;
  2. N more captures stored (pages saved by hand, through the same store and log) until the store
     holds --verify-captures, then the time of a full `verify` (every file re-hashed, the whole
     custody log's chain walked, database and log compared).

Usage: .venv/bin/python bench/evidence.py [--captures 200] [--screenshots 10] [--verify-captures 10000]
"""

import argparse
import os
import platform
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARAGRAPH = ("This is a synthetic page for the evidence bench. It reports on a hearing held on day {n}, where "
             "relatives of detained protesters waited outside the court for news that did not come. ")


class Pages(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        n = self.path.strip("/").replace("/", " ")
        body = ("<!doctype html><html><head><title>Synthetic hearing report " + n + "</title></head><body>"
                "<nav><a href='/'>Home</a></nav><article><h1>Synthetic hearing report " + n + "</h1>"
                + "".join(f"<p>{PARAGRAPH.format(n=n)}{i}</p>" for i in range(8))
                + "</article></body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--captures", type=int, default=200)
    parser.add_argument("--screenshots", type=int, default=10)
    parser.add_argument("--verify-captures", type=int, default=10_000)
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="rightsdesk-bench-evidence-"))
    os.environ.update(RIGHTSDESK_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="rightsdesk.settings.dev",
                      RIGHTSDESK_CAPTURE_ALLOW_PRIVATE="1")
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from rightsdesk.evidence.capture import capture_file, capture_url
    from rightsdesk.evidence.models import Capture
    from rightsdesk.evidence.screenshot import chromium_path
    from rightsdesk.evidence.verify import run

    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")

    start = time.perf_counter()
    for n in range(args.captures):
        assert capture_url(f"{base}/page/{n}", screenshot_wanted=False).stored
    elapsed = time.perf_counter() - start
    print(f"captures without screenshot: {args.captures} in {elapsed:.1f} s = "
          f"{args.captures / elapsed * 60:.0f} per minute ({elapsed / args.captures * 1000:.0f} ms each)")

    if args.screenshots and chromium_path():
        start = time.perf_counter()
        for n in range(args.screenshots):
            result = capture_url(f"{base}/shot/{n}", screenshot_wanted=True)
            assert result.capture.screenshot_sha256, result.capture.screenshot_note
        elapsed = time.perf_counter() - start
        print(f"captures with screenshot: {args.screenshots} in {elapsed:.1f} s = "
              f"{args.screenshots / elapsed * 60:.0f} per minute ({elapsed / args.screenshots * 1000:.0f} ms each)")
    else:
        print("captures with screenshot: skipped (no chromium)")

    have = Capture.objects.count()
    start = time.perf_counter()
    for n in range(have, args.verify_captures):
        body = (f"Synthetic saved page {n}\n\n" + PARAGRAPH.format(n=n) * 6).encode()
        capture_file(f"saved-{n}.txt", original_url=f"https://example.org/saved/{n}", data=body,
                     filename=f"saved-{n}.txt")
    print(f"filled the store to {Capture.objects.count()} captures in {time.perf_counter() - start:.0f} s")

    timings = []
    for _ in range(3):
        start = time.perf_counter()
        result = run(record=False)
        timings.append(time.perf_counter() - start)
        assert result.ok, result.human_lines()[:5]
    print(f"verify of {result.captures} captures ({result.files} files, {result.entries} custody entries): "
          f"{min(timings):.2f} s best of 3 ({', '.join(f'{t:.2f}' for t in timings)})")
    size = sum(p.stat().st_size for p in (data / "evidence").rglob("*") if p.is_file())
    print(f"store size: {size / 1e6:.1f} MB in {data / 'evidence'}")
    server.shutdown()


if __name__ == "__main__":
    main()
