"""The wire monitor as an editor sees it: new agency items become wire briefs, once; the same
story from a second agency is grouped; a broken feed says what is wrong and the others go on."""

import datetime as dt

import pytest
from django.test import override_settings

from rightsdesk.newsroom import selectors
from rightsdesk.newsroom.models import BriefPage
from rightsdesk.wire.models import WireFeed, WireItem
from rightsdesk.wire.monitor import check_feeds

SHIRAZ = "Shiraz court jails two teachers' union organisers for five years"
SHIRAZ_REWRITE = "Two Fars teachers' union organisers sentenced to five years by Shiraz court"
STRIKE = "Teachers' union calls a national strike over pay"
BUS = "Shiraz court sentences bus drivers' union leader to prison"


def briefs_of(feed):
    return BriefPage.objects.filter(pk__in=feed.items.exclude(brief=None).values("brief"))


def test_new_items_become_briefs_credited_to_the_agency_with_link_and_excerpt(feed_server, make_feed, section):
    feed = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"), "Northwire")
    [report] = check_feeds([feed])
    assert (report.new, report.grouped, report.seen, report.skipped, report.error) == (3, 0, 0, 1, "")
    brief = BriefPage.objects.get(title=SHIRAZ)
    assert brief.credited_title == f"Northwire: {SHIRAZ}"
    assert brief.original_url == "http://127.0.0.1/northwire/2026/11/shiraz-teachers-jailed"
    assert brief.get_parent().pk == section("wire").pk
    assert brief.locale_id == section("wire").locale_id
    assert brief.live and brief.get_latest_revision() is not None
    assert brief.date == dt.datetime(2026, 11, 2, 7, 30, tzinfo=dt.timezone.utc)
    # A plain-text excerpt of about 40 words: no tags, entities decoded, cut with an ellipsis.
    assert brief.text.startswith("A revolutionary court in Shiraz sentenced Maryam Tavakoli")
    assert "<" not in brief.text and "&amp;" not in brief.text
    assert brief.text.endswith("...") and len(brief.text.split()) == 40
    assert not BriefPage.objects.filter(title__icontains="no link").exists()
    feed.refresh_from_db()
    assert feed.last_error == "" and feed.error_count == 0 and feed.last_success_at is not None
    assert feed.item_count() == 3 and feed.brief_count() == 3


def test_atom_entries_with_content_instead_of_summary(feed_server, make_feed):
    feed = make_feed(feed_server.serve("/south.atom", fixture="southdesk.atom"), "Southdesk")
    [report] = check_feeds([feed])
    assert report.new == 3 and not report.error
    strike = BriefPage.objects.get(title=STRIKE)
    assert strike.text.startswith("The council of teachers' unions asked members")
    assert strike.original_url == "http://127.0.0.1/southdesk/items/5540"
    assert BriefPage.objects.get(title=SHIRAZ_REWRITE).date == dt.datetime(2026, 11, 2, 8, 5, tzinfo=dt.timezone.utc)


def test_a_feed_set_to_drafts_makes_unpublished_briefs_an_editor_can_publish(feed_server, make_feed, homes):
    feed = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"), publish=False)
    check_feeds([feed])
    drafts = briefs_of(feed)
    assert drafts.count() == 3
    assert not drafts.filter(live=True).exists()
    assert not selectors.published_briefs(homes["en"].locale_id).filter(pk__in=drafts).exists()
    draft = drafts.get(title=SHIRAZ)
    draft.get_latest_revision().publish()
    assert selectors.published_briefs(homes["en"].locale_id).filter(pk=draft.pk).exists()


def test_published_briefs_appear_in_must_read_on_the_front_page(feed_server, make_feed, homes, client):
    home = homes["en"]
    home.must_read_items.all().delete()  # no editor's picks: the newest briefs are shown
    feed = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"))
    check_feeds([feed])
    assert SHIRAZ in [page.title for page in selectors.must_read(home)]
    html = client.get("/").content.decode()
    must_read = html.split('id="must-read"', 1)[1].split("</section>", 1)[0]
    assert '<span class="agency">Northwire:</span>' in must_read
    assert "Water shortage protests reach three towns in Khuzestan" in must_read


