"""The lint's work grows linearly with the text (issue 21, item 6: a 860 KB text took over
100 s and 1.9 GB). Not a timed test: it counts the work done (every Python and C function call
the lint makes, through ``sys.setprofile``, and the pairs of figures it compares) on a text
and on the same kind of text four times as long, and allows a little over four times as much.
A quadratic step (each figure compared with every other, each word checked against every
headline line…) makes the longer text cost about sixteen times as much and fails it.
Timings are in bench/RESULTS.md (bench/lint_size.py)."""

import sys
from pathlib import Path

import pytest

from rightsdesk.facts import lint
from rightsdesk.facts.lint import EntityInfo, Registry, RegistryFigure, lint_text
from rightsdesk.facts.figures import Figure

REPO = Path(__file__).resolve().parents[2]

# Hostile text: many figures of one noun with different values, many names, acronyms defined in
# brackets, headline-case lines and Persian, so that every pairwise step would show.
PARAGRAPH = (
    "Guards detained {n} students in Tabriz, officials of the Qasr Example Committee (QEC) said; "
    "the Hamid Rostami Foundation (HRF) counted {m} students, including {k} women and {j} children.\n"
    "Report Of The Northern Monitoring Office On Arrests {n}\n"
    "به گفته گروه {n}، دست‌کم {m} زندانی بازداشت شدند و {k} نفر آزاد شدند.\n\n"
)


def hostile_text(paragraphs: int) -> str:
    return "".join(PARAGRAPH.format(n=100 + i, m=2000 + 7 * i, k=3 + i % 50, j=1 + i % 9)
                   for i in range(paragraphs))


def demo_text(chars: int) -> str:
    texts = [p.read_text(encoding="utf-8").split("+++")[-1]
             for language in ("en", "fa") for p in sorted((REPO / "rightsdesk/demo/content" / language).glob("*.md"))]
    base = "\n\n".join(texts)
    return (base * (chars // len(base) + 1))[:chars]


def registry() -> Registry:
    entities = [EntityInfo(i, f"Entity Number{i} Example", "organisation") for i in range(50)]
    aliases = [(i, f"Entity Number{i} Example", i) for i in range(50)] + [(0, "Qasr Example Committee", 99)]
    figures = [RegistryFigure(Figure(100.0, 100.0, 200.0, "range", "students", "", 0, 0, None), frozenset({0}), ("Src",))]
    return Registry.build(entities, aliases, figures)


def work(text: str, reg) -> tuple[int, int]:
    """(function calls, figure pairs compared) of one lint of ``text``."""
    lint_text(text[:500], reg, strict=True)  # warm caches and compiled patterns
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        report = lint_text(text, reg, strict=True)
    finally:
        sys.setprofile(None)
    assert report.figures  # the text was really read
    return calls, report.comparisons


@pytest.mark.parametrize("make", [hostile_text, None], ids=["hostile", "demo-articles"])
@pytest.mark.parametrize("reg", [None, registry()], ids=["no-registry", "registry"])
def test_four_times_the_text_costs_about_four_times_the_work(make, reg):
    if make is None:
        small, large = demo_text(12_000), demo_text(48_000)
    else:
        small, large = make(40), make(160)
    calls_small, pairs_small = work(small, reg)
    calls_large, pairs_large = work(large, reg)
    assert calls_large <= 5 * calls_small, (calls_small, calls_large)
    assert pairs_large <= 5 * pairs_small + 100, (pairs_small, pairs_large)


def test_problems_stay_few_on_a_hostile_text():
    """Thousands of figures of one noun do not make a quadratic list of warnings."""
    report = lint_text(hostile_text(400), whole=True)
    assert len(report.problems) < 2_000


def test_a_text_over_the_limit_is_checked_up_to_it_and_says_so(monkeypatch):
    monkeypatch.setattr(lint, "MAX_CHARS", 5_000)
    text = hostile_text(60)
    report = lint_text(text, whole=True)
    [note] = report.by_kind(lint.TEXT_TOO_LONG)
    assert f"{len(text):,} characters" in note.message and "split the document" in note.message
    assert all(f.end <= 5_000 for f in report.figures) and report.figures
