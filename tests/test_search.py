"""The public search (/search/ and /fa/search/): ranked, highlighted, only what readers may see."""

import re
from urllib.parse import quote_plus

import pytest

from rightsdesk.newsroom import search

pytestmark = pytest.mark.django_db


def page_html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return response.content.decode()


def results(html):
    """(href, title HTML, snippet HTML) of each result, in order."""
    listing = html.split('class="teasers search-results"', 1)[1].split("</ol>", 1)[0] if "search-results" in html else ""
    return re.findall(r'<h2><a href="([^"]+)">(.*?)</a></h2>.*?<p class="excerpt snippet">(.*?)</p>', listing, re.S)


def count(html):
    return int(re.search(r"”: (\d+) results", html).group(1))


def test_a_title_hit_ranks_above_a_body_hit(client, make_article):
    body_hit = make_article("Statement on prison conditions", body_text="Guards at Qezelhesar cleared a ward.")
    title_hit = make_article("Qezelhesar hunger strike enters third week", body_text="Prisoners refuse food.")
    found = results(page_html(client, "/search/?q=qezelhesar"))
    hrefs = [href for href, _, _ in found]
    assert hrefs.index(title_hit.url) < hrefs.index(body_hit.url)


def test_matches_are_marked_and_the_text_is_escaped(client, make_article):
    article = make_article(
        "Zyxwvut tribunal opens",
        body_text="The tribunal heard that &lt;script&gt;alert(1)&lt;/script&gt; zyxwvut witnesses spoke.",
    )
    html = page_html(client, "/search/?q=zyxwvut")
    (href, title, snippet), = results(html)
    assert href == article.url
    assert title == "<mark>Zyxwvut</mark> tribunal opens"
    assert "<mark>zyxwvut</mark> witnesses" in snippet
    # The text's own markup never becomes markup (PostgreSQL's ts_headline drops tag-like words).
    assert "alert(1)" in snippet and "<script>" not in html.split("search-results", 1)[1]


def test_english_words_match_their_other_forms(client, make_article):
    article = make_article("Wrongful imprisonments documented", body_text="Nothing else.")
    hrefs = [href for href, _, _ in results(page_html(client, "/search/?q=imprisonment+documenting"))]
    assert article.url in hrefs


def test_the_last_word_matches_as_a_prefix(client, make_article):
    article = make_article("Kahrizak detention centre", body_text="Nothing else.")
    assert article.url in [href for href, _, _ in results(page_html(client, "/search/?q=Kahriz"))]


def test_persian_query_finds_the_persian_article_only_in_persian(client):
    fa = page_html(client, "/fa/search/?q=زاهدان")
    hrefs = [href for href, _, _ in results(fa)]
    assert any("fa-zahedan-bloody-friday" in h for h in hrefs)
    assert any("<mark>زاهدان</mark>" in title + snippet for _, title, snippet in results(fa))
    # Arabic forms of yeh and kaf, and harakat, find the same words.
    assert hrefs == [h for h, _, _ in results(page_html(client, "/fa/search/?q=زاهِدان"))]
    en = page_html(client, "/search/?q=زاهدان")
    assert not any("/fa/" in h for h, _, _ in results(en))


def test_the_snippet_is_the_passage_with_the_match_and_other_forms_of_the_word_are_marked(client, make_article):
    before = " ".join(f"before{n}" for n in range(300))
    after = " ".join(f"after{n}" for n in range(300))
    make_article(
        "Court papers released",
        body_text=f"{before} Three prisoners were executed at Ghezel Hesar in the spring. {after}",
    )
    (_, title, snippet), = results(page_html(client, "/search/?q=executions+ghezel"))
    assert title == "Court papers released"
    assert "<mark>executed</mark> at <mark>Ghezel</mark> Hesar" in snippet
    words = re.sub(r"<[^>]+>", "", snippet).split()
    assert "before0" not in words and 14 <= len(words) <= 40  # a passage, not the start of the text


def test_other_languages_drafts_private_sections_never_appear(client, make_article, section):
    from wagtail.models import PageViewRestriction

    make_article("Quillwort draft report", body_text="Quillwort.", publish=False)
    fa_article = make_article("Quillwort Persian article", language="fa", body_text="Quillwort.")
    private = make_article("Quillwort analysis for members", section_slug="analysis", body_text="Quillwort.")
    public = make_article("Quillwort public report", body_text="Quillwort.")
    assert {h for h, _, _ in results(page_html(client, "/search/?q=quillwort"))} == {public.url, private.url}

    PageViewRestriction.objects.create(page=section("analysis"), restriction_type="password", password="s3cret-pass")
    assert [h for h, _, _ in results(page_html(client, "/search/?q=quillwort"))] == [public.url]
    assert [h for h, _, _ in results(page_html(client, "/fa/search/?q=quillwort"))] == [fa_article.url]

    PageViewRestriction.objects.filter(page=section("analysis")).delete()
    assert {h for h, _, _ in results(page_html(client, "/search/?q=quillwort"))} == {public.url, private.url}


