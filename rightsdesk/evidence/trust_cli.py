"""The evidence desk's trust verbs: `timestamp`, `keys`, `watch`, and `verify --wacz`."""

from __future__ import annotations

import json

from rightsdesk.console import CommandError, run_migrations, setup_django


def _setup():
    setup_django()
    run_migrations()


def cmd_timestamp(args):
    _setup()
    from .store import StoreError
    from .timestamps import TimestampError, authorities, pending, stamp_log, stamp_pending

    if not authorities():
        raise CommandError("no timestamp authority is configured: set RIGHTSDESK_TSA_URLS to the address of one or "
                           "more RFC 3161 timestamp authorities", status=1)
    out = {}
    try:
        if args.pending or not args.log:
            out["pending"] = stamp_pending()
        if args.log:
            out["log"] = stamp_log()
    except (StoreError, TimestampError) as exc:
        raise CommandError(str(exc), status=1) from None
    if args.json:
        print(json.dumps(out))
    else:
        if "pending" in out:
            p = out["pending"]
            print(f"Timestamped {p['stamped']} capture token(s); {p['still_pending']} capture(s) still wait"
                  + (f" ({'; '.join(p['errors'])})" if p["errors"] else "") + ".")
        if "log" in out:
            lg = out["log"]
            print(f"Custody log entry {lg['entry']} stamped by {len(lg['stamped'])} authorit"
                  f"{'ies' if len(lg['stamped']) != 1 else 'y'}" + (f"; failed: {'; '.join(lg['errors'])}"
                                                                     if lg["errors"] else "") + ".")
    failed = ("log" in out and not out["log"]["stamped"]) or ("pending" in out and out["pending"]["still_pending"]
                                                              and args.pending)
    return 1 if failed or (not args.pending and not args.log and pending()) else 0


def cmd_keys(args):
    from .signing import SigningError, generate_key

    if not args.out:
        setup_django()  # the default place is in the data folder
    if args.action != "generate":
        raise CommandError("the only action is `generate`")
    try:
        info = generate_key(args.out, algorithm=args.algorithm)
    except SigningError as exc:
        raise CommandError(str(exc), status=1) from None
    if args.json:
        print(json.dumps(info))
    else:
        print(f"Wrote the private key {info['path']} (readable by its owner only; back it up offline).")
        print(f"Public key ({info['algorithm']}), to publish so recipients can check signatures:")
        print(f"  {info['public_key']}")
        print(f"  fingerprint (SHA-256 of the public key): {info['fingerprint']}")
        print(f"Use it: RIGHTSDESK_SIGNING_KEY={info['path']}")
    return 0


def cmd_verify_wacz(path, as_json, tsa_certs=None):
    from .signing import verify_wacz

    report = verify_wacz(path, tsa_certs)
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        for line in report["lines"]:
            print(line)
    return 0 if report["ok"] else 1


def cmd_watch(args):
    _setup()
    from . import watch

    try:
        if args.add:
            source = watch.add(args.add, every_hours=args.every, watch_text=args.text or "")
            print(f"Watching {source.url} every {source.every_hours} h.")
            return 0
        if args.list:
            for s in watch.WatchedSource.objects.all():
                print(f"{s.url}  every {s.every_hours} h  {s.get_state_display()}  last checked "
                      f"{s.last_checked:%Y-%m-%d %H:%M} UTC" if s.last_checked else f"{s.url}  every {s.every_hours} h  "
                      "not checked yet")
            return 0
        results = watch.run_due(force=args.all)
    except watch.WatchError as exc:
        raise CommandError(str(exc), status=1) from None
    if args.json:
        print(json.dumps([r.as_dict() for r in results]))
    else:
        for r in results:
            print(r.line())
        if not results:
            print("No watched source is due.")
    return 0


def register(verbs):
    p = verbs.add_parser(
        "timestamp", help="get RFC 3161 timestamps for captures still waiting, and for the custody log",
        description="Ask the timestamp authorities of RIGHTSDESK_TSA_URLS for a token over each capture's custody "
        "entry not yet stamped (--pending, the default), and/or over the custody log's latest entry (--log: run it "
        "daily, from cron or the worker, so the whole log is anchored outside the organisation). Exit status 1 when "
        "an authority did not answer (what was not stamped stays pending).",
    )
    p.add_argument("--pending", action="store_true", help="stamp every capture still waiting (the default)")
    p.add_argument("--log", action="store_true", help="stamp the custody log's latest entry")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_timestamp)

    p = verbs.add_parser(
        "keys", help="make the organisation's key that signs WACZ exports",
        description="`rightsdesk keys generate` writes a new private key (PEM, mode 600) and prints its public key. "
        "Set RIGHTSDESK_SIGNING_KEY to the file; to rotate, generate a new one and point the setting at it (keep "
        "publishing the old public key: packages signed with it still verify against it).",
    )
    p.add_argument("action", choices=["generate"])
    p.add_argument("--out", metavar="FILE", help="where to write the private key (default: "
                   "$RIGHTSDESK_DATA_DIR/keys/signing-<date>.pem)")
    p.add_argument("--algorithm", choices=["ecdsa-p384", "ed25519"], default="ecdsa-p384",
                   help="ecdsa-p384 (default: what the WACZ signing spec and ReplayWeb.page check) or ed25519")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_keys)

    p = verbs.add_parser(
        "watch", help="re-capture watched addresses and record what changed or disappeared",
        description="Without options: capture every watched source that is due (each has its own interval) and "
        "record in the custody log whether it is unchanged, changed, removed (404, 410), lost the watched text, "
        "or redirects elsewhere. Run it from cron or the worker (e.g. hourly).",
    )
    p.add_argument("--add", metavar="URL", help="watch this address")
    p.add_argument("--every", type=int, default=24, metavar="HOURS", help="with --add: how often (default 24)")
    p.add_argument("--text", help="with --add: words that must stay on the page")
    p.add_argument("--list", action="store_true", help="list the watched sources")
    p.add_argument("--all", action="store_true", help="check every active source now, due or not")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_watch)
