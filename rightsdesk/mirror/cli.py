"""`rightsdesk bake OUTDIR [--base-url URL]`: the public site as a folder of static files."""

import json
import sys
import time

from rightsdesk.console import CommandError, setup_django


def cmd_bake(args):
    setup_django()
    from django.db.utils import DatabaseError

    from .bake import BakeError, bake

    def progress(**kwargs):
        from tqdm import tqdm

        return tqdm(unit="page", file=sys.stderr, disable=args.json or args.quiet or None, **kwargs)

    if args.base_url and not args.base_url.startswith(("http://", "https://")):
        raise CommandError(f"--base-url must be an http:// or https:// address, not {args.base_url!r}")
    started = time.perf_counter()
    from django.core.management import call_command

    # The pages name static files as the storage does (hashed names in production): collect them.
    call_command("collectstatic", interactive=False, verbosity=0)
    try:
        report = bake(args.outdir, base_url=args.base_url, workers=args.workers, progress=progress,
                      search=not args.no_search)
    except BakeError as exc:
        raise CommandError(str(exc)) from None
    except DatabaseError as exc:
        raise CommandError(f"cannot read the database ({exc}): run `rightsdesk init` or `rightsdesk demo` first") from None
    if args.check:
        from .check import check_folder

        report["problems"] += check_folder(report["outdir"], [o for o in (report["origin"], args.base_url) if o])
    report["seconds"] = round(time.perf_counter() - started, 2)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(f"Baked {report['pages']} pages and {report['assets']} files into {report['outdir']} "
              f"in {report['seconds']} s ({report['search_files']} search index files; "
              f"{report['removed']} files no longer on the site removed).")
        print(f"Serve it with any web server, e.g. `python3 -m http.server -d {args.outdir}`; "
              "deploy/README.md shows nginx and onion set-ups.")
        for problem in report["problems"]:
            print(f"rightsdesk: warning: {problem}", file=sys.stderr)
    return 1 if report["problems"] else 0


def register(verbs):
    p = verbs.add_parser(
        "bake", help="write the public site as static files for mirrors",
        description="Writes every public page in every language, the feeds, sitemap, static files, images, "
        "recommendations and a Pagefind search index into OUTDIR. Links are relative, so the folder works "
        "at any address and under any path; canonical links name the primary site. Baking again rewrites "
        "only the files that changed and removes those no longer on the site.",
    )
    p.add_argument("outdir", help="the folder to bake into (new, empty, or baked before)")
    p.add_argument("--base-url", help="the address the folder will be served at (feeds and the sitemap use it)")
    p.add_argument("--workers", type=int, default=None, help="processes rendering pages (default: the cores, up to 4)")
    p.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    p.add_argument("--check", action="store_true",
                   help="then check every link, image, script, stylesheet and feed of the folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_bake)