def test_a_second_check_adds_nothing(feed_server, make_feed):
    feed = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"))
    check_feeds([feed])
    count = BriefPage.objects.count()
    [report] = check_feeds([feed])
    assert (report.new, report.seen, report.grouped) == (0, 3, 0)
    assert BriefPage.objects.count() == count
    assert WireItem.objects.filter(feed=feed).count() == 3


def test_the_same_link_in_a_second_feed_is_not_added_again(feed_server, make_feed):
    first = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"), "Northwire")
    second = make_feed(feed_server.serve("/copy.rss", fixture="northwire.rss"), "Northwire, second address")
    check_feeds([first])
    [report] = check_feeds([second])
    assert (report.new, report.seen) == (0, 3)


def test_not_modified_feed_sends_the_conditional_headers_and_adds_nothing(feed_server, make_feed):
    stamp = "Mon, 02 Nov 2026 12:00:00 GMT"
    url = feed_server.serve("/etag.rss", fixture="northwire.rss", etag='"v1-abc"', last_modified=stamp)
    feed = make_feed(url)
    check_feeds([feed])
    feed.refresh_from_db()
    assert (feed.etag, feed.last_modified) == ('"v1-abc"', stamp)
    count = WireItem.objects.count()
    [report] = check_feeds([feed])
    assert report.not_modified and report.ok and report.line().endswith("not modified since the last check")
    first, second = feed_server.headers_of("/etag.rss")
    assert "If-None-Match" not in first
    assert second["If-None-Match"] == '"v1-abc"' and second["If-Modified-Since"] == stamp
    assert second["User-Agent"].startswith("rightsdesk/") and "wire monitor" in second["User-Agent"]
    assert WireItem.objects.count() == count


def test_last_modified_alone_is_enough_for_a_304(feed_server, make_feed):
    stamp = "Tue, 03 Nov 2026 06:00:00 GMT"
    feed = make_feed(feed_server.serve("/lm.rss", fixture="northwire.rss", last_modified=stamp))
    check_feeds([feed])
    [report] = check_feeds([feed])
    assert report.not_modified
    assert feed_server.headers_of("/lm.rss")[1]["If-Modified-Since"] == stamp


def test_same_story_from_another_agency_is_grouped_not_published_twice(feed_server, make_feed):
    first = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"), "Northwire")
    second = make_feed(feed_server.serve("/south.atom", fixture="southdesk.atom"), "Southdesk")
    reports = check_feeds([first, second])
    assert (reports[1].new, reports[1].grouped) == (2, 1)
    assert "1 grouped as duplicate" in reports[1].line()
    rewrite = WireItem.objects.get(feed=second, title=SHIRAZ_REWRITE)
    original = WireItem.objects.get(feed=first, title=SHIRAZ)
    assert rewrite.duplicate_of == original and rewrite.brief is None
    assert list(original.duplicates.all()) == [rewrite]
    assert not BriefPage.objects.filter(title=SHIRAZ_REWRITE).exists()
    assert BriefPage.objects.filter(title__in=[SHIRAZ, SHIRAZ_REWRITE]).count() == 1


def test_the_brief_names_the_other_agencies_that_reported_the_story(feed_server, make_feed, client):
    first = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"), "Northwire")
    second = make_feed(feed_server.serve("/south.atom", fixture="southdesk.atom"), "Southdesk")
    check_feeds([first, second])
    brief = WireItem.objects.get(feed=first, title=SHIRAZ).brief
    rewrite = WireItem.objects.get(feed=second, title=SHIRAZ_REWRITE)
    html = client.get(brief.url).content.decode()
    assert "Also reported by" in html and f'<a href="{rewrite.link}"' in html and ">Southdesk</a>" in html
    other = WireItem.objects.get(feed=second, title=STRIKE).brief
    assert "Also reported by" not in client.get(other.url).content.decode()


def test_other_stories_on_the_same_topic_are_not_grouped(feed_server, make_feed):
    first = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"), "Northwire")
    second = make_feed(feed_server.serve("/south.atom", fixture="southdesk.atom"), "Southdesk")
    check_feeds([first, second])
    for title in (STRIKE, BUS):  # same union, same court: different stories
        item = WireItem.objects.get(feed=second, title=title)
        assert item.duplicate_of is None and item.brief.live


