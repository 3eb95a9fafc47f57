"""The facts lint and the headline finder on the labelled pages of bench/facts_labels/ (written
for the project: statistics with breakdowns, country comparisons, shares, UN statements,
encyclopaedia overviews with competing estimates, news items, English and Persian, many wrapped
in a saved page's chrome). The scoring is the bench's own (bench/facts_quality.py); the targets
are those of the facts desk's issue, on every page and on the pages the rules were not
developed on."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "facts_quality.py"


@pytest.fixture(scope="module")
def quality():
    spec = importlib.util.spec_from_file_location("facts_quality", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_labelled_set_is_large_and_varied(quality):
    pages = list(quality.pages("all"))
    assert len(pages) >= 40
    assert {label["split"] for _, label in pages} >= {"dev", "held-out", "held-out-2", "held-out-3"}
    assert sum(1 for p, _ in pages if any("\u0600" <= c <= "\u06ff" for c in p.read_text(encoding="utf-8"))) >= 8
    kinds = {problem["kind"] for _, label in pages for problem in label.get("problem", [])}
    assert kinds == {"figure-conflict", "competing-estimates", "breakdown-exceeds-total"}
    assert sum(1 for _, label in pages if not label.get("problem")) >= 20  # clean pages


@pytest.mark.parametrize("split", ["all", "held-out", "held-out-2", "held-out-3"])
def test_targets(quality, split):
    s, results = quality.run(split)
    detail = {r["name"]: r["missed"] + r["false"] for r in results if r["missed"] or r["false"]}
    assert s["false_conflicts_per_10_clean_pages"] <= 1.0, detail
    assert s["conflicts_and_competing_found"] >= 0.9, detail
    assert s["figure_recall"] >= 0.95 and s["figure_precision"] >= 0.90, s
    assert s["headline_accuracy"] >= 0.9, [(r["name"], r["headline"]) for r in results if not r["headline_ok"]]
