"""Shared fixtures: the test database holds the demo site (loaded once per session), and helpers
create extra pages inside each test's transaction."""

import datetime as dt
import itertools
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
REFERENCE_PAGE = SHARED / "seeds" / "000_10ffa083ecb8f601.txt"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo content once into the test database; each test runs in a rolled-back
    transaction on top of it."""
    from rightsdesk.demo.loader import load_demo

    with django_db_blocker.unblock():
        load_demo(base_url="http://testserver/")


@pytest.fixture
def homes(db):
    from rightsdesk.newsroom.setup import home_for

    return {"en": home_for("en"), "fa": home_for("fa")}


@pytest.fixture
def section(homes):
    from rightsdesk.newsroom.models import SectionPage

    def get(slug="news", language="en"):
        return SectionPage.objects.child_of(homes[language]).get(slug=slug)

    return get


_counter = itertools.count(1)


@pytest.fixture
def make_article(section):
    """Create and publish an article through a Wagtail revision, as an editor would."""
    from rightsdesk.newsroom.models import ArticlePage

    def make(title=None, *, section_slug="news", language="en", tags=(), when=None, body_text=None,
             dek="A test article.", publish=True, **fields):
        n = next(_counter)
        parent = section(section_slug, language)
        page = ArticlePage(
            title=title or f"Test article {n}",
            slug=f"test-article-{n}",
            dek=dek,
            first_published=when or dt.datetime(2031, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(hours=n),
            body=[("paragraph", f"<p>{body_text or 'Body of test article %d.' % n}</p>")],
            live=False,
            **fields,
        )
        parent.add_child(instance=page)
        if tags:
            page.tags.add(*tags)
        revision = page.save_revision()
        if publish:
            revision.publish()
        page.refresh_from_db()
        return page

    return make


def reference_page_text():
    """The reference page of ../shared/, or a skip when this clone stands without it."""
    if not REFERENCE_PAGE.exists():
        pytest.skip(f"reference page not found at {REFERENCE_PAGE} (clone without ../shared/)")
    return REFERENCE_PAGE.read_text(encoding="utf-8")


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test's transaction is rolled back, the public version with it: cached fragments of an
    earlier test must not be mistaken for this test's."""
    from django.core.cache import caches

    from rightsdesk.newsroom import selectors

    for alias in ("default", "rightsdesk"):
        caches[alias].clear()
    selectors._URLS.update(version=None, urls={})  # page addresses, remembered per public version
    yield