def test_unpublish_and_delete_remove_a_page_from_the_results(client, make_article):
    first = make_article("Marjoram verdict appealed", body_text="Marjoram.")
    second = make_article("Marjoram trial postponed", body_text="Marjoram.")
    assert count(page_html(client, "/search/?q=marjoram")) == 2
    first.unpublish()
    html = page_html(client, "/search/?q=marjoram")
    assert count(html) == 1 and [h for h, _, _ in results(html)] == [second.url]
    second.delete()
    assert "No results." in page_html(client, "/search/?q=marjoram")


def test_a_republished_edit_replaces_the_indexed_text(client, make_article):
    article = make_article("Tarragon hearing", body_text="The hearing was adjourned.")
    article.title = "Lovage hearing"
    article.save_revision().publish()
    assert count(page_html(client, "/search/?q=lovage")) == 1
    assert "No results." in page_html(client, "/search/?q=tarragon")


@pytest.mark.parametrize("query", [
    '"', '""', "'", '"unclosed phrase', "AND", "OR", "NOT", "NEAR", "a AND", "AND OR NOT", "*", "**", "Iran*",
    "-", "-Iran", "Iran -", "(", ")", "(Iran", "^Iran", "title:Iran", "{title}: Iran", "Iran:*", "!", "&|!",
    "...", "، ؛ ؟", "%", "%25", "\\", "\x00", "زاهدان*", "Iran's", "x" * 500, "Iran " * 100,
])
def test_odd_input_never_fails(client, query):
    for prefix in ("", "/fa"):
        html = page_html(client, f"{prefix}/search/?q={quote_plus(query)}")
        assert 'class="result-count"' in html or not query.strip()


def test_input_with_no_words_finds_nothing(client):
    for query in ("*", '"', "&|!", "..."):
        assert search.query_terms(query) == []
        assert "No results." in page_html(client, f"/search/?q={quote_plus(query)}")


def test_results_are_paginated_in_rank_order(client, make_article):
    for n in range(12):
        make_article(f"Sorrel report number {n}", body_text="Sorrel " * (1 + n % 3))
    first = page_html(client, "/search/?q=sorrel")
    assert count(first) == 12
    assert 'rel="next" href="?q=sorrel&amp;page=2"' in first
    second = page_html(client, "/search/?q=sorrel&page=2")
    page1, page2 = [h for h, _, _ in results(first)], [h for h, _, _ in results(second)]
    assert len(page1) == 10 and len(page2) == 2 and not set(page1) & set(page2)
    page_html(client, "/search/?q=sorrel&page=3", status=404)


def test_rebuild_gives_the_index_publishing_built(make_article, db):
    from rightsdesk.newsroom import selectors

    make_article("Chervil report", body_text="Chervil.")
    indexed = search.size()
    expected = selectors.published_articles().count() + selectors.published_briefs().count()
    assert indexed == expected
    assert search.rebuild() == expected == search.size()
    en = selectors.language_frame(selectors.published_articles().first().locale_id)["home"].locale_id
    assert search.search("chervil", en).count() == 1


def test_cli_rebuilds_the_index(db, capsys):
    from rightsdesk.cli import main

    assert main(["search", "--rebuild", "--json"]) == 0
    assert '"pages":' in capsys.readouterr().out


@pytest.mark.parametrize("method", ["search", "autocomplete"])
def test_admin_search_backend_gives_modelsearchs_results_in_the_same_order(db, method):
    """On SQLite the admin's backend ranks with one FTS5 query instead of one per row: same pages,
    same order, same counts as modelsearch's own SQLite backend."""
    from django.db import connection
    from wagtail.models import Page

    if connection.vendor != "sqlite":
        pytest.skip("the faster ranking is SQLite's; PostgreSQL uses modelsearch's backend as is")
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    from rightsdesk.newsroom.search_backend import SearchBackend

    ours, theirs = SearchBackend({}), SQLiteSearchBackend({})
    assert type(ours) is not SQLiteSearchBackend
    for query in ("UN experts", "Iran", "execution", "Zahedan", "زاهدان", "report women", "zzqqxx"):
        mine = getattr(ours, method)(query, Page.objects.live())
        reference = getattr(theirs, method)(query, Page.objects.live())
        assert mine.count() == reference.count(), query
        assert [p.pk for p in mine[:20]] == [p.pk for p in reference[:20]], query
        assert [p.pk for p in mine[10:15]] == [p.pk for p in reference[10:15]], query
        assert mine.facet("content_type_id") == reference.facet("content_type_id"), query


def test_admin_page_search_finds_pages(client, admin_user):
    client.force_login(admin_user)
    html = page_html(client, "/admin/pages/search/?q=Hundreds+UN+experts")
    assert "Hundreds of current and former UN experts" in html
    assert "Hundreds of current and former UN experts" in page_html(client, "/admin/pages/search/?q=Hundreds+UN+exp")
    page_html(client, "/admin/pages/search/?q=%22AND+*")


