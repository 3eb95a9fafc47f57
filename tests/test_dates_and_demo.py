"""Persian (Jalali) dates, and the demo content a newcomer sees."""

import datetime as dt
import shutil

import pytest

from rightsdesk.demo.loader import CONTENT_DIR, DemoContentError, load_demo, parse_body
from rightsdesk.newsroom.models import ArticlePage, Author, BriefPage, NewsImage, SiteIdentity
from rightsdesk.newsroom.templatetags.newsroom_tags import format_date


@pytest.mark.parametrize(
    "day, english, persian",
    [
        (dt.date(2022, 1, 28), "28 January 2022", "۸ بهمن ۱۴۰۰"),
        (dt.date(2023, 3, 21), "21 March 2023", "۱ فروردین ۱۴۰۲"),  # Nowruz
        (dt.date(1988, 7, 19), "19 July 1988", "۲۸ تیر ۱۳۶۷"),
        (dt.date(2026, 11, 27), "27 November 2026", "۶ آذر ۱۴۰۵"),
    ],
)
def test_dates_in_both_calendars(day, english, persian):
    assert format_date(day, "en") == english
    assert format_date(day, "fa") == persian
    moment = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc)
    assert format_date(moment, "fa") == persian


def test_body_format_of_the_demo_files():
    blocks = parse_body("Para with **bold** and [a link](https://example.org/x).\n\n## Head\n\n"
                        "> Quoted words\n> -- Someone, role\n\n![Cap](image:map)")
    assert blocks[0] == ("paragraph", '<p>Para with <b>bold</b> and <a href="https://example.org/x">a link</a>.</p>')
    assert blocks[1] == ("heading", "Head")
    assert blocks[2] == ("quote", {"text": "Quoted words", "attribution": "Someone, role"})
    assert blocks[3] == ("image", {"key": "map", "caption": "Cap"})
    assert parse_body("<script>alert(1)</script>")[0][1] == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


@pytest.mark.django_db
def test_demo_content_has_what_the_issue_asks_for():
    en = ArticlePage.objects.live().filter(locale__language_code="en")
    fa = ArticlePage.objects.live().filter(locale__language_code="fa")
    assert en.count() >= 40
    assert len({a.get_parent().slug for a in en}) >= 4
    tags = {t.name for a in en for t in a.tags.all()}
    assert len(tags) >= 15
    dates = sorted(a.first_published for a in en)
    assert (dates[-1] - dates[0]).days >= 180
    briefs = BriefPage.objects.live()
    assert briefs.count() >= 6 and len(set(briefs.values_list("agency", flat=True))) >= 2
    assert fa.count() >= 6
    translated = [a for a in fa if a.get_translations().filter(locale__language_code="en").exists()]
    assert 2 <= len(translated) < fa.count()
    assert Author.objects.count() >= 3
    images = NewsImage.objects.exclude(credit="")
    assert images.count() >= 3
    assert ArticlePage.objects.exclude(lead_image=None).exclude(lead_image_caption="").count() >= 3
    assert "Sample content" in SiteIdentity.objects.get().notice


@pytest.mark.django_db
def test_demo_has_an_original_article_on_the_463_signatories_call():
    article = ArticlePage.objects.get(slug="un-experts-urge-1988-inquiry", locale__language_code="en")
    text = article.plain_text()
    assert "463" in article.dek + text
    assert article.first_published.date() == dt.date(2022, 1, 28)
    for fact in ("1988", "Human Rights Council", "London"):
        assert fact in text


@pytest.mark.django_db
def test_loading_the_demo_again_adds_nothing():
    before = (ArticlePage.objects.count(), BriefPage.objects.count(), Author.objects.count(), NewsImage.objects.count())
    report = load_demo(base_url="http://testserver/")
    assert report["created"] == 0
    after = (ArticlePage.objects.count(), BriefPage.objects.count(), Author.objects.count(), NewsImage.objects.count())
    assert after == before


@pytest.mark.django_db
def test_malformed_demo_content_is_reported_and_nothing_is_written(tmp_path):
    broken = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, broken)
    (broken / "en" / "99-broken.md").write_text('+++\nslug = "x"\ntitle = "unterminated\n+++\nText.\n', encoding="utf-8")
    (broken / "en" / "98-new.md").write_text(
        '+++\nslug = "would-be-new"\ntitle = "T"\nsection = "news"\ndate = 2024-01-01\n+++\nText.\n', encoding="utf-8")
    before = ArticlePage.objects.count()
    with pytest.raises(DemoContentError, match="99-broken.md"):
        load_demo(content_dir=broken)
    assert ArticlePage.objects.count() == before
    assert not ArticlePage.objects.filter(slug="would-be-new").exists()