def test_grouping_works_across_separate_runs(feed_server, make_feed):
    first = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"), "Northwire")
    second = make_feed(feed_server.serve("/south.atom", fixture="southdesk.atom"), "Southdesk")
    check_feeds([first])
    [report] = check_feeds([second])  # the index is rebuilt from the stored signatures
    assert report.grouped == 1
    assert WireItem.objects.get(title=SHIRAZ_REWRITE).duplicate_of.title == SHIRAZ


BROKEN_FEED = b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Cut off<item><title>Half'
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4
HTML_PAGE = b"<!DOCTYPE html><html><head><title>News</title></head><body><p>Our news <b>page</p></body></html>"


@pytest.mark.parametrize(
    "setup, expected",
    [
        (lambda s, port: s.serve("/broken.rss", BROKEN_FEED), "is not an RSS or Atom feed: not readable as XML: no element found"),
        (lambda s, port: s.serve("/json.rss", b'{"items": []}', content_type="application/json"), "not readable as XML"),
        (lambda s, port: s.serve("/empty-answer.rss", b""), "the server sent an empty answer"),
        (lambda s, port: s.serve("/page.html", HTML_PAGE, content_type="text/html"), "it is a web page"),
        (lambda s, port: s.url("/missing.rss"), "the server answered 404 Not Found: check the URL in Wire feeds"),
        (lambda s, port: s.serve("/down.rss", b"", status=503), "503 Service Unavailable: try again later"),
        (lambda s, port: f"http://127.0.0.1:{port}/feed.rss", "cannot connect (Connection refused)"),
        (lambda s, port: s.serve("/big.rss", b"<rss>" + b" " * 12_000 + b"</rss>"), "larger than the limit of 10,000 bytes"),
        (lambda s, port: s.serve("/big-streamed.rss", b"<rss>" + b" " * 12_000, send_length=False),
         "larger than the limit of 10,000 bytes"),
        (lambda s, port: s.serve("/image.rss", PNG, content_type="image/png"), "the server sent image/png"),
        (lambda s, port: s.serve("/junk.rss", PNG, content_type="application/rss+xml"), "binary content"),
        (lambda s, port: s.serve("/slow.rss", b"<rss/>", delay=3), "did not answer within 0.5 seconds"),
        (lambda s, port: s.serve("/trickle.rss", b"<rss>" + b" " * 20 + b"</rss>", trickle=0.2),
         "took more than 1.5 seconds to send the feed: try again later"),
    ],
    ids=["malformed", "json", "empty", "html-page", "404", "503", "unreachable", "oversize", "oversize-streamed", "image",
         "binary", "slow", "trickle"],
)
@override_settings(RIGHTSDESK_WIRE_MAX_BYTES=10_000, RIGHTSDESK_WIRE_TIMEOUT=0.5)
def test_a_bad_feed_records_a_clear_error_and_the_others_go_on(feed_server, make_feed, unused_port, setup, expected):
    bad = make_feed(setup(feed_server, unused_port), "Badwire")
    good = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"), "Northwire")
    bad_report, good_report = check_feeds([bad, good])
    assert expected in bad_report.error
    assert "\n" not in bad_report.error
    assert bad_report.line().startswith(f"Badwire ({bad.url}): ")
    assert good_report.ok and good_report.new == 3
    bad.refresh_from_db()
    assert bad.last_error == bad_report.error and bad.error_count == 1
    assert bad.last_success_at is None and bad.items.count() == 0
    assert bad.status.startswith("failing: ")


def test_an_error_is_cleared_by_the_next_good_check(feed_server, make_feed):
    feed = make_feed(feed_server.url("/later.rss"))
    check_feeds([feed])
    check_feeds([feed])
    feed.refresh_from_db()
    assert feed.error_count == 2 and "404" in feed.last_error
    feed_server.serve("/later.rss", fixture="northwire.rss")
    [report] = check_feeds([feed])
    feed.refresh_from_db()
    assert report.new == 3 and feed.last_error == "" and feed.error_count == 0 and feed.status == "OK"


