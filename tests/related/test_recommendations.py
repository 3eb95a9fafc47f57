"""Recommended to you: the public file the reader's browser scores, and the section readers see
without JavaScript."""

import json
import re
from urllib.parse import unquote, urljoin

import pytest

from rightsdesk.related.recommend import derived_slug


def decode(data):
    """What recommended.js makes of the file (kept in step with it; the browser test checks the
    script itself against the articles' real addresses)."""
    def undelta(values):
        out = []
        for k, d in enumerate(values):
            out.append(d if not k else out[-1] - d)
        return out

    ids, days = undelta(data["id"]), undelta(data["day"])
    words, coded, slugs = (data[key].split("\n") if ids else [] for key in ("words", "title", "slug"))
    assert len(ids) == len(days) == len(coded) == len(slugs) == len(data["sec"])
    items = []
    for k, pk in enumerate(ids):
        title = " ".join(words[int(c, 36)] for c in coded[k].split(" "))
        section = data["sections"][data["sec"][k]] if data["sec"][k] >= 0 else None
        line = slugs[k]
        if "/" in line:
            url = line
        else:
            derived = derived_slug(title).split("-")
            slug = "-".join(p[1:] if p.startswith("~") else derived[int(p, 36)] for p in line.split("-")) if line else "-".join(derived)
            url = (section[1] if section else "") + slug + "/"
        items.append({"id": pk, "day": days[k], "title": title, "url": url, "section": section,
                      "rel": [ids[p] for p in (data["rel"][k] if k < len(data["rel"]) else [])]})
    return items


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
    assert data["v"] == 2 and data["lang"] == "en"
    items = decode(data)
    ids = {item["id"] for item in items}
    titles = {item["title"] for item in items}
    public_en = set(ArticlePage.objects.live().filter(locale=homes["en"].locale).exclude(path__startswith=section("analysis").path)
                    .values_list("pk", flat=True))
    assert ids == public_en
    assert draft.title not in titles and hidden.title not in titles
    fa = fetch_json(client, "/fa/recommendations.json")
    assert fa["lang"] == "fa"
    fa_items = decode(fa)
    assert not ids & {item["id"] for item in fa_items}
    # Every address in the file (given, or derived from the title) is relative to the home page
    # and leads to its article; dates and sections are the article's.
    pages = {p.pk: p for p in ArticlePage.objects.live()}
    for base, item in [("/", i) for i in items] + [("/fa/", i) for i in fa_items]:
        page = pages[item["id"]]
        assert urljoin(base, item["url"]) == page.url, item
        assert item["day"] == page.first_published.timestamp() // 86400
        assert item["section"] == [page.get_parent().title, page.get_parent().url[len(base):]]
    assert client.get(urljoin("/recommendations.json", items[0]["url"])).status_code == 200
    assert not [line for line in data["slug"].split("\n") if "/" in line]  # every article is in a section


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

    from rightsdesk.related.selectors import related_for

    nouri = ArticlePage.objects.get(slug="nouri-life-sentence")
    assert f'data-article="{nouri.pk}"' in section
    features = re.search(r'data-features="([^"]*)"', section).group(1).split()
    shown = [p.pk for p in related_for(nouri, 6)]
    assert shown and [int(f[1:], 36) for f in features] == shown  # its Related list, best first


def test_addresses_and_titles_survive_the_compact_coding(client, make_article, settings):
    """Hand-edited slugs, punctuation, accents, odd spacing, long titles and Persian all come back
    as the article's real address and title."""
    from rightsdesk.newsroom.models import ArticlePage

    long_title = " ".join(f"w{i}" for i in range(40))
    cases = [
        ("Bahá’í  farmers lose their land:   a report (2024)", "bahai-farmers-land-2024"),
        ("Executions rise again in 2031", None),  # the slug Wagtail would derive
        (long_title, "w0-w38-w39"),
        ("Statement -- on the _record_", "statement-on-the-record"),
    ]
    made = []
    for title, slug in cases:
        page = make_article(title)
        page.slug = slug or "executions-rise-again-in-2031"
        page.save_revision().publish()
        made.append(ArticlePage.objects.get(pk=page.pk))
    persian = make_article("گزارش تازه دربارهٔ اعدام‌ها در سال ۱۴۰۳", language="fa")
    persian.slug = "گزارش-تازه"
    persian.save_revision().publish()
    persian = ArticlePage.objects.get(pk=persian.pk)

    for base, pages in (("/", made), ("/fa/", [persian])):
        data = fetch_json(client, base + "recommendations.json")
        items = {item["id"]: item for item in decode(data)}
        for page in pages:
            item = items[page.pk]
            assert item["title"] == " ".join(page.title.split())
            assert urljoin(base, item["url"]) == unquote(page.url)  # the browser quotes it as the page does
            assert client.get(page.url).status_code == 200
    data = fetch_json(client, "/recommendations.json")
    slugs = {item["id"]: line for item, line in zip(decode(data), data["slug"].split("\n"))}
    assert slugs[made[1].pk] == ""  # derived from the title: nothing written
    assert slugs[made[0].pk] == "~bahai-1-4-7"  # words of "bah-farmers-lose-their-land-a-report-2024"
    assert slugs[made[2].pk] == "0-~w38-~w39"  # beyond the 36th word: written out


def test_newest_articles_carry_their_related_lists(client, db, settings):
    from rightsdesk.newsroom import selectors
    from rightsdesk.related.selectors import related_for

    settings.RIGHTSDESK_RECOMMEND_FRESH = 3
    items = decode(fetch_json(client, "/recommendations.json"))
    newest = list(selectors.published_articles().filter(locale__language_code="en")[:4])
    assert [i["id"] for i in items[:4]] == [p.pk for p in newest]  # newest first
    for item, page in zip(items[:3], newest):
        assert item["rel"] == [p.pk for p in related_for(page, 6)] and item["rel"]
    assert items[3]["rel"] == []  # older articles: their readers' history keeps the list
