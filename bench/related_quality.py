"""Quality of Related: precision@3 against the story groups of bench/related_labels.toml, for the
stored Related lists and, in the same run, for the usual method (same tag or section, newest
first: `selectors.same_tag_or_section`).

precision@3 of an article = how many of its first three related items belong to its own group,
divided by three; the figure is the mean over the labelled articles whose group has at least four
articles (so that three relevant items exist: the demo's Persian groups are smaller, and are
listed but not counted).

Usage: .venv/bin/python bench/related_quality.py [--data-dir DIR] [--show SLUG ...] [--verbose]
It loads the demo into a temporary data folder with `rightsdesk demo --no-serve` (SQLite) unless
--data-dir names one that has it; the demo loader computes the Related lists.
"""

import argparse
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LABELS = Path(__file__).resolve().parent / "related_labels.toml"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--show", nargs="*", default=[], help="print the Related list of these articles")
    parser.add_argument("--verbose", action="store_true", help="one line per article")
    args = parser.parse_args()

    from _django import demo_data_dir, setup_django

    data_dir = demo_data_dir(args.data_dir, prefix="rightsdesk-related-quality-")
    setup_django(data_dir, settings="dev")
    from rightsdesk.newsroom import selectors
    from rightsdesk.newsroom.models import ArticlePage
    from rightsdesk.related.models import RelatedItem
    from rightsdesk.related.selectors import related_for

    labels = tomllib.loads(LABELS.read_text(encoding="utf-8"))["group"]
    group_of, sizes = {}, {}
    for group in labels:
        sizes[(group["language"], group["story"])] = len(group["articles"])
        for slug in group["articles"]:
            group_of[(group["language"], slug)] = group["story"]

    def key(page):
        return (selectors.language_of(page), page.slug)

    results = {}
    for page in ArticlePage.objects.live().order_by("locale_id", "slug"):
        if key(page) not in group_of:
            continue
        story = group_of[key(page)]
        lang = key(page)[0]
        related = related_for(page, 3) or []
        baseline = selectors.same_tag_or_section(page, 3)
        hits = sum(group_of.get(key(p)) == story for p in related[:3])
        base_hits = sum(group_of.get(key(p)) == story for p in baseline[:3])
        counted = sizes[(lang, story)] >= 4
        results.setdefault(lang if counted else f"{lang} (not counted)", []).append((hits / 3, base_hits / 3))
        if args.verbose:
            print(f"{lang} {page.slug:<48} related {hits}/3  baseline {base_hits}/3")

    print(f"precision@3 against {LABELS.name} ({sum(len(g['articles']) for g in labels)} labelled articles "
          f"in {len(labels)} groups)")
    print(f"{'language':<18} {'articles':>8} {'Related':>8} {'baseline':>9}")
    everything = []
    for lang, rows in results.items():
        if "not counted" not in lang:
            everything += rows
        print(f"{lang:<18} {len(rows):>8} {sum(r for r, _ in rows) / len(rows):>8.3f} "
              f"{sum(b for _, b in rows) / len(rows):>9.3f}")
    print(f"{'all counted':<18} {len(everything):>8} {sum(r for r, _ in everything) / len(everything):>8.3f} "
          f"{sum(b for _, b in everything) / len(everything):>9.3f}")

    for slug in args.show:
        page = ArticlePage.objects.filter(slug=slug).first()
        if page is None:
            print(f"\n{slug}: no such article")
            continue
        print(f"\n{page.title} [{group_of.get(key(page), '-')}]")
        for item in RelatedItem.objects.filter(article=page).select_related("target").order_by("rank"):
            mark = "=" if group_of.get(key(item.target)) == group_of.get(key(page)) else " "
            why = "; ".join(
                f"{k}: {', '.join(v[:4])}" for k, v in item.reasons.items() if v
            )
            print(f"  {mark} {item.score:.3f} {item.target.title[:70]}{' (pinned)' if item.pinned else ''}")
            print(f"          {why[:150]}")


if __name__ == "__main__":
    main()
