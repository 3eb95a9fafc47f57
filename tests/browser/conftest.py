"""Browser tests: Debian's chromium driven by Playwright against `rightsdesk serve` (gunicorn,
production settings) on 127.0.0.1, with the demo content loaded by `rightsdesk demo`.

The browser is the `chromium` binary of Debian's package, never one downloaded by Playwright.
"""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CLI = str(Path(sys.executable).parent / "rightsdesk")
CHROMIUM = os.environ.get("RIGHTSDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = REPO / "var" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# The authenticator app of the demo's admin: the otpauth:// address `rightsdesk demo` printed.
ADMIN_AUTHENTICATOR = {}


def authenticator_code():
    """The code the admin's authenticator app shows now; a code is accepted once, so a second
    sign-in within the same 30 seconds waits for the next one."""
    import base64
    from urllib.parse import parse_qs

    from django_otp.oath import TOTP

    query = parse_qs(urlsplit(ADMIN_AUTHENTICATOR["url"]).query)
    totp = TOTP(base64.b32decode(query["secret"][0]), step=30, digits=6)
    while totp.t() == ADMIN_AUTHENTICATOR.get("last_step"):
        time.sleep(0.5)
    ADMIN_AUTHENTICATOR["last_step"] = totp.t()
    return f"{totp.token():06d}"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _browser_database_url(tmp):
    """SQLite in a temporary folder, or a fresh PostgreSQL database beside the test one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres:", "postgresql:")):
        return f"sqlite:///{tmp / 'browser.sqlite3'}"
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_browser"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """The demo content in a data folder of its own, with production settings; yields
    (environment for the `rightsdesk` command, temporary folder, port, admin password)."""
    tmp = tmp_path_factory.mktemp("browser-site")
    password = secrets.token_urlsafe(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RIGHTSDESK_"))}
    port = _free_port()
    env.update(
        {
            "DATABASE_URL": _browser_database_url(tmp),
            "DJANGO_SETTINGS_MODULE": "rightsdesk.settings.production",
            "RIGHTSDESK_DATA_DIR": str(tmp / "data"),
            "RIGHTSDESK_SECRET_KEY": secrets.token_urlsafe(64),
            "RIGHTSDESK_ADMIN_PASSWORD": password,
            # Plain http on loopback: no redirect to https, cookies not limited to https.
            "RIGHTSDESK_SSL_REDIRECT": "0",
            "RIGHTSDESK_SECURE_COOKIES": "0",
            "RIGHTSDESK_HSTS_SECONDS": "0",
            "RIGHTSDESK_ALLOWED_HOSTS": "127.0.0.1",
            "RIGHTSDESK_BASE_URL": f"http://127.0.0.1:{port}",
            # The evidence test captures a page the test serves on 127.0.0.1.
            "RIGHTSDESK_CAPTURE_ALLOW_PRIVATE": "1",
        }
    )
    setup = subprocess.run([CLI, "demo", "--no-serve", "--port", str(port)], env=env, capture_output=True, text=True)
    assert setup.returncode == 0, setup.stderr
    # The admin's second factor, as a person would scan it from what the demo printed.
    found = re.search(r"otpauth address: (otpauth://\S+)", setup.stdout)
    assert found, setup.stdout
    ADMIN_AUTHENTICATOR["url"] = found.group(1)
    return env, tmp, port, password


@pytest.fixture(scope="session")
def site_server(site_process):
    """The demo site served by `rightsdesk serve`; yields (base_url, admin_password)."""
    base, password, _env = site_process
    return base, password


@pytest.fixture(scope="session")
def site_process(demo_site):
    """`rightsdesk serve` of the demo site: (base_url, admin_password, environment of the server),
    the environment for tests that run other `rightsdesk` commands on the same data."""
    env, tmp, port, password = demo_site
    log = open(tmp / "serve.log", "w")
    server = subprocess.Popen([CLI, "serve", "--port", str(port), "--workers", "2", "--no-migrate"],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError("rightsdesk serve exited: " + (tmp / "serve.log").read_text())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        raise AssertionError("rightsdesk serve did not start: " + (tmp / "serve.log").read_text())
    yield base, password, env
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: `make test` installs Debian's chromium (scripts/ensure-chromium.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class RecordingPage:
    """A browser tab that remembers every request it made."""

    def __init__(self, context):
        self.context = context
        self.page = context.new_page()
        self.requests = []
        self.page.on("request", lambda request: self.requests.append(request))

    def hosts(self):
        return {urlsplit(r.url).netloc for r in self.requests if urlsplit(r.url).scheme in ("http", "https", "ws", "wss")}


@pytest.fixture
def tab(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # The Wagtail editor is a heavy page; on a busy 2-core machine give it time.
    context.set_default_timeout(60_000)
    recording = RecordingPage(context)
    yield recording
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        recording.page.screenshot(path=str(SCREENSHOTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each test's outcome on the item, so that a failing browser test leaves a screenshot."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def screenshot(page, name, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)


def _wait_for_port(port, process, what):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"{what} did not start")


@pytest.fixture(scope="session")
def baked_folder(demo_site, tmp_path_factory):
    """The demo site baked by `rightsdesk bake --check` (production settings), in a folder
    `mirror/copy/` of a host folder; yields (host folder, baked folder)."""
    env, _, _, _ = demo_site
    root = tmp_path_factory.mktemp("static-host")
    outdir = root / "mirror" / "copy"
    done = subprocess.run([CLI, "bake", str(outdir), "--quiet", "--check"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return root, outdir


@pytest.fixture(scope="session")
def baked_site(baked_folder):
    """The baked demo served by a plain static server (Python's http.server) under a sub-path;
    yields the mirror's address."""
    root, _ = baked_folder
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    _wait_for_port(port, server, "python -m http.server")
    yield f"http://127.0.0.1:{port}/mirror/copy/"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def nginx_mirror(baked_folder):
    """The baked demo served by deploy/'s nginx configuration under the sub-path /mirror/;
    yields the mirror's address."""
    from tests.mirror_nginx import MirrorNginx, nginx_available

    if not nginx_available():
        message = "nginx is missing: `make test` installs it (scripts/ensure-nginx.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    _, outdir = baked_folder
    with MirrorNginx(outdir, prefix="/mirror/") as server:
        yield server.url
