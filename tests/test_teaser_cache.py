"""Teasers are kept across publishes of other pages (see newsroom_tags.teaser_keys), so what a
listing shows must still follow every change of what a teaser shows."""

import pytest

pytestmark = pytest.mark.django_db


def _archive(client):
    return client.get("/archive/").content.decode()


def test_a_retitled_article_shows_its_new_title_in_listings_and_related_lists(client, make_article):
    article = make_article("Teaser cache: the first title", tags=["teaser-cache"])
    other = make_article("Teaser cache: another article", tags=["teaser-cache"])
    assert "Teaser cache: the first title" in _archive(client)
    assert "Teaser cache: the first title" in client.get("/tags/teaser-cache/").content.decode()

    # Another publish leaves the first article's teaser as it was...
    make_article("Teaser cache: a third article")
    assert "Teaser cache: the first title" in _archive(client)

    # ...and publishing the article with a new title and summary shows them everywhere.
    article.title = "Teaser cache: the second title"
    article.save_revision().publish()
    for url in ("/archive/", "/tags/teaser-cache/", "/news/"):
        html = client.get(url).content.decode()
        assert "Teaser cache: the second title" in html, url
        assert "Teaser cache: the first title" not in html, url
    assert other.title in _archive(client)


def test_a_renamed_section_shows_its_new_name_in_every_teaser(client, make_article, section):
    make_article("Teaser cache: an article of the renamed section")
    news = section("news", "en")
    old = news.title
    assert f">{old}</a>" in _archive(client)
    news.title = "Teaser cache: the renamed section"
    news.save_revision().publish()
    html = _archive(client)
    assert ">Teaser cache: the renamed section</a>" in html
    assert f">{old}</a>" not in html


def test_an_unpublished_article_leaves_every_listing(client, make_article):
    article = make_article("Teaser cache: soon unpublished", tags=["teaser-cache-gone"])
    assert "Teaser cache: soon unpublished" in _archive(client)
    article.unpublish()
    assert "Teaser cache: soon unpublished" not in _archive(client)
    assert "Teaser cache: soon unpublished" not in client.get("/news/").content.decode()