def test_a_query_too_common_to_rank_whole_lists_title_hits_first_then_the_newest(client, make_article, monkeypatch):
    """Past RANK_ALL matches the ranking is not run over every match: the matches with a query
    word in their title come first (best first), then the others, most recently added first;
    every match is listed once across the pages and the count is the full count."""
    body_hits = [make_article(f"Statement number {n}", body_text="Fennel " * (1 + n % 3)) for n in range(11)]
    weak = make_article("Fennel and other matters in a long title about many things", body_text="Nothing.")
    strong = make_article("Fennel", body_text="Fennel fennel.")
    monkeypatch.setitem(search.RANK_ALL, "sqlite", 3)
    monkeypatch.setitem(search.RANK_ALL, "postgresql", 3)
    first = page_html(client, "/search/?q=fennel")
    assert count(first) == 13
    page1 = results(first)
    hrefs = [h for h, _, _ in page1] + [h for h, _, _ in results(page_html(client, "/search/?q=fennel&page=2"))]
    assert hrefs[:2] == [strong.url, weak.url]
    assert hrefs[2:] == [a.url for a in reversed(body_hits)]
    assert page1[0][1] == "<mark>Fennel</mark>"
    assert "<mark>Fennel</mark>" in page1[2][2] or "<mark>fennel</mark>" in page1[2][2].lower()
    # Typed as a prefix: the same order.
    assert [h for h, _, _ in results(page_html(client, "/search/?q=fenn"))][:2] == [strong.url, weak.url]
    # Two words: a title with either word counts as a title hit, the matches need both.
    two = page_html(client, "/search/?q=fennel+statement")
    assert count(two) == 11
    assert {h for h, _, _ in results(two)} < {a.url for a in body_hits}


def test_a_search_leaves_the_planner_settings_of_the_request_alone(db, make_article):
    """On PostgreSQL the search turns sequential scans off for its own queries only."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    from rightsdesk.newsroom import selectors

    article = make_article("Borage report", body_text="Borage.")
    results = search.search("borage", article.locale_id)
    assert results.count() == 1 and [r.pk for r in results[0:10]] == [article.pk]
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
    # As the search page asks: the count and the page in one string of statements.
    paged = search.search("borage", article.locale_id)
    paged.expect_page(1, 10)
    assert paged.count() == 1 and [r.pk for r in paged[0:10]] == [article.pk]
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
    assert selectors.published_articles().filter(pk=article.pk).exists()


def test_each_query_gets_its_own_title_and_results_in_the_same_frame(client, make_article):
    """A reader's search page is the frame kept for the language plus the query's own title and
    results: nothing of one query shows on the next, and what a reader types (markup, or the
    characters the frame is marked with) is shown as text."""
    sorrel = make_article("Sorrel hearing postponed", body_text="The sorrel case was adjourned.")
    quince = make_article("Quince verdict upheld", body_text="The quince appeal failed.")
    first, second = page_html(client, "/search/?q=sorrel"), page_html(client, "/search/?q=quince")
    assert "<title>Search: sorrel</title>" in first and "<title>Search: quince</title>" in second
    assert [href for href, _, _ in results(first)] == [sorrel.url]
    assert [href for href, _, _ in results(second)] == [quince.url]
    assert first.split("<main", 1)[0].replace("sorrel", "quince") == second.split("<main", 1)[0]
    odd = page_html(client, "/search/?q=" + quote_plus("\ue010<b>bold</b>\ue011"))
    assert "<b>bold</b>" not in odd and "&lt;b&gt;bold&lt;/b&gt;" in odd
    assert odd.count("<main") == 1 and odd.rstrip().endswith("</html>")


def test_an_editor_gets_the_search_page_with_their_userbar(client, admin_user, make_article):
    article = make_article("Borage statement issued", body_text="Borage.")
    reader = page_html(client, "/search/?q=borage")
    client.force_login(admin_user)
    editor = page_html(client, "/search/?q=borage")
    assert [href for href, _, _ in results(editor)] == [href for href, _, _ in results(reader)] == [article.url]
    assert "wagtail-userbar" in editor and "wagtail-userbar" not in reader


def test_a_site_name_holding_the_frames_marker_still_gives_whole_search_pages(client, make_article):
    from rightsdesk.newsroom.models import SiteIdentity

    identity = SiteIdentity.objects.get()
    identity.organisation_name = "Watch \ue010 \ue011"
    identity.save()
    article = make_article("Sorrel hearing postponed", body_text="Sorrel.")
    html = page_html(client, "/search/?q=sorrel")
    assert "<title>Search: sorrel</title>" in html
    assert [href for href, _, _ in results(html)] == [article.url]
    assert html.count("<main") == 1 and "Watch \ue010 \ue011" in html
