"""`rightsdesk cases import|stats|duplicates|export|reconcile`."""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

from rightsdesk.console import CommandError, setup_django


def _db_error(exc):
    return CommandError(f"cannot read the database ({exc}): run `rightsdesk init` or `rightsdesk demo` first")


def cmd_import(args):
    setup_django()
    from django.db.utils import DatabaseError

    from . import importing

    try:
        result = importing.import_file(args.file, dry_run=args.dry_run)
    except importing.FileError as exc:
        raise CommandError(str(exc), status=2) from None
    except DatabaseError as exc:
        raise _db_error(exc) from None
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        verb = "would be imported" if args.dry_run else "imported"
        print(f"{args.file}: {result.imported} rows {verb}, {result.unchanged} already there, "
              f"{len({r.row for r in result.rejected})} rejected.")
        for r in result.rejected:
            print(f"  row {r.row}, {r.column} = {r.value!r}: {r.reason}")
        if result.rejected:
            print("Fix the rejected rows in the file and import it again: rows already imported are not added twice.")
    return 1 if result.rejected else 0


def cmd_stats(args):
    setup_django()
    from django.db.utils import DatabaseError

    from . import stats

    try:
        counts = stats.count_by(args.by, calendar=args.calendar, act=args.act, status=args.status,
                                province=args.province, year=args.year)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    except DatabaseError as exc:
        raise _db_error(exc) from None
    if args.json:
        print(json.dumps(counts.as_dict(), ensure_ascii=False))
        return 0
    labels = stats.labels(args.by, list(counts.counts), args.calendar)
    width = max((len(labels[k]) for k in counts.counts), default=5)
    print(f"Records by {args.by} ({args.calendar} calendar): {counts.total} records")
    for key, n in counts.counts.items():
        print(f"  {labels[key]:<{width}}  {n:>7,}")
    if args.by in stats.MULTI:
        print("A record counts once under each of its " + ("charges." if args.by == "charge" else "reporters."))
    return 0


def cmd_duplicates(args):
    setup_django()
    from django.db.utils import DatabaseError

    from . import duplicates

    try:
        found = duplicates.candidates(threshold=args.min_score)
    except DatabaseError as exc:
        raise _db_error(exc) from None
    for c in found:
        if args.json:
            print(json.dumps(c.as_dict(), ensure_ascii=False))
        else:
            print(f"{c.record_ids[0]}  {c.record_ids[1]}  score {c.score}: {', '.join(c.reasons)}")
    if not args.json:
        print(f"{len(found)} candidate pairs. Merge them in the admin (Cases › Duplicates).", file=sys.stderr)
    return 0


def cmd_export(args):
    setup_django()
    from django.db.utils import DatabaseError

    from . import export

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".json"):
        raise CommandError(f"{out}: the file name must end in .csv or .json")
    if not out.parent.is_dir():
        raise CommandError(f"{out.parent}: no such folder: create it or write the file elsewhere")
    partial = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        count = export.write(partial, everything=args.all, fmt=out.suffix.lower().lstrip("."))
        os.replace(partial, out)
    except DatabaseError as exc:
        partial.unlink(missing_ok=True)
        raise _db_error(exc) from None
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CommandError(f"{out}: cannot write ({exc.strerror}): choose another place") from None
    if args.json:
        print(json.dumps({"records": count, "file": str(out)}))
    else:
        print(f"{count} records written to {out}" + ("" if args.all else
              " (shareable: internal records, anonymised names and confidential sources left out; --all for everything)."))
    return 0


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write YYYY-MM-DD") from None


