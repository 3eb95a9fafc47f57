"""`rightsdesk monitor` run in-process on the test database: one line per feed, exit statuses,
one-line errors that say what to do."""

import json

import pytest

from rightsdesk.cli import build_parser, main
from rightsdesk.newsroom.models import BriefPage


def lines(text):
    return [line for line in text.splitlines() if line.strip()]


def test_monitor_is_listed_with_its_options():
    assert "monitor" in build_parser().format_help()
    with pytest.raises(SystemExit):
        main(["monitor", "--help"])


def test_once_prints_one_line_per_feed_and_exits_0(feed_server, make_feed, capsys):
    north = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"), "Northwire")
    south = make_feed(feed_server.serve("/south.atom", fixture="southdesk.atom"), "Southdesk")
    assert main(["monitor", "--once"]) == 0
    out, err = capsys.readouterr()
    assert lines(out) == [
        f"Northwire ({north.url}): 3 new, 0 grouped as duplicates, 0 seen, 1 skipped (no title or link)",
        f"Southdesk ({south.url}): 2 new, 1 grouped as duplicate, 0 seen",
    ]
    assert err == ""
    assert main(["monitor", "--once"]) == 0
    assert lines(capsys.readouterr().out)[1] == f"Southdesk ({south.url}): 0 new, 0 grouped as duplicates, 3 seen"


def test_a_failing_feed_is_a_one_line_error_exit_1_and_the_others_still_run(feed_server, make_feed, capsys):
    good = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"), "Northwire")
    bad = make_feed(feed_server.url("/gone.rss"), "Badwire")
    assert main(["monitor", "--once"]) == 1
    out, err = capsys.readouterr()
    assert lines(err) == [
        f"rightsdesk: error: Badwire ({bad.url}): the server answered 404 Not Found: check the URL in Wire feeds"
    ]
    assert lines(out) == [f"Northwire ({good.url}): 3 new, 0 grouped as duplicates, 0 seen, 1 skipped (no title or link)"]
    assert BriefPage.objects.filter(agency="Northwire").count() == 3


def test_json_gives_one_object_per_feed(feed_server, make_feed, unused_port, capsys):
    good = make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"), "Northwire")
    bad = make_feed(f"http://127.0.0.1:{unused_port}/feed.rss", "Badwire")
    assert main(["monitor", "--once", "--json"]) == 1
    rows = {row["agency"]: row for row in map(json.loads, lines(capsys.readouterr().out))}
    assert rows["Northwire"]["status"] == "ok" and rows["Northwire"]["new"] == 3
    assert len(rows["Northwire"]["briefs"]) == 3 and rows["Northwire"]["feed"] == good.pk
    assert rows["Badwire"]["status"] == "error" and "cannot connect" in rows["Badwire"]["error"]
    assert rows["Badwire"]["feed"] == bad.pk


def test_feed_option_checks_that_feed_only_even_when_inactive(feed_server, make_feed, capsys):
    make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"), "Northwire")
    paused = make_feed(feed_server.serve("/south.atom", fixture="southdesk.atom"), "Southdesk", active=False)
    assert main(["monitor", "--once"]) == 0
    assert "Southdesk" not in capsys.readouterr().out
    assert main(["monitor", "--once", "--feed", str(paused.pk)]) == 0
    assert lines(capsys.readouterr().out) == [f"Southdesk ({paused.url}): 2 new, 1 grouped as duplicate, 0 seen"]


def test_unknown_feed_is_a_one_line_error_exit_2(db, capsys):
    assert main(["monitor", "--once", "--feed", "999999"]) == 2
    assert lines(capsys.readouterr().err) == [
        "rightsdesk: error: there is no wire feed 999999: see the numbers in the admin under Wire feeds"
    ]


def test_no_feeds_says_where_to_add_them(db, capsys):
    assert main(["monitor", "--once"]) == 0
    assert "add one in the admin under Wire feeds" in capsys.readouterr().err


def test_a_full_disk_is_a_one_line_error_exit_2(feed_server, make_feed, monkeypatch, capsys):
    from django.db import OperationalError

    from rightsdesk.wire import monitor

    make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"))

    def full(feed, entry):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(monitor, "make_brief", full)
    assert main(["monitor", "--once"]) == 2
    [line] = lines(capsys.readouterr().err)
    assert line.startswith("rightsdesk: error: cannot write to the database (database or disk is full): free disk space")
    assert not BriefPage.objects.filter(agency="Northwire").exists()


def test_running_continuously_checks_then_sleeps_and_stops_cleanly(feed_server, make_feed, monkeypatch, capsys):
    import signal
    import time

    make_feed(feed_server.serve("/northwire.rss", fixture="northwire.rss"))
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        if len(slept) == 2:
            raise KeyboardInterrupt  # Ctrl+C during the second wait

    monkeypatch.setattr(time, "sleep", sleep)
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    assert main(["monitor", "--interval", "60"]) == 0
    out, err = capsys.readouterr()
    assert slept == [60, 60]
    assert [line.split(": ", 1)[1] for line in lines(out)] == [
        "3 new, 0 grouped as duplicates, 0 seen, 1 skipped (no title or link)",
        "0 new, 0 grouped as duplicates, 3 seen, 1 skipped (no title or link)",
    ]
    assert err.strip() == "Stopped."


def test_a_malformed_size_limit_is_a_one_line_error(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RIGHTSDESK_", "DATABASE_URL"))}
    env.update(RIGHTSDESK_DATA_DIR=str(tmp_path), RIGHTSDESK_WIRE_MAX_BYTES="5MB")
    result = subprocess.run([str(Path(sys.executable).parent / "rightsdesk"), "monitor", "--once"], env=env,
                            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert lines(result.stderr) == [
        "rightsdesk: error: RIGHTSDESK_WIRE_MAX_BYTES='5MB' is not a positive number: set it to e.g. 5000000, or unset it"
    ]
