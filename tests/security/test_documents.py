"""A document in a private collection is served only through Wagtail's document view, which
checks the collection's view restriction: never as a file below /media/, neither by `rightsdesk
serve` (the demo's and single-host media serving) nor by deploy/'s nginx configurations."""

import http.server
import os
import ssl
import threading
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings

from tests.mirror_nginx import DEPLOY, MirrorNginx, free_port, nginx_available

SECRET = b"%PDF-1.4 names of witnesses in detention: not for publication"


@pytest.fixture
def private_document(db):
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    root = Collection.get_first_root_node()
    private = root.add_child(name="Witness statements")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    document = get_document_model()(title="Witness list", collection=private)
    document.file.save("witness-list.pdf", ContentFile(SECRET), save=False)
    document.save()
    yield document
    document.file.delete(save=False)


@override_settings(ROOT_URLCONF="tests.security.media_urls")
def test_a_private_document_is_not_served_below_media_by_the_application(client, private_document, settings):
    name = private_document.file.name  # documents/witness-list….pdf
    assert name.startswith("documents/")
    # Wagtail's view checks the restriction: a reader is sent to log in.
    response = client.get(private_document.url)
    assert response.status_code == 302 and SECRET not in response.content
    # The file itself is not reachable at /media/, however the address is spelled.
    for address in (f"/media/{name}", f"/media/images/../{name}", f"/media/original_images/%2e%2e/{name}",
                    f"/media//{name}"):
        response = client.get(address)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 404, address
        assert SECRET not in body
    # Images (originals and renditions) are still served.
    image = os.path.join(settings.MEDIA_ROOT, "original_images", "test-photo.jpg")
    os.makedirs(os.path.dirname(image), exist_ok=True)
    with open(image, "wb") as handle:
        handle.write(b"\xff\xd8 a photo")
    try:
        response = client.get("/media/original_images/test-photo.jpg")
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"\xff\xd8 a photo"
    finally:
        os.unlink(image)


def test_documents_are_served_by_wagtails_view_only():
    from django.conf import settings

    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"


# --- deploy/'s nginx configurations ----------------------------------------------------------------

needs_nginx = pytest.mark.skipif(
    not nginx_available() and not os.environ.get("CI"), reason="nginx is missing: run scripts/ensure-nginx.sh"
)


class FakeApp(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = f"app:{self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _get(url):
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    try:
        with urllib.request.urlopen(url, timeout=10, context=context) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def data_folder(tmp_path):
    data = tmp_path / "data"
    (data / "media/documents").mkdir(parents=True)
    (data / "media/documents/witness-list.pdf").write_bytes(SECRET)
    (data / "media/images").mkdir(parents=True)
    (data / "media/images/photo.width-800.jpg").write_bytes(b"\xff\xd8 rendition")
    (data / "media/original_images").mkdir(parents=True)
    (data / "media/original_images/photo.jpg").write_bytes(b"\xff\xd8 original")
    (data / "static").mkdir()
    return data


@pytest.fixture
def certificate(tmp_path):
    import subprocess

    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(key), "-out", str(certificate)], check=True, capture_output=True)
    return certificate, key


@pytest.fixture
def app_server():
    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    yield app.server_address[1]
    app.shutdown()
    app.server_close()


def _assert_documents_refused_images_served(base):
    for path in ("media/documents/witness-list.pdf", "media/images/../documents/witness-list.pdf",
                 "media/%64ocuments/witness-list.pdf"):
        status, body = _get(base + path)
        assert status == 404 and SECRET not in body, path
    assert _get(base + "media/images/photo.width-800.jpg") == (200, b"\xff\xd8 rendition")
    assert _get(base + "media/original_images/photo.jpg") == (200, b"\xff\xd8 original")
    # Documents go to the application, whose view checks the collection's restriction.
    assert _get(base + "documents/1/witness-list.pdf") == (200, b"app:/documents/1/witness-list.pdf")


@needs_nginx
def test_nginx_mirror_conf_serves_images_but_never_documents_from_media(tmp_path, data_folder, certificate, app_server):
    baked = tmp_path / "baked"
    baked.mkdir()
    (baked / "index.html").write_text("<!doctype html><title>home</title>")
    primary = dict(data_dir=data_folder, app_port=app_server, certificate=certificate[0], key=certificate[1])
    with MirrorNginx(baked, primary=primary) as server:
        _assert_documents_refused_images_served(server.url)


@needs_nginx
def test_nginx_conf_serves_images_but_never_documents_from_media(tmp_path, data_folder, certificate, app_server):
    text = (DEPLOY / "nginx.conf").read_text()
    port = free_port()
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{free_port()};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;"),
        ("ssl_certificate     /etc/letsencrypt/live/news.example.org/fullchain.pem;", f"ssl_certificate {certificate[0]};"),
        ("ssl_certificate_key /etc/letsencrypt/live/news.example.org/privkey.pem;", f"ssl_certificate_key {certificate[1]};"),
        ("root /srv/rightsdesk-data;", f"root {data_folder};"),
        ("proxy_pass http://127.0.0.1:8000;", f"proxy_pass http://127.0.0.1:{app_server};"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    with _NginxWithSite(tmp_path, port, text):
        _assert_documents_refused_images_served(f"https://127.0.0.1:{port}/")


@needs_nginx
def test_a_document_copied_into_a_baked_folder_is_not_served(tmp_path):
    baked = tmp_path / "baked"
    (baked / "media/documents").mkdir(parents=True)
    (baked / "media/documents/witness-list.pdf").write_bytes(SECRET)
    (baked / "media/images").mkdir(parents=True)
    (baked / "media/images/photo.width-800.jpg").write_bytes(b"\xff\xd8 rendition")
    with MirrorNginx(baked) as server:
        status, body = _get(server.url + "media/documents/witness-list.pdf")
        assert status == 404 and SECRET not in body
        assert _get(server.url + "media/images/photo.width-800.jpg")[0] == 200


class _NginxWithSite(MirrorNginx):
    """nginx with a given site file (deploy/nginx.conf with local paths and ports)."""

    def __init__(self, workroot, port, site_text):
        super().__init__(workroot, port=port)
        self.site_text = site_text

    def write_config(self):
        import shutil
        import tempfile
        from pathlib import Path

        from tests.mirror_nginx import render_main

        self.workdir = Path(tempfile.mkdtemp(prefix="rightsdesk-nginx-"))
        (self.workdir / "tmp").mkdir()
        shutil.copytree(DEPLOY / "rightsdesk-nginx", self.workdir / "rightsdesk")
        site = self.workdir / "site.conf"
        site.write_text(self.site_text)
        main = self.workdir / "nginx.conf"
        main.write_text(render_main(self.workdir, site, self.workers))
        return main
