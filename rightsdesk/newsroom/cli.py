"""`rightsdesk search`: show the size of the public search index, or rebuild it (`--rebuild`)."""

import json
import sys

from rightsdesk.console import CommandError, setup_django


def cmd_search(args):
    setup_django()
    from django.db.utils import DatabaseError

    from . import search

    try:
        if args.rebuild:
            from tqdm import tqdm

            def progress(**kwargs):
                return tqdm(unit="page", file=sys.stderr, disable=args.json or None, **kwargs)

            search.rebuild(progress=progress)
        pages = search.size()
    except DatabaseError as exc:
        raise CommandError(f"cannot read the search index ({exc}): run `rightsdesk init` or `rightsdesk demo` first") from None
    if args.json:
        print(json.dumps({"pages": pages}))
    elif args.rebuild:
        print(f"Search index rebuilt: {pages} published articles and briefs.")
    else:
        print(f"{pages} published articles and briefs in the search index. "
              "`rightsdesk search --rebuild` rewrites it from the published pages.")
    return 0


def register(verbs):
    p = verbs.add_parser(
        "search", help="show or rebuild the public search index",
        description="The search index is updated when pages are published, unpublished, moved, deleted or made "
        "private. --rebuild rewrites it from every published article and brief (all or nothing), with a "
        "progress bar; run it after importing pages without publishing them through Wagtail.",
    )
    p.add_argument("--rebuild", action="store_true", help="rewrite the whole index")
    p.add_argument("--json", action="store_true", help="print the count as JSON")
    p.set_defaults(func=cmd_search)
