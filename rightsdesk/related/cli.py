"""`rightsdesk related`: show the stored Related lists, or recompute them all (`--rebuild`)."""

import json
import sys

from rightsdesk.console import CommandError, setup_django


def cmd_related(args):
    setup_django()
    from django.db.utils import DatabaseError

    from . import engine
    from .models import ArticleFeatures, RelatedItem

    try:
        if args.rebuild:
            from tqdm import tqdm

            def progress(**kwargs):
                return tqdm(unit="article", file=sys.stderr, disable=args.json or None, **kwargs)

            articles = engine.rebuild(progress=progress)
        else:
            articles = ArticleFeatures.objects.count()
        lists = RelatedItem.objects.values("article_id").distinct().count()
    except DatabaseError as exc:
        raise CommandError(f"cannot read the database ({exc}): run `rightsdesk init` or `rightsdesk demo` first") from None
    if args.json:
        print(json.dumps({"articles": articles, "lists": lists}))
    elif args.rebuild:
        print(f"Related lists recomputed: {articles} published articles, {lists} with related items.")
    else:
        print(f"{articles} published articles scored, {lists} with related items. "
              "`rightsdesk related --rebuild` recomputes every list.")
    return 0


def register(verbs):
    p = verbs.add_parser(
        "related", help="show or recompute the stored Related lists",
        description="Related lists are computed when articles are published or unpublished. --rebuild refits "
        "the vocabulary of each language and recomputes every list (all or nothing), with a progress bar; "
        "run it after importing many articles or changing the facts registry.",
    )
    p.add_argument("--rebuild", action="store_true", help="recompute every list")
    p.add_argument("--json", action="store_true", help="print counts as JSON")
    p.set_defaults(func=cmd_related)
