"""The site cache of `rightsdesk serve` as readers and editors meet it (plain HTTP, no browser):
cached answers carry the same headers as rendered ones, editors and the admin are never served
from the cache, and a publish or unpublish made by another process is seen by the very next
request in every worker."""

import secrets
import subprocess
import urllib.error
import urllib.request

from .conftest import CLI

VOLATILE = {"date", "x-cache"}


def fetch(url, headers=None, method="GET"):
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def shell(env, code):
    done = subprocess.run([CLI, "manage", "shell", "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_cached_pages_have_the_headers_of_rendered_ones_and_editors_get_live_pages(site_process):
    base, _, _ = site_process
    # A query string of its own: not cached yet by earlier tests, so the first answer is rendered.
    url = f"{base}/?cache-test={secrets.token_hex(4)}"
    answers = [fetch(url) for _ in range(20)]
    assert all(status == 200 for status, _, _ in answers)
    kinds = {headers.get("X-Cache"): (headers, body) for _, headers, body in answers}
    assert "hit" in kinds and "miss" in kinds, [h.get("X-Cache") for _, h, _ in answers]
    (hit, hit_body), (miss, miss_body) = kinds["hit"], kinds["miss"]
    assert hit_body == miss_body

    def lower(h):
        return {k.lower(): v for k, v in h.items() if k.lower() not in VOLATILE}

    assert lower(hit) == lower(miss)
    assert lower(hit)["x-content-type-options"] == "nosniff"
    # A reader with any cookie (an editor's session), the admin and POSTs are never cached.
    for _ in range(6):
        assert "X-Cache" not in fetch(base + "/", {"Cookie": "sessionid=whatever"})[1]
        assert "X-Cache" not in fetch(base + "/admin/login/")[1]
        assert "X-Cache" not in fetch(base + "/", method="POST")[1]


def test_an_unpublish_by_another_process_is_seen_by_the_next_request_in_every_worker(site_process):
    base, _, env = site_process
    pk, url = shell(env, "from rightsdesk.newsroom.models import ArticlePage; "
                         "a = ArticlePage.objects.live().filter(locale__language_code='en').order_by('-first_published').first(); "
                         "print(a.pk, a.url)").splitlines()[-1].split()
    assert url.startswith("/")
    # Cached in every worker and thread (2 workers x 2 threads): many hits in a row.
    answers = [fetch(base + url) for _ in range(24)]
    assert all(status == 200 for status, _, _ in answers)
    assert [h.get("X-Cache") for _, h, _ in answers].count("hit") >= 16
    front = fetch(base + "/")[2].decode()
    assert f'href="{url}"' in front
    page = f"ArticlePage.objects.get(pk={pk})"
    shell(env, f"from rightsdesk.newsroom.models import ArticlePage; {page}.unpublish()")
    try:
        for _ in range(12):
            assert fetch(base + url)[0] == 404
            assert f'href="{url}"' not in fetch(base + "/")[2].decode()
    finally:
        shell(env, f"from rightsdesk.newsroom.models import ArticlePage; p = {page}; p.save_revision().publish()")
    for _ in range(12):
        assert fetch(base + url)[0] == 200
