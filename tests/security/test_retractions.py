"""Retractions reach the mirror: whatever takes something off the public site (an unpublish, a
view restriction, a source marked confidential, a deletion) is gone from the baked folder (the
page, the links to it, its sitemap entry, its search index entry) when the change is reported
done, and stays gone when the process exits right after it."""

import gzip
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).parent / "rightsdesk")


def search_index_text(outdir):
    """The words and addresses Pagefind's index holds (its fragments, decompressed)."""
    texts = []
    for path in (outdir / "pagefind").rglob("*.pf_fragment"):
        texts.append(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
    return "\n".join(texts)


def mentions(outdir, address):
    """The baked pages, feeds and files that name `address` (a link to it, relative or not, or its
    sitemap entry): they name its last folder."""
    slug = "/" + address.strip("/").rsplit("/", 1)[-1] + "/"
    found = []
    for path in outdir.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json") and ".rightsdesk-bake" not in path.parts:
            if slug in path.read_text(encoding="utf-8", errors="replace"):
                found.append(path.relative_to(outdir).as_posix())
    return found


def assert_gone(outdir, address, words):
    page = outdir / address.lstrip("/") / "index.html"
    assert not page.exists(), f"{address} is still in the folder"
    assert mentions(outdir, address) == [], "files still link to it or list it"
    assert address.strip("/") not in (outdir / "sitemap.xml").read_text(), "the sitemap still lists it"
    assert words not in search_index_text(outdir), "the search index still holds its text"


# --- in this process (the test's transaction), one baked folder copied for each test ----------------


@pytest.fixture(scope="module")
def baked(tmp_path_factory, django_db_setup, django_db_blocker):
    from rightsdesk.mirror import bake as baking

    outdir = tmp_path_factory.mktemp("retractions") / "site"
    with django_db_blocker.unblock():
        report = baking.bake(outdir, workers=1)
    assert not report["problems"], report["problems"]
    return outdir


@pytest.fixture
def mirror(baked, tmp_path, settings, db):
    outdir = tmp_path / "site"
    shutil.copytree(baked, outdir, symlinks=True)
    settings.RIGHTSDESK_MIRROR_DIR = str(outdir)
    return outdir


def _public_article(outdir):
    from rightsdesk.newsroom import selectors

    for article in selectors.published_articles().order_by("-first_published")[:20]:
        if (outdir / article.url.lstrip("/") / "index.html").is_file() and article.title in search_index_text(outdir):
            return article
    raise AssertionError("no baked article found")


def test_a_view_restriction_on_a_live_article_takes_it_off_the_mirror(mirror, django_capture_on_commit_callbacks):
    from wagtail.models import PageViewRestriction

    article = _public_article(mirror)
    address = article.url
    assert mentions(mirror, address), "baked pages link to it"
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.PASSWORD,
                                           password=secrets.token_urlsafe(8))
    assert_gone(mirror, address, article.title)


def _cited_source(outdir):
    """A figure's source (not confidential, with an address) that a baked entity page links to,
    and that page."""
    from rightsdesk.facts.models import FigureSource

    for row in FigureSource.objects.filter(source__confidential=False, source__capture=None).exclude(
            source__url="").select_related("source"):
        entity = row.figure.about.first()
        page = outdir / "entities" / entity.slug / "index.html" if entity else None
        if page is not None and page.is_file() and row.source.url in page.read_text():
            return row, page
    pytest.fail("no baked entity page names a source by its address")


def test_a_source_marked_confidential_is_no_longer_named_on_the_mirror(mirror, django_capture_on_commit_callbacks):
    row, page = _cited_source(mirror)
    source = row.source
    with django_capture_on_commit_callbacks(execute=True):
        source.confidential = True
        source.save()
    text = page.read_text()
    assert source.url not in text, "the baked entity page still links to the confidential source"
    assert "confidential source" in text


def test_a_withdrawn_capture_is_no_longer_cited_on_the_mirror(mirror, django_capture_on_commit_callbacks):
    import hashlib

    from django.utils import timezone

    from rightsdesk.evidence.capture import withdraw
    from rightsdesk.evidence.models import Capture
    from rightsdesk.facts.models import FigureSource, SourceKind

    row, page = _cited_source(mirror)
    source = row.source
    digest = hashlib.sha256(source.url.encode()).hexdigest()
    capture = Capture.objects.create(
        requested_url=source.url, final_url=source.url, captured_at=timezone.now(), captured_by_name="test",
        software="test", payload_sha256=digest, payload_size=1, warc_sha256=digest, warc_name="test.warc.gz",
        warc_size=1, title=source.title,
    )
    with django_capture_on_commit_callbacks(execute=True):
        source.kind, source.capture = SourceKind.CAPTURE, capture
        source.save()
    assert source.url in page.read_text(), "the capture is cited on the baked entity page"
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(capture, "Sample: the page was altered after capture.")
    assert source.url not in page.read_text(), "the baked entity page still cites the withdrawn capture"
    assert not FigureSource.objects.filter(pk=row.pk, source__capture__withdrawn=False).exists()


# --- in a process of its own that exits right after the change (production: a worker or a request) ----


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("retractions-site")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RIGHTSDESK_", "DATABASE_URL"))}
    env.update({
        "RIGHTSDESK_DATA_DIR": str(tmp / "data"),
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "RIGHTSDESK_ADMIN_PASSWORD": secrets.token_urlsafe(16),
    })
    done = subprocess.run([CLI, "demo", "--no-serve"], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    outdir = tmp / "mirror"
    done = subprocess.run([CLI, "bake", str(outdir), "--quiet", "--workers", "1"], env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    env["RIGHTSDESK_MIRROR_DIR"] = str(outdir)
    return env, outdir


def _shell(env, code):
    done = subprocess.run([CLI, "manage", "shell", "--no-imports", "-c", code], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


PICK = (
    "from rightsdesk.newsroom import selectors; "
    "a = selectors.published_articles().filter(locale__language_code='en').order_by('first_published')[{n}]; "
)


@pytest.mark.parametrize("n, action", [(0, "a.unpublish()"), (1, "a.delete()")], ids=["unpublish", "delete"])
def test_an_unpublish_or_deletion_then_exit_leaves_nothing_in_the_mirror(site, n, action):
    env, outdir = site
    address, title = _shell(env, PICK.format(n=n) + "print(a.url + '\\t' + a.title)").split("\t")
    assert (outdir / address.lstrip("/") / "index.html").is_file()
    assert title in search_index_text(outdir)
    _shell(env, PICK.format(n=n) + action + "; print('done')")  # the process exits at once
    assert_gone(outdir, address, title)