def cmd_reconcile(args):
    setup_django()
    from . import stats

    start, end = _date(args.start), _date(args.end)
    result = stats.reconcile(start, end, act=args.act)
    if args.json:
        print(json.dumps({
            "total": result["total"],
            "organisations": [{
                "organisation": row["organisation"].name, "reported": row["reported"],
                "published": [pc.count for pc in row["published"]],
                "missing": [a.record_id for a in row["missing"]],
            } for row in result["organisations"]],
            "unreported": [a.record_id for a in result["unreported"]],
        }, ensure_ascii=False))
        return 0
    print(f"{start} to {end}: {result['total']} records in the desk.")
    for row in result["organisations"]:
        claimed = ", ".join(str(pc.count) for pc in row["published"]) or "none recorded"
        print(f"  {row['organisation'].name}: reported {row['reported']} of ours; published count {claimed}; "
              f"lacks {len(row['missing'])}")
    return 0


def register(verbs):
    from .fields import FIELDS

    p = verbs.add_parser("cases", help="the cases desk: import, statistics, duplicates, export",
                         description="One record per victim and act; statistics computed from them.")
    sub = p.add_subparsers(dest="cases_verb", metavar="COMMAND")
    sub.required = True

    c = sub.add_parser("import", help="import records from CSV or XLSX",
                       description="Import records (columns: record_id, name, name_fa, gender, age, act, date, calendar, "
                       "province, city, prison, charge, public, officially_announced, source_url, reported_by, notes). "
                       "Bad rows are rejected with row number (header = row 1), column, value and reason; good rows are "
                       "imported; importing the same file again adds nothing. Exit 0: every row imported or already "
                       "there; 1: some rows rejected; 2: the file cannot be read.")
    c.add_argument("file", metavar="FILE")
    c.add_argument("--dry-run", action="store_true", help="check every row, store nothing")
    c.add_argument("--json", action="store_true", help='print {"imported", "unchanged", "rejected": [...]}')
    c.set_defaults(func=cmd_import)

    c = sub.add_parser("stats", help="count records by a field",
                       description="Count the records not withdrawn (or with --status S) by a field. Months and years "
                       "count a record only when all of its date falls inside; others count as unknown.")
    c.add_argument("--by", required=True, choices=FIELDS, metavar="FIELD", help=", ".join(FIELDS))
    c.add_argument("--calendar", default="gregorian", choices=["gregorian", "jalali"])
    c.add_argument("--act", metavar="KIND", help="only this kind of act (execution, death-sentence, ...)")
    c.add_argument("--status", choices=["reported", "corroborated", "verified"], metavar="S",
                   help="only this verification status (reported, corroborated, verified)")
    c.add_argument("--province", metavar="CODE", help="only this province (its code, e.g. tehran)")
    c.add_argument("--year", metavar="YYYY", help="only this year of the chosen calendar")
    c.add_argument("--json", action="store_true", help='print {"by", "calendar", "counts", "total"}')
    c.set_defaults(func=cmd_stats)

    c = sub.add_parser("duplicates", help="list candidate duplicate pairs",
                       description="Pairs of records that may be the same act (other spellings, dates a few days "
                       "apart), with a score and the reasons. --json prints one object per pair per line.")
    c.add_argument("--min-score", type=int, default=70, help="lowest score listed (default 70)")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_duplicates)

    c = sub.add_parser("export", help="export records to CSV or JSON",
                       description="Write the records with their public addresses to OUT.csv or OUT.json (the CSV has "
                       "the import's columns). Shareable by default; --all writes everything the desk holds.")
    c.add_argument("out", metavar="OUT.csv|OUT.json")
    c.add_argument("--all", action="store_true", help="include internal/withdrawn records, names of anonymised "
                   "records, notes and confidential sources")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_export)

    c = sub.add_parser("reconcile", help="compare reporting organisations' counts with ours for a period",
                       description="For records whose whole date falls in FROM..TO: each organisation's reports and "
                       "published counts beside ours, and the records each one lacks.")
    c.add_argument("start", metavar="FROM", help="YYYY-MM-DD")
    c.add_argument("end", metavar="TO", help="YYYY-MM-DD")
    c.add_argument("--act", metavar="KIND")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_reconcile)
