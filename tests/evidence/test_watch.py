"""Watched sources: re-captured on a schedule; a change, a removal (404, 410), removed words and
a redirect elsewhere are recorded in the custody log and shown in the admin with the difference;
a removed source is flagged on the articles that cite it."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from rightsdesk.cli import main
from rightsdesk.evidence import watch
from rightsdesk.evidence.importing import as_article
from rightsdesk.evidence.models import WatchedSource

from .conftest import Handler, _redirect, _send

pytestmark = pytest.mark.django_db

PAGE = ("<html><head><title>Prison statement (sample)</title></head><body><article><h1>Prison statement</h1>"
        "<p>This is sample text written for the rightsdesk watch tests. {0}</p>"
        "<p>The statement says that forty prisoners were moved to the central prison in the spring.</p>"
        "<p>It was published by a sample organisation and is quoted in the tests only.</p></article></body></html>")


@pytest.fixture
def changing(monkeypatch):
    state = {"version": "The authorities confirmed the transfer on Monday.", "status": 200}

    def route(handler):
        if state["status"] != 200:
            _send(handler, b"<p>Not here</p>", status=state["status"])
        else:
            _send(handler, PAGE.format(state["version"]).encode())

    monkeypatch.setitem(Handler.routes, "/watched.html", route)
    monkeypatch.setitem(Handler.routes, "/moving.html", lambda h: _send(h, PAGE.format("First place.").encode()))
    monkeypatch.setitem(Handler.routes, "/elsewhere.html", lambda h: _send(h, b"<p>Another site's front page</p>"))
    return state


def run_watch(capsys, *args):
    status = main(["watch", *args, "--json"])
    return status, json.loads(capsys.readouterr().out)


def test_a_watched_page_that_changes_then_disappears(web, changing, evidence_store, capsys, client,
                                                     django_user_model, make_article):
    url = web + "/watched.html"
    assert main(["watch", "--add", url, "--every", "6", "--text", "forty prisoners were moved"]) == 0
    capsys.readouterr()
    status, results = run_watch(capsys)
    assert results[0]["outcome"] == "same" and results[0]["capture"]
    first_capture = results[0]["capture"]
    # Not due again before six hours.
    assert run_watch(capsys)[1] == []
    # An article imported from the capture cites it.
    from rightsdesk.evidence.models import Capture

    article = as_article(Capture.objects.get(pk=first_capture), section_slug="news").obj

    changing["version"] = "The authorities denied the transfer on Tuesday."
    status, results = run_watch(capsys, "--all")
    assert results[0]["outcome"] == "changed"
    source = WatchedSource.objects.get(url=url)
    check = source.checks.first()
    assert "-This is sample text written for the rightsdesk watch tests. The authorities confirmed" in check.diff
    assert "+This is sample text written for the rightsdesk watch tests. The authorities denied" in check.diff
    assert watch.removed_citations_for_page(article) == []

    changing["status"] = 404
    WatchedSource.objects.update(last_checked=timezone.now() - dt.timedelta(hours=7))
    status, results = run_watch(capsys)
    assert results[0]["outcome"] == "gone" and results[0]["status"] == 404
    changing["status"] = 410
    assert run_watch(capsys, "--all")[1][0]["status"] == 410

    entries = [e for _, _, e in evidence_store.entries() if e["action"] == "watch"]
    assert [e["outcome"] for e in entries] == ["same", "changed", "gone", "gone"]
    # The article that cites it is flagged, through the evidence app's public function.
    assert [s.url for s in watch.removed_citations_for_page(article)] == [url]
    pages, figures = watch.citing(WatchedSource.objects.get(url=url))
    assert article.pk in [p.pk for p in pages]

    # The admin shows the state, the citing article and the difference.
    admin = django_user_model.objects.create_superuser("watcher", "w@example.org", "pw-for-tests-only")
    client.force_login(admin)
    listing = client.get("/admin/evidence/watched/").content.decode()
    assert "Removed (404 or 410)" in listing and article.title in listing
    detail = client.get(f"/admin/evidence/watched/{WatchedSource.objects.get(url=url).pk}/").content.decode()
    assert "Cited and since removed" in detail and "HTTP 410" in detail
    assert "The authorities denied the transfer on Tuesday." in detail
    capture_page = client.get(f"/admin/evidence/{first_capture}/").content.decode()
    assert "Removed since it was captured" in capture_page


def test_removed_words_and_a_redirect_elsewhere(web, changing, monkeypatch, capsys):
    watch.add(web + "/watched.html", watch_text="forty prisoners were moved")
    watch.add(web + "/moving.html")
    assert [r["outcome"] for r in run_watch(capsys)[1]] == ["same", "same"]
    monkeypatch.setitem(Handler.routes, "/watched.html", lambda h: _send(h, PAGE.format("x").replace(
        "forty prisoners were moved", "some people were seen").encode()))
    monkeypatch.setitem(Handler.routes, "/moving.html", _redirect("/elsewhere.html", 301))
    outcomes = {r["url"]: r for r in run_watch(capsys, "--all")[1]}
    assert outcomes[web + "/watched.html"]["outcome"] == "text-removed"
    assert outcomes[web + "/moving.html"]["outcome"] == "redirected"
    assert outcomes[web + "/moving.html"]["detail"] == f"now redirects to {web}/elsewhere.html"


def test_bad_watch_input_is_one_line(capsys):
    assert main(["watch", "--add", "ftp://example.org/x"]) == 1
    err = capsys.readouterr().err
    assert "not a web address" in err and len(err.strip().splitlines()) == 1
