"""Latest news, Must read and Related choose what a reader would expect."""

import datetime as dt

from rightsdesk.newsroom import selectors
from rightsdesk.newsroom.models import ArticlePage, BriefPage, MustReadItem


def test_latest_news_is_newest_published_first_and_skips_drafts(homes, make_article):
    older = make_article("Older story")
    newer = make_article("Newer story")
    draft = make_article("Draft story", publish=False)
    latest = selectors.latest_articles(homes["en"].locale)
    assert latest[0].pk == newer.pk
    assert latest[1].pk == older.pk
    assert draft.pk not in [p.pk for p in latest]
    dates = [p.first_published for p in latest]
    assert dates == sorted(dates, reverse=True)


def test_latest_news_is_per_language(homes, make_article):
    persian = make_article("مطلب آزمایشی", language="fa")
    english = selectors.latest_articles(homes["en"].locale, limit=50)
    assert persian.pk not in [p.pk for p in english]
    assert selectors.latest_articles(homes["fa"].locale)[0].pk == persian.pk


def test_unpublished_article_leaves_latest_news(homes, make_article):
    page = make_article("Soon withdrawn")
    assert selectors.latest_articles(homes["en"].locale)[0].pk == page.pk
    page.unpublish()
    assert page.pk not in [p.pk for p in selectors.latest_articles(homes["en"].locale)]


def test_must_read_keeps_the_editors_order(homes, make_article):
    home = homes["en"]
    first, second = make_article("Pick one"), make_article("Pick two")
    home.must_read_items.all().delete()
    MustReadItem.objects.create(home=home, page=second, sort_order=0)
    MustReadItem.objects.create(home=home, page=first, sort_order=1)
    assert [p.pk for p in selectors.must_read(home)] == [second.pk, first.pk]


def test_must_read_skips_unpublished_picks(homes, make_article):
    home = homes["en"]
    kept, dropped = make_article("Kept"), make_article("Dropped")
    home.must_read_items.all().delete()
    MustReadItem.objects.create(home=home, page=dropped, sort_order=0)
    MustReadItem.objects.create(home=home, page=kept, sort_order=1)
    dropped.unpublish()
    assert [p.pk for p in selectors.must_read(home)] == [kept.pk]


def test_must_read_falls_back_to_newest_briefs(homes):
    home = homes["en"]
    home.must_read_items.all().delete()
    picks = selectors.must_read(home)
    assert picks, "the demo has briefs, so the fallback is not empty"
    assert all(isinstance(p, BriefPage) for p in picks)
    newest = BriefPage.objects.live().filter(locale=home.locale).order_by("-date")[: len(picks)]
    assert [p.pk for p in picks] == [p.pk for p in newest]


def test_demo_must_read_mixes_articles_and_wire_briefs(homes):
    picks = selectors.must_read(homes["en"])
    kinds = {type(p) for p in picks}
    assert kinds == {ArticlePage, BriefPage}


def test_related_shares_a_tag_or_the_section_and_never_is_the_article_itself(make_article):
    base = make_article("Base", section_slug="reports", tags=["zz-topic"])
    same_tag_other_section = make_article("Same tag", section_slug="analysis", tags=["zz-topic"])
    same_section = make_article("Same section", section_slug="reports", tags=["zz-other"])
    unrelated = make_article("Unrelated", section_slug="statements", tags=["zz-nothing"])
    related = selectors.related_articles(base)
    pks = [p.pk for p in related]
    assert base.pk not in pks
    assert same_tag_other_section.pk in pks
    assert same_section.pk in pks
    assert unrelated.pk not in pks
    assert len(related) <= 6
    assert len(pks) == len(set(pks)), "an article sharing two tags appears once"
    dates = [p.first_published for p in related]
    assert dates == sorted(dates, reverse=True)


def test_related_stays_in_the_articles_language(make_article):
    en = make_article("English", section_slug="reports", tags=["zz-shared"])
    fa = make_article("فارسی", section_slug="reports", language="fa", tags=["zz-shared"])
    assert fa.pk not in [p.pk for p in selectors.related_articles(en)]
    assert en.pk not in [p.pk for p in selectors.related_articles(fa)]


def test_related_never_lists_drafts(make_article):
    base = make_article("Base", tags=["zz-draft-test"])
    draft = make_article("Draft", tags=["zz-draft-test"], publish=False)
    assert draft.pk not in [p.pk for p in selectors.related_articles(base)]


def test_related_is_capped_at_six(make_article):
    base = make_article("Base", tags=["zz-many"])
    for i in range(8):
        make_article(f"Many {i}", tags=["zz-many"], when=dt.datetime(2032, 1, 1 + i, tzinfo=dt.timezone.utc))
    assert len(selectors.related_articles(base)) == 6


def test_an_article_without_a_date_gets_its_first_publication_time_and_keeps_it(section):
    from django.utils import timezone

    page = ArticlePage(title="Undated draft", slug="undated-draft", live=False)
    section("news").add_child(instance=page)
    page.save_revision()
    assert ArticlePage.objects.get(pk=page.pk).first_published is None
    before = timezone.now()
    page.get_latest_revision().publish()
    published = ArticlePage.objects.get(pk=page.pk).first_published
    assert published >= before
    # As in the admin: the editor edits the latest revision, whose date field was left empty.
    later = ArticlePage.objects.get(pk=page.pk).get_latest_revision().as_object()
    assert later.first_published is None
    later.dek = "Corrected."
    later.save_revision().publish()
    assert ArticlePage.objects.get(pk=page.pk).first_published == published
