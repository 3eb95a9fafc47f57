"""Recommended to you: the public file the reader's browser scores, and the section readers see
without JavaScript."""

import json
import re
from urllib.parse import urljoin

import pytest


def fetch_json(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert not response.cookies
    return json.loads(response.content)


def test_file_lists_public_articles_of_one_language_only(client, make_article, homes, section):
    from wagtail.models import PageViewRestriction

    from rightsdesk.newsroom.models import ArticlePage

    draft = make_article("An unpublished draft about Lake Urmia", publish=False)
    hidden = make_article("An article in a private section", section_slug="analysis")
    PageViewRestriction.objects.create(page=section("analysis"), restriction_type="password", password="s3cret-pass")
    data = fetch_json(client, "/recommendations.json")
    assert data["v"] == 1 and data["lang"] == "en"
    ids = {item[0] for item in data["items"]}
    titles = {item[3] for item in data["items"]}
    public_en = set(ArticlePage.objects.live().filter(locale=homes["en"].locale).exclude(path__startswith=section("analysis").path)
                    .values_list("pk", flat=True))
    assert ids == public_en
    assert draft.title not in titles and hidden.title not in titles
    fa = fetch_json(client, "/fa/recommendations.json")
    assert fa["lang"] == "fa"
    assert not ids & {item[0] for item in fa["items"]}
    # Every URL in the file is relative to the home page and leads to its article.
    item = next(i for i in data["items"] if i[3].startswith("Swedish court sentences"))
    assert client.get(urljoin("/recommendations.json", item[2])).status_code == 200
    assert data["sections"][item[1]][0] == "News"


def test_file_carries_no_text_beyond_titles_and_no_registry_secrets(client, db):
    from rightsdesk.facts.models import Entity, Source
    from rightsdesk.newsroom.models import ArticlePage

    body = client.get("/recommendations.json").content.decode()
    nouri = ArticlePage.objects.get(slug="nouri-life-sentence")
    assert nouri.dek not in body
    assert "Stockholm" not in body.replace(nouri.title, "")  # words of the body appear only as hashes
    for entity in Entity.objects.all():
        assert f'"{entity.name}"' not in body
    Source.objects.create(title="Witness statement", confidential=True, note="held in the safe")
    assert "held in the safe" not in client.get("/recommendations.json").content.decode()


def section_html(html):
    start = html.index('<section id="recommended"')
    return html[start: html.index("</section>", start)]


@pytest.mark.parametrize("url", ["/", "/news/nouri-life-sentence/", "/fa/", "/fa/news/fa-nouri-life-sentence/"])
def test_without_javascript_the_section_shows_must_read_and_how_it_works(client, db, url):
    html = client.get(url).content.decode()
    section = section_html(html)
    must_read = html[html.index('<section id="must-read"'):]
    must_read = must_read[: must_read.index("</section>")]
    titles = re.findall(r"<h3><a [^>]+>([^<]+)</a>", section)
    assert titles and titles == re.findall(r"<h3><a [^>]+>([^<]+)</a>", must_read)  # the Must read selection
    feed = re.search(r'data-feed="([^"]+)"', section).group(1)
    assert not feed.startswith("/")  # relative: works on a mirror under any path
    assert client.get(urljoin(url, feed)).status_code == 200
    how = re.search(r'<a class="how-recommended" href="([^"]+)"', section).group(1)
    assert not how.startswith("/")
    help_page = client.get(urljoin(url, how))
    assert help_page.status_code == 200
    assert 'id="clear-history"' in help_page.content.decode()
    assert re.search(r'<script src="[^"]*related/recommended\.js"', html)


def test_persian_how_it_works_page_is_in_persian_right_to_left(client, db):
    html = client.get("/fa/recommended/").content.decode()
    assert 'dir="rtl"' in html
    assert "پیشنهاد برای شما" in html and "localStorage" in html


def test_article_page_hands_its_own_features_to_the_script(client, db):
    html = client.get("/news/nouri-life-sentence/").content.decode()
    section = section_html(html)
    from rightsdesk.newsroom.models import ArticlePage

    nouri = ArticlePage.objects.get(slug="nouri-life-sentence")
    assert f'data-article="{nouri.pk}"' in section
    features = re.search(r'data-features="([^"]*)"', section).group(1).split()
    data = fetch_json(client, "/recommendations.json")
    item = next(i for i in data["items"] if i[0] == nouri.pk)
    assert features == item[5].split() and len(features) >= 4
