"""The nginx configurations of deploy/, run as documented (tests/mirror_nginx.py renders them with
only the folder, ports and path changed): a baked folder served at the root and under a sub-path
with working relative links, feed and search types and sensible caching; the primary host passing
the admin to the application and serving the admin's static files."""

import gzip
import http.server
import os
import re
import ssl
import subprocess
import threading
import urllib.error
import urllib.request
from posixpath import join, normpath
from urllib.parse import urlsplit

import pytest

from .mirror_nginx import DEPLOY, MirrorNginx, check_site_file, free_port, nginx_available

pytestmark = pytest.mark.skipif(
    not nginx_available() and not os.environ.get("CI"), reason="nginx is missing: run scripts/ensure-nginx.sh"
)

PAGE = """<!doctype html><html><head><link rel="stylesheet" href="{up}static/site.0123456789ab.css">
<link rel="alternate" type="application/rss+xml" href="{up}feed/rss.xml"></head>
<body><a href="{up}">Home</a> <a href="{up}news/first-report/">Report</a> <a href="{up}fa/">فارسی</a>
<script src="{up}pagefind/pagefind-ui.js"></script>{filler}</body></html>"""


@pytest.fixture
def baked(tmp_path):
    """A small folder laid out as `rightsdesk bake` writes it."""
    root = tmp_path / "baked"
    files = {
        "index.html": PAGE.format(up="", filler="x" * 2000),
        "news/first-report/index.html": PAGE.format(up="../../", filler="report " * 300),
        "fa/index.html": PAGE.format(up="../", filler="گزارش " * 300),
        "feed/rss.xml": '<?xml version="1.0"?><rss version="2.0"><channel>' + "<item/>" * 200 + "</channel></rss>",
        "fa/feed/atom.xml": '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>',
        "recommendations.json": '{"articles": []}',
        "static/site.0123456789ab.css": "body { color: #222; }\n" * 100,
        "static/mirror/search.js": "console.log('search');\n" * 50,
        "pagefind/pagefind-ui.js": "// pagefind\n" * 100,
        "pagefind/pagefind-entry.json": '{"version": "1", "languages": {}}',
        "pagefind/fragment/en_1a2b3c4.pf_fragment": "compressed",
        "pagefind/wasm.en.pagefind": "wasm",
        ".rightsdesk-bake/record.sqlite3": "",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    # collectstatic's pre-compressed copy: sent as it is (gzip_static), not compressed again.
    (root / "static/site.0123456789ab.css.gz").write_bytes(gzip.compress(b"/* from the .gz file */"))
    return root


@pytest.fixture
def certificate(tmp_path):
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(key), "-out", str(certificate)], check=True, capture_output=True)
    return certificate, key


@pytest.mark.parametrize("name", sorted(p.name for p in DEPLOY.glob("nginx*.conf")))
def test_every_nginx_configuration_of_deploy_is_accepted_by_debians_nginx(name, certificate, tmp_path):
    text = (DEPLOY / name).read_text()
    text = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {certificate[0]};", text)
    text = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {certificate[1]};", text)
    text = re.sub(r"listen (?:127\.0\.0\.1:)?\d+", lambda m: f"listen 127.0.0.1:{free_port()}", text)
    check_site_file(text)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url, headers=None, context=None):
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.mark.parametrize("prefix", ["/", "/mirror/"])
def test_the_baked_folder_is_served_with_types_caching_and_working_relative_links(baked, prefix):
    with MirrorNginx(baked, prefix=prefix) as server:
        base = server.url
        status, headers, body = get(base)
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert headers["Cache-Control"] == "public, max-age=60" and headers["ETag"]
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
        # Every link of every page resolves within the folder, wherever the folder is served.
        for page in ("", "news/first-report/", "fa/"):
            html = get(base + page)[2].decode()
            for link in re.findall(r'(?:href|src)="([^"]+)"', html):
                target = normpath(join(urlsplit(base + page).path, link)) + ("/" if link.endswith("/") else "")
                assert target.startswith(prefix)
                assert get(f"http://127.0.0.1:{server.port}{target}")[0] == 200, (page, link)
        # A folder without its slash: a relative redirect (right behind proxies and onion services).
        status, headers, _ = get(base + "news/first-report")
        assert status == 301 and headers["Location"] == prefix + "news/first-report/"
        # Feeds with the feed types, also at the application's old addresses (…/feed/rss/).
        for path, kind in (("feed/rss.xml", "rss"), ("feed/rss/", "rss"), ("fa/feed/atom.xml", "atom")):
            status, headers, _ = get(base + path)
            assert status == 200 and headers["Content-Type"] == f"application/{kind}+xml; charset=utf-8", path
        # Files named by their content: a year; others: short or revalidated.
        status, headers, body = get(base + "static/site.0123456789ab.css", {"Accept-Encoding": "gzip"})
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == b"/* from the .gz file */"
        assert get(base + "static/mirror/search.js")[1]["Cache-Control"] == "public, max-age=3600"
        _, headers, _ = get(base + "pagefind/fragment/en_1a2b3c4.pf_fragment", {"Accept-Encoding": "gzip"})
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable" and "Content-Encoding" not in headers
        assert get(base + "pagefind/pagefind-entry.json")[1]["Cache-Control"] == "no-cache"
        assert get(base + "pagefind/wasm.en.pagefind")[1]["Content-Type"] == "application/wasm"
        # Pages are compressed on the way; the bake's own record is not served.
        assert get(base + "news/first-report/", {"Accept-Encoding": "gzip"})[1]["Content-Encoding"] == "gzip"
        assert get(base + ".rightsdesk-bake/record.sqlite3")[0] == 404


class FakeApp(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = f"app:{self.path}:{self.headers['X-Forwarded-Proto']}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_primary_host_gives_readers_the_mirror_and_editors_the_application(baked, tmp_path, certificate):
    data = tmp_path / "data"
    (data / "static/wagtailadmin/css").mkdir(parents=True)
    (data / "static/wagtailadmin/css/core.css").write_text("/* admin */")
    (data / "media/images").mkdir(parents=True)
    (data / "media/images/photo.width-800.jpg").write_bytes(b"\xff\xd8jpeg")
    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    insecure = ssl.create_default_context()
    insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
    primary = dict(data_dir=data, app_port=app.server_address[1], certificate=certificate[0], key=certificate[1])
    try:
        with MirrorNginx(baked, primary=primary) as server:
            base = server.url
            status, headers, body = get(base, context=insecure)
            assert status == 200 and b"news/first-report/" in body
            assert get(base + "admin/pages/", context=insecure)[2] == b"app:/admin/pages/:https"
            assert get(base + "documents/1/report.pdf", context=insecure)[2] == b"app:/documents/1/report.pdf:https"
            status, headers, body = get(base + "static/wagtailadmin/css/core.css", context=insecure)
            assert status == 200 and body == b"/* admin */" and headers["Cache-Control"] == "public, max-age=3600"
            assert get(base + "media/images/photo.width-800.jpg", context=insecure)[0] == 200
            assert get(base + "feed/rss/", context=insecure)[0] == 200
            status, headers, _ = get(f"http://127.0.0.1:{server.redirect_port}/news/")
            assert status == 301 and headers["Location"] == "https://127.0.0.1/news/"
    finally:
        app.shutdown()
        app.server_close()
