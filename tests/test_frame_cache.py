"""What every page shares (header, navigation, footer, tags, authors, privacy) is kept between
requests until something readers see changes: these check that a change still shows everywhere."""

import re

import pytest

pytestmark = pytest.mark.django_db


def html_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return response.content.decode()


def current_sections(html):
    """(section title, aria-current value) of the navigation links marked current."""
    nav = html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="[^"]*" aria-current="(\w+)">([^<]+)</a>', nav)


def test_each_page_marks_its_own_section_in_the_navigation(client, section, make_article):
    news, reports = section("news"), section("reports")
    article = make_article("Quince hearing adjourned", section_slug="reports")
    assert current_sections(html_of(client, news.url)) == [("page", news.title)]
    assert current_sections(html_of(client, article.url)) == [("true", reports.title)]
    assert current_sections(html_of(client, reports.url)) == [("page", reports.title)]
    assert current_sections(html_of(client, "/")) == []
    assert current_sections(html_of(client, news.url)) == [("page", news.title)]


def test_a_renamed_section_and_site_name_show_in_every_header(client, section):
    from rightsdesk.newsroom.models import SiteIdentity

    reports = section("reports")
    html_of(client, "/")
    html_of(client, reports.url)
    html_of(client, "/search/?q=quillwort")
    reports.title = "Investigations"
    reports.save_revision().publish()
    identity = SiteIdentity.objects.get()
    identity.organisation_name = "Quillwort Watch"
    identity.save()
    for url in ("/", section("news").url, "/archive/", "/search/?q=quillwort"):
        html = html_of(client, url)
        header = html.split("</header>", 1)[0]
        assert ">Investigations</a>" in header, url
        assert ">Quillwort Watch</a>" in header, url
        assert "Quillwort Watch" in html.split('class="site-footer"', 1)[1], url


def test_a_renamed_tag_shows_its_new_name_on_its_listing_and_articles(client, make_article):
    from taggit.models import Tag

    article = make_article("Sorrel ruling appealed", tags=["sorrel-case"])
    tag = Tag.objects.get(name="sorrel-case")
    assert "sorrel-case" in html_of(client, f"/tags/{tag.slug}/")
    assert 'rel="tag"' in html_of(client, article.url)
    tag.name = "The Sorrel case"
    tag.save()
    assert "The Sorrel case" in html_of(client, f"/tags/{tag.slug}/")
    footer = html_of(client, article.url).split('class="article-footer"', 1)[1]
    assert ">The Sorrel case</a>" in footer
    tag.delete()
    html_of(client, f"/tags/{tag.slug}/", status=404)


def test_a_private_section_asks_for_its_password_until_the_restriction_is_lifted(client, section, make_article):
    from wagtail.models import PageViewRestriction

    article = make_article("Tansy briefing for members", section_slug="analysis", body_text="Tansy evidence.")
    assert "Tansy evidence." in html_of(client, article.url)
    restriction = PageViewRestriction.objects.create(
        page=section("analysis"), restriction_type="password", password="s3cret-pass"
    )
    html = html_of(client, article.url)
    assert "Tansy evidence." not in html
    assert 'name="password"' in html
    restriction.delete()
    assert "Tansy evidence." in html_of(client, article.url)
