"""More than one machine: two application servers on one database and one Redis see a publish
within a second, and background tasks queued in Redis (RQ) are run by `rightsdesk worker`.
Run by `make test-redis` (a real redis-server, started by scripts/ensure-redis.sh)."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).parent / "rightsdesk")
REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs a Redis server: run `make test-redis`")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A demo site on one SQLite database file, with Redis for the caches and the tasks."""
    tmp = tmp_path_factory.mktemp("several-servers")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RIGHTSDESK_", "DATABASE_URL"))}
    env.update({
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "RIGHTSDESK_DATA_DIR": str(tmp / "data"),
        "RIGHTSDESK_ADMIN_PASSWORD": secrets.token_urlsafe(16),
        "REDIS_URL": REDIS_URL,
    })
    done = subprocess.run([CLI, "demo", "--no-serve"], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return env, tmp


def _shell(env, code):
    done = subprocess.run([CLI, "manage", "shell", "--no-imports", "-c", code], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


PUBLISH = (
    "from rightsdesk.newsroom.models import ArticlePage, SectionPage; "
    "s = SectionPage.objects.get(slug='news', locale__language_code='en'); "
    "a = ArticlePage(title={title!r}, slug={slug!r}, dek='Sample content.', live=False, "
    "body=[('paragraph', '<p>Sample content for a test.</p>')]); s.add_child(instance=a); "
    "a.save_revision().publish(); print(a.url)"
)


def _get(port, path="/"):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read().decode("utf-8")


def test_two_servers_on_one_database_and_one_redis_see_a_publish_within_a_second(site):
    env, tmp = site
    serve_env = {**env, "DJANGO_SETTINGS_MODULE": "rightsdesk.settings.production",
                 "RIGHTSDESK_SECRET_KEY": secrets.token_urlsafe(64), "RIGHTSDESK_SSL_REDIRECT": "0",
                 "RIGHTSDESK_SECURE_COOKIES": "0", "RIGHTSDESK_HSTS_SECONDS": "0",
                 "RIGHTSDESK_ALLOWED_HOSTS": "127.0.0.1"}
    ports = [_free_port(), _free_port()]
    servers = [subprocess.Popen([CLI, "serve", "--port", str(port), "--workers", "1", "--no-migrate", "--no-worker"],
                                env=serve_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for port in ports]
    try:
        for port, server in zip(ports, servers):
            deadline = time.monotonic() + 120
            while True:
                try:
                    _get(port)
                    break
                except OSError:
                    assert server.poll() is None, "the server stopped"
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.3)
        for port in ports:  # both have the front page cached now
            assert "Redis two servers" not in _get(port)
        title = f"Redis two servers {secrets.token_hex(3)}"
        _shell(env, PUBLISH.format(title=title, slug=title.lower().replace(" ", "-")))
        published = time.monotonic()
        seen = {}
        while len(seen) < 2 and time.monotonic() - published < 5:
            for port in ports:
                if port not in seen and title in _get(port):
                    seen[port] = time.monotonic() - published
        assert len(seen) == 2 and max(seen.values()) < 1.0, seen
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def test_tasks_queued_in_redis_are_run_by_a_worker(site):
    env, tmp = site
    rq_env = {**env, "RIGHTSDESK_TASKS_BACKEND": "rq"}
    outdir = tmp / "mirror"
    done = subprocess.run([CLI, "bake", str(outdir), "--quiet", "--workers", "1", "--no-search"], env=rq_env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    rq_env["RIGHTSDESK_MIRROR_DIR"] = str(outdir)
    title = f"Redis queued {secrets.token_hex(3)}"
    slug = title.lower().replace(" ", "-")
    _shell(rq_env, PUBLISH.format(title=title, slug=slug))
    # The page is in the folder when the publish returns; its sitemap entry is the worker's task.
    assert (outdir / "news" / slug / "index.html").is_file()
    assert slug not in (outdir / "sitemap.xml").read_text()
    done = subprocess.run([CLI, "worker", "--batch"], env=rq_env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert slug in (outdir / "sitemap.xml").read_text()
    assert (outdir / "pagefind" / "pagefind-entry.json").is_file()


def test_the_public_version_every_server_reads_changes_in_redis_once_a_publish_commits(transactional_db, settings):
    from django.core.cache import caches
    from django.db import transaction

    from rightsdesk.newsroom import signals

    settings.CACHES = {**settings.CACHES, "shared": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
        "TIMEOUT": None, "KEY_PREFIX": f"rightsdesk-test-{secrets.token_hex(4)}"}}
    signals.begin_request()
    before = signals.public_version()
    assert caches["shared"].get(signals.SHARED_KEY) == before, "servers read the version from Redis"
    with transaction.atomic():
        signals.bump_public_version()
        assert caches["shared"].get(signals.SHARED_KEY) == before, "not before the publish commits"
    signals.begin_request()
    after = signals.public_version()
    assert after != before and caches["shared"].get(signals.SHARED_KEY) == after
    assert signals.shared_public_version() == after  # what the site-cache wrapper reads
