"""Quality of the facts lint and of the headline finder on the labelled pages of
bench/facts_labels/ (see its README): per problem kind precision and recall, false conflicts per
10 clean pages, figure recall and precision, headline accuracy; on the held-out pages (never
tuned against), on the development pages and on all.

Usage: .venv/bin/python bench/facts_quality.py [--split dev|held-out|all] [--verbose] [--json]
Pure Python: no database needed.
"""
from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rightsdesk.evidence import extract  # noqa: E402
from rightsdesk.facts import lint, reading  # noqa: E402

LABELS = REPO / "bench" / "facts_labels"
PROBLEM_KINDS = (lint.FIGURE_CONFLICT, lint.COMPETING_ESTIMATES, lint.BREAKDOWN_EXCEEDS_TOTAL)
FORMATS = {".txt": "text", ".md": "markdown", ".html": "html"}


def pages(split: str = "all"):
    for toml in sorted(LABELS.glob("*.toml")):
        label = tomllib.loads(toml.read_text(encoding="utf-8"))
        if split != "all" and label["split"] != split:
            continue
        [page] = [p for p in LABELS.glob(toml.stem + ".*") if p.suffix in FORMATS]
        yield page, label


def _locate(text: str, pieces: list[str], start: int = 0) -> list[tuple[int, int]]:
    spans = []
    for piece in pieces:
        i = text.find(piece, start)
        if i < 0:
            i = text.find(piece)
        if i < 0:
            raise ValueError(f"{piece!r} is not in the page")
        spans.append((i, i + len(piece)))
        start = i + len(piece)
    return spans


def _overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _norm_title(s: str) -> str:
    return " ".join(s.replace("\u200c", " ").lower().split()).strip(" .:!?؟")


def score_page(path: Path, label: dict) -> dict:
    raw = path.read_text(encoding="utf-8")
    text = reading.to_text(raw, FORMATS[path.suffix])
    report = lint.lint_text(text, strict=False)
    # figures: every annotated one found (a figure whose span overlaps it), every found one
    # annotated
    expected = _locate(text, [f["at"] for f in label.get("figure", [])])
    found = [(f.start, f.end) for f in report.figures]
    figure_hits = sum(1 for e in expected if any(_overlaps(e, f) for f in found))
    figure_true = sum(1 for f in found if any(_overlaps(e, f) for e in expected))
    # problems
    out = {"name": path.stem, "split": label["split"], "figures_expected": len(expected),
           "figures_found": len(found), "figure_hits": figure_hits, "figure_true": figure_true,
           "clean": not label.get("problem"), "kinds": {}, "missed": [], "false": []}
    for kind in PROBLEM_KINDS:
        wanted = [_locate(text, p["at"]) for p in label.get("problem", []) if p["kind"] == kind]
        got = [p for p in report.problems if p.kind == kind]

        def matches(spans, problem):
            return all(any(_overlaps(s, ps) for ps in problem.spans) for s in spans)

        tp_expected = sum(1 for w in wanted if any(matches(w, g) for g in got))
        tp_found = sum(1 for g in got if any(matches(w, g) for w in wanted))
        out["kinds"][kind] = {"expected": len(wanted), "found": len(got), "hit": tp_expected, "true": tp_found}
        out["missed"] += [f"{kind}: {[text[s:e] for s, e in w]}" for w in wanted if not any(matches(w, g) for g in got)]
        out["false"] += [f"{kind}: {g.message[:160]}" for g in got if not any(matches(w, g) for w in wanted)]
    # headline of the page as the evidence import reads it
    data = raw.encode("utf-8")
    extracted = extract.extract(data, "", "", path.name)
    want = label.get("headline", "")
    not_found = "headline not found" in extracted.method
    if want:
        ok = not not_found and _norm_title(extracted.title) == _norm_title(want)
    else:
        ok = not_found
    out["headline_ok"], out["headline"], out["headline_wanted"] = ok, extracted.title, want
    return out


def summary(results: list[dict]) -> dict:
    def ratio(a, b):
        return round(a / b, 3) if b else None

    s = {"pages": len(results), "clean_pages": sum(r["clean"] for r in results)}
    for kind in PROBLEM_KINDS:
        k = [r["kinds"][kind] for r in results]
        s[kind] = {
            "expected": sum(x["expected"] for x in k), "found": sum(x["found"] for x in k),
            "recall": ratio(sum(x["hit"] for x in k), sum(x["expected"] for x in k)),
            "precision": ratio(sum(x["true"] for x in k), sum(x["found"] for x in k)),
        }
    false_conflicts_clean = sum(r["kinds"][lint.FIGURE_CONFLICT]["found"] - r["kinds"][lint.FIGURE_CONFLICT]["true"]
                                for r in results if r["clean"])
    s["false_conflicts_per_10_clean_pages"] = ratio(10 * false_conflicts_clean, s["clean_pages"])
    false_any = sum(sum(r["kinds"][k]["found"] - r["kinds"][k]["true"] for k in PROBLEM_KINDS) for r in results)
    s["false_problems_per_10_pages"] = ratio(10 * false_any, len(results))
    wanted = sum(r["kinds"][k]["expected"] for r in results for k in (lint.FIGURE_CONFLICT, lint.COMPETING_ESTIMATES))
    hit = sum(r["kinds"][k]["hit"] for r in results for k in (lint.FIGURE_CONFLICT, lint.COMPETING_ESTIMATES))
    s["conflicts_and_competing_found"] = ratio(hit, wanted)
    s["figure_recall"] = ratio(sum(r["figure_hits"] for r in results), sum(r["figures_expected"] for r in results))
    s["figure_precision"] = ratio(sum(r["figure_true"] for r in results), sum(r["figures_found"] for r in results))
    s["headline_accuracy"] = ratio(sum(r["headline_ok"] for r in results), len(results))
    return s


def run(split: str = "all") -> tuple[dict, list[dict]]:
    results = [score_page(p, label) for p, label in pages(split)]
    return summary(results), results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default=None, choices=("dev", "held-out", "held-out-2", "held-out-3", "all"))
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    splits = [args.split] if args.split else ["held-out-3", "held-out-2", "held-out", "dev", "all"]
    for split in splits:
        s, results = run(split)
        if args.json:
            print(json.dumps({"split": split, **s}, ensure_ascii=False))
            continue
        print(f"== {split}: {s['pages']} pages ({s['clean_pages']} clean)")
        for kind in PROBLEM_KINDS:
            k = s[kind]
            print(f"  {kind:25} expected {k['expected']:3} found {k['found']:3}  recall {k['recall']}  precision {k['precision']}")
        for key in ("false_conflicts_per_10_clean_pages", "false_problems_per_10_pages", "conflicts_and_competing_found",
                    "figure_recall", "figure_precision", "headline_accuracy"):
            print(f"  {key:36} {s[key]}")
        if args.verbose:
            for r in results:
                notes = r["missed"] + [f"FALSE {x}" for x in r["false"]]
                if r["figure_hits"] < r["figures_expected"] or r["figure_true"] < r["figures_found"]:
                    notes.append(f"figures: {r['figure_hits']}/{r['figures_expected']} found, "
                                 f"{r['figure_true']}/{r['figures_found']} true")
                if not r["headline_ok"]:
                    notes.append(f"headline {r['headline']!r}, wanted {r['headline_wanted']!r}")
                if notes:
                    print(f"  {r['name']}:")
                    for n in notes:
                        print(f"     {n}")


if __name__ == "__main__":
    main()
