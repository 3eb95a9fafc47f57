"""The Wire feeds menu of the admin: feeds with their status, items read-only with their group,
and "Check now"."""

import pytest
from django.contrib.auth import get_user_model

from rightsdesk.wire.models import WireFeed, WireItem
from rightsdesk.wire.monitor import check_feeds


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("wire-editor", "wire@example.org", "not-used-here-123")
    client.force_login(user)
    return client


def test_an_editor_adds_a_feed_in_the_admin(admin_client, section):
    wire = section("wire")
    response = admin_client.post("/admin/snippets/wire/wirefeed/add/", {
        "url": "http://127.0.0.1:9/agency.rss", "agency": "Eastwire", "section": wire.pk,
        "publish_new_items": "on", "active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    feed = WireFeed.objects.get(agency="Eastwire")
    assert feed.section.pk == wire.pk and feed.publish_new_items and feed.active


def test_a_new_feed_keeps_items_as_drafts_unless_told(db):
    assert WireFeed._meta.get_field("publish_new_items").default is False


def test_the_feed_list_shows_the_last_error(admin_client, feed_server, make_feed):
    feed = make_feed(feed_server.url("/missing.rss"), "Badwire")
    check_feeds([feed])
    html = admin_client.get("/admin/snippets/wire/wirefeed/").content.decode()
    assert "Badwire" in html and "failing: the server answered 404 Not Found" in html and "Check now" in html


def test_items_are_listed_read_only_with_their_group(admin_client, feed_server, make_feed):
    first = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"), "Northwire")
    second = make_feed(feed_server.serve("/south.atom", fixture="southdesk.atom"), "Southdesk")
    check_feeds([first, second])
    response = admin_client.get("/admin/snippets/wire/wireitem/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "same story as Northwire: Shiraz court jails" in html.replace("&#x27;", "'")
    assert "published brief" in html
    assert "/admin/snippets/wire/wireitem/add/" not in html
    assert admin_client.get("/admin/snippets/wire/wireitem/add/").status_code in (302, 403)
    item = WireItem.objects.exclude(duplicate_of=None).get()
    assert admin_client.get(f"/admin/snippets/wire/wireitem/edit/{item.pk}/").status_code in (302, 403)
    assert admin_client.get(f"/admin/snippets/wire/wireitem/inspect/{item.pk}/").status_code == 200


def test_check_now_checks_one_feed_and_reports_it(admin_client, feed_server, make_feed):
    feed = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"), "Northwire")
    assert "Check Northwire now" in admin_client.get(f"/admin/wire/check/{feed.pk}/").content.decode()
    response = admin_client.post(f"/admin/wire/check/{feed.pk}/", follow=True)
    assert "3 new" in response.content.decode()
    assert feed.items.count() == 3


def test_check_now_needs_the_right_to_change_feeds(client, make_feed, feed_server):
    from django.contrib.auth.models import Permission

    feed = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"))
    user = get_user_model().objects.create_user("wire-reader", "reader@example.org", "not-used-here-123")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.post(f"/admin/wire/check/{feed.pk}/").status_code in (302, 403)
    assert feed.items.count() == 0 and not feed_server.requests
