"""The baked mirror: complete, self-contained, byte-identical twice, and re-baked incrementally."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from rightsdesk.mirror import bake as baking
from rightsdesk.mirror.check import check_folder, references

ORIGIN = "http://testserver"


@pytest.fixture(scope="module")
def baked(tmp_path_factory, django_db_setup, django_db_blocker):
    """The demo site baked twice into two folders (with the search index)."""
    from django.core.cache import caches

    folders = []
    with django_db_blocker.unblock():
        for name in ("first", "second"):
            caches["rightsdesk"].clear()
            outdir = tmp_path_factory.mktemp(name) / "site"
            report = baking.bake(outdir, workers=1)
            folders.append((outdir, report))
    return folders


def html_files(outdir):
    return sorted(p for p in outdir.rglob("*.html") if baking.STATE_DIR not in p.parts)


def test_bake_writes_every_public_page_in_both_languages(baked, db):
    from rightsdesk.facts.views import public_entities
    from rightsdesk.newsroom import selectors
    from rightsdesk.newsroom.models import BriefPage, HomePage

    outdir, report = baked[0]
    assert report["problems"] == []
    for home in HomePage.objects.live():
        base = home.url.lstrip("/")
        for name in ("index.html", "archive/index.html", "search/index.html", "entities/index.html",
                     "feed/rss.xml", "feed/atom.xml", "recommendations.json", "recommended/index.html",
                     "fragments/sidebars.html", "fragments/must-read.html"):
            assert (outdir / base / name).is_file(), base + name
        for article in selectors.published_articles(home.locale_id):
            assert (outdir / article.url.lstrip("/") / "index.html").is_file(), article.url
        for entity in public_entities(home):
            assert (outdir / base / "entities" / entity.slug / "index.html").is_file()
    for brief in BriefPage.objects.live():
        assert (outdir / brief.url.lstrip("/") / "index.html").is_file()
    # Listings with their older pages, and a tag.
    assert (outdir / "archive/page/1/index.html").is_file()
    assert any((outdir / "tags").iterdir())
    for name in ("sitemap.xml", "robots.txt", "static/rightsdesk/css/site.css", "pagefind/pagefind-ui.js"):
        assert (outdir / name).is_file(), name
    assert list((outdir / "media").rglob("*.jpg")), "image renditions are copied"
    # Persian pages are right-to-left Persian.
    assert '<html lang="fa" dir="rtl">' in (outdir / "fa/index.html").read_text()


def test_every_link_image_script_style_and_feed_resolves_inside_the_folder(baked):
    outdir, _ = baked[0]
    assert check_folder(outdir, [ORIGIN]) == []
    # The check itself notices what it should (a broken link, a third-party script, the admin).
    broken = outdir / "zz-check" / "index.html"
    broken.parent.mkdir()
    broken.write_text('<a href="../no-such-page/">x</a><script src="https://cdn.example.com/x.js"></script>'
                      '<a href="../admin/">a</a><link rel="stylesheet" href="/static/x.css">')
    try:
        problems = check_folder(outdir, [ORIGIN])
    finally:
        broken.unlink()
        broken.parent.rmdir()
    assert len(problems) == 4, problems


def test_no_page_loads_anything_from_another_host_or_links_to_the_admin(baked):
    outdir, _ = baked[0]
    for path in html_files(outdir):
        html = path.read_text()
        assert "/admin/" not in html, path
        for tag, attribute, value, loads, rel in references(html):
            if loads:
                assert not re.match(r"^(https?:)?//", value), (path, tag, value)
    robots = (outdir / "robots.txt").read_text()
    assert "admin" not in robots and "Disallow: /search/" in robots


def test_links_are_relative_and_canonical_links_name_the_primary_site(baked, db):
    from rightsdesk.newsroom.selectors import published_articles

    outdir, _ = baked[0]
    article = published_articles().filter(locale__language_code="en").first()
    html = (outdir / article.url.lstrip("/") / "index.html").read_text()
    assert f'<link rel="canonical" href="{ORIGIN}{article.url}">' in html
    assert 'href="../../static/rightsdesk/css/site.css"' in html
    assert 'href="../../feed/rss.xml"' in html
    # The parts that change with every publish are loaded from fragments, not baked into each page.
    assert 'data-fragment="../../fragments/sidebars.html"' in html
    assert 'id="latest-news-title"' not in html
    assert 'id="latest-news-title"' in (outdir / "fragments/sidebars.html").read_text()


def test_two_bakes_of_the_same_content_are_byte_identical(baked):
    (first, _), (second, _) = baked
    assert baking.digest(first) == baking.digest(second)
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())


def test_baked_search_page_uses_pagefind_from_the_mirror(baked):
    outdir, _ = baked[0]
    for search in (outdir / "search/index.html", outdir / "fa/search/index.html"):
        html = search.read_text()
        assert 'src="../pagefind/pagefind-ui.js"' in html or 'src="../../pagefind/pagefind-ui.js"' in html
        assert "data-bundle=" in html
    entry = json.loads((outdir / "pagefind/pagefind-entry.json").read_text())
    assert set(entry["languages"]) == {"en", "fa"}


def test_feeds_and_sitemap_are_valid_and_name_the_primary_site_without_a_base_url(baked):
    outdir, _ = baked[0]
    rss = ET.parse(outdir / "feed/rss.xml").getroot()
    links = [item.findtext("link") for item in rss.iter("item")]
    assert links and all(link.startswith(ORIGIN + "/") for link in links)
    wire = ET.parse(outdir / "wire/feed/rss.xml").getroot()
    titles = [item.findtext("title") for item in wire.iter("item")]
    assert titles and all(":" in t for t in titles), "the wire section's feed credits its briefs"
    sitemap = (outdir / "sitemap.xml").read_text()
    assert f"<loc>{ORIGIN}/fa/" in sitemap


def test_a_folder_with_other_files_is_refused_and_left_alone(tmp_path, db):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(baking.BakeError, match="not empty"):
        baking.bake(tmp_path, workers=1, search=False)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def _files(outdir):
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in outdir.rglob("*")
            if p.is_file() and baking.STATE_DIR not in p.parts and "pagefind" not in p.parts}


def test_publish_and_unpublish_rebake_only_what_changed(tmp_path, make_article, settings,
                                                         django_capture_on_commit_callbacks):
    from rightsdesk.mirror import incremental

    outdir = tmp_path / "site"
    base_url = "https://mirror.example.net/news/"
    baking.bake(outdir, base_url=base_url, workers=1, search=False)
    settings.RIGHTSDESK_MIRROR_DIR = str(outdir)
    before = _files(outdir)

    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("Mirror incremental test: a newly published report", tags=["death penalty"])
    after = _files(outdir)
    page_file = article.url.lstrip("/") + "index.html"
    assert page_file in after
    changed = {name for name in after if before.get(name) != after[name]}
    # The page, the front page, fragments, feeds, first pages of its listings, sitemap, ...: a few
    # dozen files at most, never the whole site.
    assert page_file in changed and len(changed) < 40, sorted(changed)
    assert len(after) > 300
    title = article.title
    assert title in after["fragments/sidebars.html"].decode()  # Latest news
    assert title in after["index.html"].decode()
    assert title in after["archive/index.html"].decode()
    assert title in after["news/index.html"].decode()
    assert title in after["tags/death-penalty/index.html"].decode()
    feed = after["feed/rss.xml"].decode()
    assert title in feed
    # With --base-url, feeds point at the mirror.
    assert f"<link>{base_url}{page_file[: -len('index.html')]}</link>" in feed
    assert article.url in after["sitemap.xml"].decode() or page_file[: -len("index.html")] in after["sitemap.xml"].decode()
    assert (outdir / "pagefind/pagefind-entry.json").is_file(), "the search index is rebuilt after a publish"

    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    gone = _files(outdir)
    assert page_file not in gone
    assert not (outdir / article.url.lstrip("/")).exists()
    slug_path = article.url.strip("/")
    for name, data in gone.items():
        if name.endswith((".html", ".xml", ".json")):
            text = data.decode()
            assert title not in text and slug_path + "/" not in text, name
    record = baking.Record(outdir)
    assert page_file not in record.paths()
    assert record.linking(article.pk) == set(), "no file links to it any more"
    record.close()


def test_base_url_must_be_http(tmp_path):
    import subprocess
    import sys

    cli = str(Path(sys.executable).parent / "rightsdesk")
    done = subprocess.run([cli, "bake", str(tmp_path / "out"), "--base-url", "mirror.example"],
                          capture_output=True, text=True, env={"RIGHTSDESK_DATA_DIR": str(tmp_path / "data"),
                                                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 2
    assert "--base-url must be an http:// or https:// address" in done.stderr


def test_a_site_without_any_article_yet_bakes_with_its_search_index(tmp_path, db):
    """A new site (sections, no article or brief yet): Pagefind is given every page, since it
    refuses to build an index from no file at all; with articles it reads only theirs."""
    from wagtail.models import Page

    from rightsdesk.newsroom.models import ArticlePage, BriefPage
    from rightsdesk.newsroom.signals import bump_public_version

    assert baking.search_glob().endswith("}/*/index.html")
    Page.objects.type(ArticlePage, BriefPage).update(live=False)
    bump_public_version()
    assert baking.search_glob() is None
    outdir = tmp_path / "site"
    report = baking.bake(outdir, workers=1)
    assert not report["problems"], report["problems"]
    assert (outdir / "index.html").is_file()
    assert (outdir / "pagefind/pagefind-entry.json").is_file()


def test_an_article_and_its_translation_baked_in_one_batch_link_to_each_other(tmp_path, db):
    from rightsdesk.newsroom.models import ArticlePage

    fa = ArticlePage.objects.live().filter(locale__language_code="fa").exclude(translation_key=None).first()
    en = fa.get_translations().live().get()
    renderer = baking.Renderer(tmp_path / "site")
    for page, other in ((en, fa), (fa, en)):
        results = renderer.bake_targets([baking.Target(en.url, en.pk), baking.Target(fa.url, fa.pk)])
        html = (tmp_path / "site" / next(r.path for r in results if r.url == page.url)).read_text()
        assert f'hreflang="{other.locale.language_code}"' in html
        assert other.slug in html, f"{page.url} does not link to its translation {other.url}"
