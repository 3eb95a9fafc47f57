"""Fixture sites for the capture browser's tests, served from 127.0.0.1 by the tests themselves:
a page whose paragraph its script writes from a JSON file, a lazy-loading page, a page with
video (a direct file and an HLS stream), all of it also over HTTPS with a certificate chain made
by the test (trustme). Every request each server answered is kept in `requests`."""

from __future__ import annotations

import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

JS_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Statement written by script | Sample Ministry</title>
<link rel="stylesheet" href="/style.css">
<script src="/app.js" defer></script></head>
<body><nav><a href="/">Home</a></nav>
<article><h1>Statement written by script</h1>
<p id="statement">Loading\xe2\x80\xa6</p>
<p id="second"></p>
<img src="/logo.png" alt="logo">
</article></body></html>
"""

APP_JS = b"""fetch('/data/statement.json').then((r) => r.json()).then((data) => {
  document.getElementById('statement').textContent = data.first;
  document.getElementById('second').textContent = data.second;
});
"""

STATEMENT = {
    "first": "This is sample text for the rightsdesk tests: the ministry announced that the sentences of the "
             "four detained teachers were confirmed on appeal, and that their families were told by telephone.",
    "second": "The sample statement adds that the court hearing lasted less than an hour and that the lawyers "
              "were not allowed to see the file before it began.",
}

STYLE = b"""@font-face { font-family: Sample; src: url('/fonts/sample.woff2') format('woff2'); }
body { font-family: Sample, sans-serif; }
"""

LAZY_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A long page that loads as it is read</title></head>
<body><h1>A long page that loads as it is read</h1>
<p>This sample page loads its last part only when a reader scrolls down to it.</p>
<div style="height: 4000px"></div>
<img loading="lazy" src="/lazy/photo.png" alt="far down" width="50" height="50">
<div id="sentinel">&nbsp;</div>
<div id="more"></div>
<script>
new IntersectionObserver((entries, observer) => {
  if (entries.some((e) => e.isIntersecting)) {
    observer.disconnect();
    fetch('/lazy/more.json').then((r) => r.json()).then((d) => {
      const p = document.createElement('p'); p.textContent = d.text; document.getElementById('more').append(p);
    });
  }
}).observe(document.getElementById('sentinel'));
</script></body></html>
"""

LAZY_TEXT = "The paragraph that only loads at the bottom of the sample page names the third prison."

VIDEO_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A page with video</title></head>
<body><h1>A page with video</h1>
<p>This sample page shows a short clip and a stream of the same sample event.</p>
<video src="/media/clip.mp4" controls preload="auto" width="320"></video>
<video controls width="320"><source src="/media/stream.m3u8" type="application/vnd.apple.mpegurl"></video>
</body></html>
"""

# Not a playable film: the tests check that the bytes arrive whole, hashed, in the capture.
CLIP = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 64
SEGMENTS = [b"\x47" + bytes([n]) * 187 * 20 for n in (1, 2)]
PLAYLIST = (b"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
            b"#EXTINF:2.0,\n/media/seg0.ts\n#EXTINF:2.0,\n/media/seg1.ts\n#EXT-X-ENDLIST\n")
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def routes():
    import json

    return {
        "/js.html": (JS_PAGE, "text/html; charset=utf-8"),
        "/app.js": (APP_JS, "text/javascript"),
        "/style.css": (STYLE, "text/css"),
        "/fonts/sample.woff2": (b"wOF2" + b"\x00" * 60, "font/woff2"),
        "/logo.png": (PNG, "image/png"),
        "/data/statement.json": (json.dumps(STATEMENT).encode(), "application/json"),
        "/lazy.html": (LAZY_PAGE, "text/html; charset=utf-8"),
        "/lazy/photo.png": (PNG, "image/png"),
        "/lazy/more.json": (json.dumps({"text": LAZY_TEXT}).encode(), "application/json"),
        "/video.html": (VIDEO_PAGE, "text/html; charset=utf-8"),
        "/media/clip.mp4": (CLIP, "video/mp4"),
        "/media/stream.m3u8": (PLAYLIST, "application/vnd.apple.mpegurl"),
        "/media/seg0.ts": (SEGMENTS[0], "video/mp2t"),
        "/media/seg1.ts": (SEGMENTS[1], "video/mp2t"),
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _answer(self, with_body):
        self.server.requests.append((self.command, self.path, dict(self.headers)))
        found = self.server.routes.get(self.path.split("?")[0])
        body, content_type = found if found else (b"not found", "text/plain")
        status = 200 if found else 404
        start, end = 0, len(body) - 1
        wanted = self.headers.get("Range", "")
        if found and wanted.startswith("bytes="):
            first, _, last = wanted[6:].partition("-")
            start, end = int(first or 0), min(int(last) if last else len(body) - 1, len(body) - 1)
            status = 206
        part = body[start:end + 1]
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(part)))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(body)}")
        self.end_headers()
        if with_body:
            try:
                self.wfile.write(part)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def do_GET(self):  # noqa: N802
        self._answer(True)

    def do_HEAD(self):  # noqa: N802
        self._answer(False)


class Site:
    """A fixture site on 127.0.0.1 (http, or https with `tls` = an ssl.SSLContext)."""

    def __init__(self, tls: ssl.SSLContext | None = None):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None
        self.server.requests = []
        self.server.routes = routes()
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        scheme = "https" if tls is not None else "http"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        self.requests = self.server.requests
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def paths(self):
        return [path for _, path, _ in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
