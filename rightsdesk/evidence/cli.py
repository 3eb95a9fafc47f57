"""The evidence desk's verbs: capture, verify, export-evidence, import."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rightsdesk.console import CommandError, run_migrations, setup_django


def _setup():
    setup_django()
    run_migrations()


def _size(n):
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000


def _describe(result):
    c = result.capture
    if not result.stored:
        return (f"Already stored: the same bytes as capture {c.pk} (first captured "
                f"{c.captured_at:%Y-%m-%d %H:%M:%S} UTC). This capture event is recorded in the custody log; "
                "nothing was stored twice.")
    lines = [f"Captured {c.url} as capture {c.pk} at {c.captured_at:%Y-%m-%d %H:%M:%S} UTC."]
    for hop in c.redirects:
        lines.append(f"  redirect: {hop['url']} -> {hop['status']} {hop['location']}")
    if c.http_status:
        lines.append(f"  HTTP {c.http_status}, {c.content_type or 'no content type'}, {_size(c.payload_size)}")
    lines.append(f"  payload SHA-256    {c.payload_sha256}")
    lines.append(f"  WARC SHA-256       {c.warc_sha256}  ({_size(c.warc_size)})")
    if c.screenshot_sha256:
        lines.append(f"  screenshot SHA-256 {c.screenshot_sha256}")
    else:
        lines.append(f"  {c.screenshot_note or 'no screenshot'}")
    lines.append(f"  title: {c.title or '(none found)'}; {len(c.text.split())} words of text extracted")
    return "\n".join(lines)


def _as_json(result):
    c = result.capture
    return {"capture": c.pk, "stored": result.stored, "url": c.url, "requested_url": c.requested_url,
            "final_url": c.final_url, "redirects": c.redirects, "status": c.http_status,
            "captured_at": c.captured_at.isoformat(), "payload_sha256": c.payload_sha256,
            "warc_sha256": c.warc_sha256, "screenshot_sha256": c.screenshot_sha256 or None,
            "title": c.title, "event_captured_at": result.event.captured_at.isoformat()}


def _capture(args):
    from .capture import CaptureError, capture_file, capture_url

    screenshot = False if args.no_screenshot else None
    try:
        if args.file:
            return capture_file(args.file, original_url=args.url or "", note=args.note,
                                screenshot_wanted=screenshot, max_bytes=args.max_bytes)
        if not args.target:
            raise CommandError("give the URL to capture, or --file SAVED.html --url ORIGINAL_URL")
        return capture_url(args.target, note=args.note, screenshot_wanted=screenshot, max_bytes=args.max_bytes,
                           timeout=args.timeout, browser=False if args.no_browser else None)
    except CaptureError as exc:
        raise CommandError(str(exc), status=1) from None


def cmd_capture(args):
    if args.file and args.target:
        raise CommandError("give either a URL or --file, not both (the original address of a file goes in --url)")
    _setup()
    result = _capture(args)
    if args.file and not args.url:
        print("rightsdesk: note: no --url given: the original address of this file is not recorded", file=sys.stderr)
    print(json.dumps(_as_json(result)) if args.json else _describe(result))
    return 0


def cmd_verify(args):
    if getattr(args, "wacz", None):  # trust: a recipient's check of a WACZ package (no database needed)
        from .trust_cli import cmd_verify_wacz

        return cmd_verify_wacz(args.wacz, args.json, args.tsa_certs)
    _setup()
    from .verify import run

    result = run()
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        for line in result.human_lines():
            print(line)
    return 0 if result.ok else 1


def cmd_export(args):
    _setup()
    from .export import ExportError, captures_for, export
    from .store import StoreError

    try:
        captures = captures_for(capture_id=args.capture, article_slug=args.article, entity_id=args.entity)
        if args.out.lower().endswith(".wacz"):  # trust: a signed WACZ package
            from .wacz import export_wacz

            summary = export_wacz(captures, args.out)
        else:
            summary = export(captures, args.out)
    except (ExportError, StoreError) as exc:
        raise CommandError(str(exc), status=1) from None
    if summary.get("wacz"):
        print(summary["message"])
        return 0
    print(f"Wrote {summary['file']}: {len(summary['captures'])} capture(s), {summary['files']} files with their "
          f"SHA-256 in SHA256SUMS (check: unzip, then `sha256sum -c SHA256SUMS`; see README.txt inside). "
          f"Recorded as custody log entry {summary['custody_entry']}.")
    return 0


def cmd_import(args):
    _setup()
    from .capture import CaptureError, capture_file, capture_url
    from .importing import ImportRefused, import_capture
    from .models import Capture

    if args.capture is not None:
        capture = Capture.objects.filter(pk=args.capture).first()
        if capture is None:
            raise CommandError(f"there is no capture {args.capture}", status=1)
    elif not args.target:
        raise CommandError("give a URL, a file, or --capture ID")
    else:
        try:
            if Path(args.target).exists() or not args.target.startswith(("http://", "https://")):
                result = capture_file(args.target, original_url=args.url or "", screenshot_wanted=False
                                      if args.no_screenshot else None)
            else:
                result = capture_url(args.target, screenshot_wanted=False if args.no_screenshot else None,
                                     browser=False if args.no_browser else None)
        except CaptureError as exc:
            raise CommandError(str(exc), status=1) from None
        capture = result.capture
        print(("Captured as" if result.stored else "Already captured as") + f" capture {capture.pk} "
              f"(payload SHA-256 {capture.payload_sha256}).", file=sys.stderr)
    try:
        imported = import_capture(capture, as_=args.as_, section_slug=args.section)
    except ImportRefused as exc:
        raise CommandError(str(exc), status=1) from None
    if imported.kind == "source":
        source = imported.obj
        print(f"{'Created' if imported.created else 'Already a source:'} facts-desk source {source.pk}: "
              f"{source.label()} (capture {capture.pk}).")
        return 0
    page = imported.obj
    from django.conf import settings

    from rightsdesk.facts import lint

    edit = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + f"/admin/pages/{page.pk}/edit/"
    print(f"Created the draft article {page.pk} “{page.title}” in {page.get_parent().title} "
          f"({len(page.body.raw_data)} paragraphs), linked to capture {capture.pk}. Edit it at {edit}")
    if imported.needs_title:
        print("No headline was found in the saved page: the title is its first sentence; check it in the editor.")
    report = imported.report
    if report is not None and report.problems:
        print(f"Facts check: {len(report.problems)} finding(s), also shown in the editor:")
        for line in lint.human_lines(report, page.title):
            print("  " + line)
    else:
        print("Facts check: nothing to report.")
    return 0


def register(verbs):
    p = verbs.add_parser(
        "capture", help="store a web page as evidence (WARC, SHA-256, screenshot, custody log)",
        description="Load URL once in the capture browser (Debian's chromium; every request it makes is fetched by "
        "rightsdesk and recorded) and store every request and response in a WARC file named by its SHA-256, with "
        "the rendered page, a full-page screenshot and a PDF print of the same visit, the page's audio and video, "
        "and provenance (addresses, TLS certificates, request headers); the text comes from the rendered page. "
        "Without chromium, or with --no-browser, a plain fetch. Record the capture in the custody log. "
        "With --file, store a page saved by hand (HTML, text, Markdown or PDF). Exit "
        "status: 0 stored (or already stored), 1 the page could not be captured, 2 bad usage.",
    )
    p.add_argument("target", nargs="?", metavar="URL")
    p.add_argument("--file", metavar="SAVED", help="a page saved by hand (.html, .txt, .md, .pdf)")
    p.add_argument("--url", metavar="ORIGINAL_URL", help="with --file: the address the file was saved from")
    p.add_argument("--note", default="", help="why it was captured, or what it shows (kept in the log)")
    p.add_argument("--no-screenshot", action="store_true", help="do not take a screenshot")
    p.add_argument("--no-browser", action="store_true", help="a plain fetch of the page as served, without "
                   "rendering it in the capture browser")
    p.add_argument("--max-bytes", type=int, default=None, help="size limit (default 50 MB)")
    p.add_argument("--timeout", type=float, default=None, help="seconds to wait for the server (default 30)")
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    p.set_defaults(func=cmd_capture)

    p = verbs.add_parser(
        "verify", help="check every stored original and the custody log's hash chain",
        description="Recompute the SHA-256 of every stored WARC and screenshot and walk the custody log's hash "
        "chain. Exit status 0 when everything matches; 1 naming each altered, missing or reordered item.",
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--wacz", metavar="FILE.wacz", help="check a WACZ package instead: every file's hash, the "
                   "signature, and the timestamp tokens inside (what a recipient runs)")
    p.add_argument("--tsa-certs", metavar="PEM", help="with --wacz: the timestamp authorities' certificates")
    p.set_defaults(func=cmd_verify)

    p = verbs.add_parser(
        "export-evidence", help="write captures, their hashes and custody entries to a zip for investigators",
        description="Write the originals, a SHA256SUMS manifest, the matching custody log entries and a README "
        "explaining how to check them with sha256sum and a WARC reader.",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--capture", type=int, metavar="ID")
    which.add_argument("--article", metavar="SLUG", help="captures the article was imported from or whose "
                       "figures cite")
    which.add_argument("--entity", type=int, metavar="ID", help="captures cited for the entity's figures or "
                       "behind articles that mention it")
    p.add_argument("out", metavar="OUT.zip|OUT.wacz", help="a .wacz name writes a WACZ 1.1 package (signed when "
                   "RIGHTSDESK_SIGNING_KEY is set) that ReplayWeb.page opens; any other name a zip")
    p.set_defaults(func=cmd_export)

    p = verbs.add_parser(
        "import", help="make a draft article (or a facts-desk source) from a URL, a file or a capture",
        description="Capture the URL or file first (as `capture` does), then create a draft article whose body "
        "is the page's main text, linked to the capture, and run the facts check on it; or, with --as source, "
        "a source for the facts desk's figures.",
    )
    p.add_argument("target", nargs="?", metavar="URL|FILE")
    p.add_argument("--capture", type=int, metavar="ID", help="an existing capture")
    p.add_argument("--as", dest="as_", choices=["article", "source"], default="article")
    p.add_argument("--section", metavar="SLUG", help="the section of the draft (default: news)")
    p.add_argument("--url", metavar="ORIGINAL_URL", help="for a FILE: the address it was saved from")
    p.add_argument("--no-screenshot", action="store_true")
    p.add_argument("--no-browser", action="store_true", help="capture by a plain fetch, without the browser")
    p.set_defaults(func=cmd_import)

    from . import trust_cli  # trust: timestamp, keys, watch

    trust_cli.register(verbs)
