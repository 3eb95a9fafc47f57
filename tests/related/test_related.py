"""Related lists: what readers and editors see after publishing, unpublishing, pinning, excluding."""

import re
from html import unescape

import pytest

from rightsdesk.related import engine

# Two sample stories nothing else on the demo site talks about.
LAKE = (
    "Lake Urmia has shrunk again this summer. Farmers around Lake Urmia say the salt flats left by the "
    "drying lake blow salt storms over their orchards, and villagers near the lake report breathing problems."
)
LAKE_2 = (
    "Residents near Lake Urmia protested the drying of the lake. Salt storms from the exposed lake bed have "
    "damaged orchards, and the farmers of the Lake Urmia basin ask for water to be released into the lake."
)
CHESS = (
    "A chess club in Tabriz held its first open tournament for girls. The chess players, aged nine to fifteen, "
    "played seven rounds; the club says chess lessons for girls are full until next spring."
)


def related_titles(client, page):
    html = client.get(page.url).content.decode()
    section = html[html.index('<section id="related"'): html.index("</section>", html.index('<section id="related"'))]
    return [unescape(t) for t in re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', section)]


def publish(page):
    page.save_revision().publish()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the after-commit work (mention linking, related updates) as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


# --- the demo site ---------------------------------------------------------------------------------


def test_demo_articles_have_stored_lists_on_their_story(client, db):
    from rightsdesk.newsroom.models import ArticlePage

    appeal = ArticlePage.objects.get(slug="nouri-appeal-upheld")
    titles = related_titles(client, appeal)
    assert len(titles) == 6
    nouri = set(ArticlePage.objects.filter(slug__in=[
        "nouri-life-sentence", "nouri-prisoner-swap", "universal-jurisdiction-after-nouri"]).values_list("title", flat=True))
    assert len(nouri & set(titles[:3])) >= 2, titles


def test_translations_are_never_related_and_languages_stay_apart(client, db):
    from rightsdesk.newsroom.models import ArticlePage
    from rightsdesk.related.models import RelatedItem

    original = ArticlePage.objects.get(slug="nouri-life-sentence")
    translation = ArticlePage.objects.get(slug="fa-nouri-life-sentence")
    assert translation.translation_key == original.translation_key
    for article in (original, translation):
        targets = ArticlePage.objects.filter(pk__in=RelatedItem.objects.filter(article=article).values("target_id"))
        assert targets.exists()
        assert {t.locale_id for t in targets} == {article.locale_id}
        assert not targets.filter(translation_key=original.translation_key).exists()
    fa_titles = related_titles(client, translation)
    assert fa_titles and all(re.search(r"[\u0600-\u06FF]", t) for t in fa_titles)


def test_admin_editor_shows_why_each_item_is_related(admin_client, db):
    from rightsdesk.newsroom.models import ArticlePage

    page = ArticlePage.objects.get(slug="universal-jurisdiction-after-nouri")
    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Related: pinned" in html and "Related: never show" in html
    assert "Shared terms:" in html and "Shared names:" in html and "Shared tags:" in html
    assert "Hamid Nouri" in html or "Nouri" in html


# --- publishing, unpublishing, pins, exclusions -----------------------------------------------------


def test_publishing_updates_the_new_article_and_the_lists_it_enters(client, make_article, on_commit):
    with on_commit():
        first = make_article("Lake Urmia is drying and salt storms reach the orchards", body_text=LAKE,
                             tags=["environment"])
    with on_commit():
        second = make_article("Protest at the shrinking Lake Urmia", body_text=LAKE_2, tags=["environment"],
                              section_slug="reports")
    assert related_titles(client, second)[0] == first.title
    assert related_titles(client, first)[0] == second.title  # the older article's list took it in

    # Unpublished: gone from every list at once, and the list it left is filled again.
    with on_commit():
        second.unpublish()
    titles = related_titles(client, first)
    assert second.title not in titles
    assert titles, "the list is refilled from the other articles"


def test_deleting_an_article_refills_the_lists_it_was_in(client, make_article, on_commit):
    from wagtail.models import Page

    from rightsdesk.related.models import RelatedItem

    with on_commit():
        articles = [make_article(f"Lake Urmia report {n}: salt storms reach the orchards",
                                 body_text=(LAKE if n % 2 else LAKE_2) + f" Field note {n}.") for n in range(8)]
    first = articles[0]
    before = list(RelatedItem.objects.filter(article=first).order_by("rank").values_list("target_id", flat=True))
    assert len(before) == 6  # seven candidates: one is left out
    gone = before[0]
    with on_commit():
        Page.objects.get(pk=gone).delete()  # as the admin deletes it: a generic Page row
    after = list(RelatedItem.objects.filter(article=first).values_list("target_id", flat=True))
    assert gone not in after
    assert len(after) == 6, "the list was computed again: the article left out before takes the place"


def test_unrelated_article_does_not_enter_lists(client, make_article, on_commit):
    with on_commit():
        lake = make_article("Lake Urmia is drying and salt storms reach the orchards", body_text=LAKE)
        chess = make_article("Girls' chess tournament in Tabriz", body_text=CHESS, dek="Seven rounds of chess.")
    assert chess.title not in related_titles(client, lake)


def test_editor_pins_come_first_and_exclusions_never_appear(client, make_article, on_commit):
    from rightsdesk.newsroom.models import ArticlePage
    from rightsdesk.related.models import RelatedExclusion, RelatedPin

    with on_commit():
        lake = make_article("Lake Urmia is drying and salt storms reach the orchards", body_text=LAKE)
        protest = make_article("Protest at the shrinking Lake Urmia", body_text=LAKE_2)
        chess = make_article("Girls' chess tournament in Tabriz", body_text=CHESS)
    assert related_titles(client, lake)[0] == protest.title
    pinned = ArticlePage.objects.get(slug="how-monitors-count-executions")

    lake = ArticlePage.objects.get(pk=lake.pk)
    lake.related_pins.add(RelatedPin(page=chess, sort_order=0))
    lake.related_pins.add(RelatedPin(page=pinned, sort_order=1))
    lake.related_exclusions.add(RelatedExclusion(page=protest))
    with on_commit():
        publish(lake)
    titles = related_titles(client, lake)
    assert titles[:2] == [chess.title, pinned.title]
    assert protest.title not in titles


def test_full_rebuild_is_all_or_nothing(client, db, monkeypatch):
    from rightsdesk.newsroom.models import ArticlePage

    page = ArticlePage.objects.get(slug="nouri-appeal-upheld")
    before = related_titles(client, page)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(engine, "recompute", broken)
    with pytest.raises(RuntimeError):
        engine.rebuild()
    monkeypatch.undo()
    from django.core.cache import caches

    caches["rightsdesk"].clear()
    assert related_titles(client, page) == before
    assert engine.rebuild() >= 40
    assert related_titles(client, page) == before  # the same content gives the same lists


def test_publish_writes_only_its_own_rows_and_new_words_count_at_once(client, make_article, on_commit):
    """Words the last rebuild never saw (a new place) relate the articles that use them, and a
    publish leaves the stored index of the rebuild alone."""
    from rightsdesk.related.models import NewTerm, Vocabulary

    snapshots = dict(Vocabulary.objects.values_list("locale_id", "snapshot"))
    text = ("Zarqanabad villagers say the Zarqanabad dam flooded their wheat fields; Zarqanabad elders "
            "wrote to the governor about the Zarqanabad flood.")
    with on_commit():
        first = make_article("Flood in Zarqanabad", body_text=text)
    with on_commit():
        second = make_article("Zarqanabad elders write to the governor", body_text=text.replace("wheat", "barley"))
    assert related_titles(client, second)[0] == first.title
    assert NewTerm.objects.filter(term="zarqanabad").count() == 1
    assert dict(Vocabulary.objects.values_list("locale_id", "snapshot")) == snapshots

    with on_commit():
        first.unpublish()
    index, _ = engine.load_index(first.locale_id)
    assert first.pk not in index.pos and second.pk in index.pos
    assert first.title not in related_titles(client, second)
