"""Capture browser speed: small pages captured per minute in the capture browser, with screenshots.

Each page is small (one screen) and has what a real page has: a script that writes its text from
a JSON file, a style sheet and an image, all served from 127.0.0.1. Each capture is the whole
pipeline of `rightsdesk capture`: one visit of the kept browser (every request made by rightsdesk
through the address policy and written into the WARC), scroll, full-page screenshot, PDF print,
rendered DOM, text extraction, database rows and custody log entry. Run in a temporary data folder
(SQLite, development settings), first one capture at a time, then with --parallel captures at
once (threads; the admin's server threads do the same).

Usage: .venv/bin/python bench/capture_browser.py [--captures 60] [--parallel 3]
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Synthetic notice {n}</title>
<link rel="stylesheet" href="/style.css"><script src="/app.js" defer></script></head>
<body><h1>Synthetic notice {n}</h1><p id="text">Loading…</p><img src="/logo.png" width="40" height="40"></body></html>"""
APP = b"fetch(location.pathname.replace('/page/', '/data/') + '.json').then(r => r.json())" \
      b".then(d => { document.getElementById('text').textContent = d.text; });"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


class Pages(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        path = self.path
        if path.startswith("/page/"):
            body, kind = PAGE.format(n=path[6:]).encode(), "text/html; charset=utf-8"
        elif path.startswith("/data/"):
            text = (f"This synthetic notice {path[6:-5]} was written by the page's script from a JSON file: the "
                    "hearing was postponed again and the families were not told the new date.")
            body, kind = json.dumps({"text": text}).encode(), "application/json"
        elif path == "/app.js":
            body, kind = APP, "text/javascript"
        elif path == "/style.css":
            body, kind = b"body { font-family: sans-serif; margin: 2em; }", "text/css"
        else:
            body, kind = PNG, "image/png"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def cpu_seconds():
    """CPU time of this process and every process under it (the Playwright driver, chromium and
    its reaped renderers), in seconds: what the captures cost whatever else the machine runs."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents, times = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    total, todo = 0, [os.getpid()]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total / ticks


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--captures", type=int, default=60)
    parser.add_argument("--parallel", type=int, default=3)
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="rightsdesk-bench-browser-"))
    os.environ.update(RIGHTSDESK_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="rightsdesk.settings.dev",
                      RIGHTSDESK_FETCH_ALLOW_LOOPBACK="1", RIGHTSDESK_CAPTURE_BROWSER="1")
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from rightsdesk.evidence.browser import chromium_path
    from rightsdesk.evidence.capture import capture_url

    if not chromium_path():
        sys.exit("chromium is not installed (bash scripts/ensure-chromium.sh)")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average before: {os.getloadavg()[0]:.1f}")

    def one(n):
        try:
            capture = capture_url(f"{base}/page/{n}", screenshot_wanted=True).capture
            assert "hearing was postponed" in capture.text and capture.screenshot_sha256, capture.screenshot_note
        finally:
            connection.close()

    start = time.perf_counter()
    one("warm-up")
    print(f"first capture (starts the browser): {time.perf_counter() - start:.1f} s")

    start, cpu = time.perf_counter(), cpu_seconds()
    for n in range(args.captures):
        one(f"s{n}")
    elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    print(f"one at a time: {args.captures} captures in {elapsed:.1f} s = {args.captures / elapsed * 60:.0f} per minute "
          f"({elapsed / args.captures * 1000:.0f} ms each); load average {os.getloadavg()[0]:.1f}")
    print(f"CPU used: {cpu / args.captures:.2f} CPU-seconds a capture (rightsdesk, Playwright, chromium), so "
          f"{os.cpu_count()} idle cores could do about {os.cpu_count() * 60 * args.captures / cpu:.0f} a minute")

    start = time.perf_counter()
    with ThreadPoolExecutor(args.parallel) as pool:
        list(pool.map(one, [f"p{n}" for n in range(args.captures)]))
    elapsed = time.perf_counter() - start
    print(f"{args.parallel} at a time: {args.captures} captures in {elapsed:.1f} s = "
          f"{args.captures / elapsed * 60:.0f} per minute; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
