"""`rightsdesk monitor`: poll the wire feeds configured in the admin (Wire feeds).

One line per feed; exit status 0 when every feed was read, 1 when any feed had an error (the
error is also shown on the feed in the admin), 2 when the monitor cannot run at all.
"""

import json
import signal
import sys
import time

from rightsdesk.console import CommandError, setup_django


def register(verbs):
    p = verbs.add_parser(
        "monitor", help="poll the wire feeds and add their new items as wire briefs",
        description="Check every active feed of Wire feeds (admin) with a conditional GET and make each new "
        "item a wire brief credited 'Agency: title', published or as a draft as the feed says. Items seen before "
        "are not added again; the same story from another agency is grouped with the first. Exit status: 0 all "
        "feeds read, 1 a feed had an error, 2 the monitor could not run.",
    )
    p.add_argument("--once", action="store_true", help="check once and exit (for cron or a systemd timer)")
    p.add_argument("--interval", type=int, default=900, metavar="SECONDS",
                   help="seconds between checks when running continuously (default 900)")
    p.add_argument("--feed", type=int, metavar="ID", help="check only this feed (its number in the admin)")
    p.add_argument("--json", action="store_true", help="one JSON object per feed and check")
    p.set_defaults(func=cmd_monitor)


def _feeds(feed_id):
    from django.db import DatabaseError

    from .monitor import feeds_to_check

    try:
        feeds = feeds_to_check(feed_id)
    except DatabaseError as exc:
        raise CommandError(f"cannot read the wire feeds from the database ({exc}): run `rightsdesk init` "
                           "(or `rightsdesk manage migrate`) first, and check DATABASE_URL") from None
    if feed_id is not None and not feeds:
        raise CommandError(f"there is no wire feed {feed_id}: see the numbers in the admin under Wire feeds")
    return feeds


def _show(report, as_json):
    """A feed's line as soon as it is checked: standard output, or standard error for an error."""
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False), flush=True)
    elif report.ok:
        print(report.line(), flush=True)
    else:
        print(f"rightsdesk: error: {report.line()}", file=sys.stderr, flush=True)


def run_once(args):
    """One round over the feeds; the exit status of that round."""
    from django.db import DatabaseError

    from .monitor import check_feeds

    feeds = _feeds(args.feed)
    if not feeds:
        print("rightsdesk: note: no active wire feeds: add one in the admin under Wire feeds", file=sys.stderr)
        return 0
    try:
        reports = check_feeds(feeds, on_report=lambda report: _show(report, args.json))
    except DatabaseError as exc:
        raise CommandError(f"cannot write to the database ({' '.join(str(exc).split())}): free disk space or check "
                           "the database, then run the monitor again; items already written are complete") from None
    return 0 if all(report.ok for report in reports) else 1


def _stop(signum, frame):
    raise KeyboardInterrupt


def cmd_monitor(args):
    setup_django()
    if args.once:
        return run_once(args)
    if args.interval < 1:
        raise CommandError("--interval must be at least 1 second")
    for signum in (signal.SIGINT, signal.SIGTERM):  # Ctrl+C, and systemd stopping the service
        signal.signal(signum, _stop)
    status = 0
    try:
        while True:
            status = run_once(args)
            time.sleep(args.interval)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
    return status