def test_a_feed_without_a_section_says_to_choose_one(feed_server, make_feed):
    feed = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"))
    WireFeed.objects.filter(pk=feed.pk).update(section=None)
    feed.refresh_from_db()
    [report] = check_feeds([feed])
    assert "has no section" in report.error and "choose one in Wire feeds" in report.error
    assert not feed_server.requests


def test_an_empty_but_valid_feed_is_fine(feed_server, make_feed):
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    feed = make_feed(feed_server.serve("/empty.rss", empty))
    [report] = check_feeds([feed])
    assert report.ok and report.new == 0


def test_a_failure_while_writing_keeps_whole_items_and_retries_the_rest(feed_server, make_feed, monkeypatch):
    """A full disk in the middle of a feed: the items written are whole (item and brief), the one
    that failed left nothing behind, and the feed's ETag is not stored, so the next check fetches
    and adds the rest."""
    from django.db import OperationalError

    from rightsdesk.wire import monitor

    url = feed_server.serve("/northwire.rss", fixture="northwire.rss", etag='"v1"')
    feed = make_feed(url)
    real, calls = monitor.make_brief, []

    def failing(feed, entry):
        calls.append(entry.title)
        if len(calls) == 2:
            real(feed, entry)  # the brief is written, then the disk fills up
            raise OperationalError("database or disk is full")
        return real(feed, entry)

    monkeypatch.setattr(monitor, "make_brief", failing)
    with pytest.raises(OperationalError):
        check_feeds([feed])
    assert WireItem.objects.filter(feed=feed).count() == 1
    assert not BriefPage.objects.filter(title=calls[1]).exists()
    feed.refresh_from_db()
    assert feed.etag == "" and "free disk space" in feed.last_error
    monkeypatch.setattr(monitor, "make_brief", real)
    [report] = check_feeds([feed])
    assert (report.new, report.seen) == (2, 1)
    assert BriefPage.objects.filter(title=calls[1]).count() == 1


def test_unusable_links_are_skipped_and_future_dates_are_not_kept(feed_server, make_feed):
    from django.utils import timezone

    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Odd items</title>
    <item><title>Dated in the future by a wrong clock</title><link>http://127.0.0.1/odd/future</link>
      <pubDate>Sat, 01 Jan 2099 00:00:00 GMT</pubDate><description>Still a story.</description></item>
    <item><title>A link with a script</title><link>javascript:alert(1)</link></item>
    <item><title>A link with a space</title><link>http://exa mple.org/story</link></item>
    </channel></rss>"""
    feed = make_feed(feed_server.serve("/odd.rss", body))
    before = timezone.now()
    [report] = check_feeds([feed])
    assert (report.new, report.skipped) == (1, 2)
    brief = BriefPage.objects.get(title="Dated in the future by a wrong clock")
    assert before <= brief.date <= timezone.now()
    assert brief.text == "Still a story."


def test_a_persian_feed_makes_persian_briefs_in_the_persian_wire_section(feed_server, make_feed, homes, section):
    body = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>خبرگزاری آزمایشی</title>
    <item><title>دادگاه شیراز دو عضو کانون صنفی معلمان را به زندان محکوم کرد</title>
      <link>http://127.0.0.1/fa/1</link><pubDate>Mon, 02 Nov 2026 07:30:00 GMT</pubDate>
      <description>وکیل این دو معلم گفت که حکم پنج سال زندان برای هر یک صادر شده و به آن اعتراض خواهند کرد.</description></item>
    </channel></rss>""".encode()
    feed = make_feed(feed_server.serve("/fa.rss", body), "خبرگزاری آزمایشی", language="fa")
    [report] = check_feeds([feed])
    assert report.new == 1
    brief = briefs_of(feed).get()
    assert brief.locale_id == homes["fa"].locale_id and brief.get_parent().pk == section("wire", "fa").pk
    assert brief.slug.startswith("dadgh") or brief.slug.startswith("ddgh")  # transliterated, not "brief"
    homes["fa"].must_read_items.all().delete()
    assert brief.pk in [page.pk for page in selectors.must_read(homes["fa"])]
