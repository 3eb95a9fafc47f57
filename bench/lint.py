"""Lint time for a 1,500-word article against a registry of 10,000 aliases.

The registry is synthetic: 2,500 entities with four names each (a full name, a transliteration
variant, a name with a title, and a Persian-script name), 10,000 aliases in all, plus 200 sourced
figures. The article is 1,500 words of the demo's English articles, with names of the registry
mixed in, so the linker has real matches to confirm.

Measured, in one run: building the registry (once per process, then cached until the registry
changes), and the lint of the article (figures, names found by the Aho-Corasick pass, name
discovery, all four problem kinds with --strict): median, p95 and max over N runs.

Usage: .venv/bin/python bench/lint.py [--runs N] [--aliases N] [--words N]
Pure Python: no database needed.
"""

import argparse
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rightsdesk.facts.figures import Figure  # noqa: E402
from rightsdesk.facts.lint import EntityInfo, Registry, RegistryFigure, lint_text  # noqa: E402

SYLLABLES = ["ka", "ra", "mi", "sha", "do", "har", "za", "li", "no", "be", "far", "gol", "ta", "ve",
             "jam", "nas", "ri", "ho", "sey", "mah", "par", "din", "ab", "ol", "ghol", "esh"]
PERSIAN = ["کا", "را", "می", "شا", "دو", "هر", "زا", "لی", "نو", "به", "فر", "گل", "تا", "وه"]


def name(rng, parts, alphabet=SYLLABLES):
    return " ".join("".join(rng.choice(alphabet) for _ in range(rng.randint(2, 3))).capitalize() for _ in range(parts))


def variant(word):
    return word.replace("o", "u", 1).replace("i", "ee", 1) if "o" in word or "i" in word else word + "h"


def synthetic_registry(aliases, rng):
    entities, names, figures = [], [], []
    for i in range(aliases // 4):
        full = name(rng, rng.choice((2, 2, 3)))
        entities.append(EntityInfo(i, full, rng.choice(("person", "organisation", "place", "event"))))
        names += [(i, full, 4 * i), (i, " ".join(variant(w) for w in full.split()), 4 * i + 1),
                  (i, "President " + full, 4 * i + 2), (i, name(rng, 2, PERSIAN), 4 * i + 3)]
    for i in range(200):
        low = rng.randint(10, 5000)
        figures.append(RegistryFigure(
            Figure(float(low), float(low), float(low * 2), "range", rng.choice(("prisoners", "executions", "people")),
                   "", 0, 0, str(rng.randint(1980, 2025))),
            frozenset({rng.randrange(len(entities))}), ("Synthetic source",)))
    return entities, names, figures


def article(words, registry_names, rng):
    texts = []
    for path in sorted((REPO / "rightsdesk/demo/content/en").glob("*.md")):
        body = re.split(r"^\+\+\+\s*$", path.read_text(encoding="utf-8"), maxsplit=2, flags=re.M)[2]
        texts.append(re.sub(r"^(#+ |> )", "", body, flags=re.M))
    paragraphs = "\n\n".join(texts).split("\n\n")
    out, count = [], 0
    while count < words:
        paragraph = paragraphs[len(out) % len(paragraphs)]
        # a registered name in every other paragraph
        if len(out) % 2 == 0:
            paragraph = f"{rng.choice(registry_names)[1]} said: " + paragraph
        out.append(paragraph)
        count += len(paragraph.split())
    text = "\n\n".join(out)
    return " ".join(text.split(" ")[:words])


def stats(values):
    values = sorted(values)
    return (statistics.median(values) * 1000, values[int(0.95 * (len(values) - 1))] * 1000, values[-1] * 1000)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--aliases", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=1_500)
    args = parser.parse_args()
    rng = random.Random(1988)

    entities, names, figures = synthetic_registry(args.aliases, rng)
    started = time.perf_counter()
    registry = Registry.build(entities, names, figures)
    build = time.perf_counter() - started
    text = article(args.words, names, rng)

    lint_text(text, registry, strict=True)  # warm the per-word caches, as a running server is
    runs, cpu = [], []
    for _ in range(args.runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        report = lint_text(text, registry, strict=True)
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    cold = []
    for _ in range(5):
        from rightsdesk.facts import names as names_module

        names_module._word_forms.cache_clear()
        names_module.fold.cache_clear()
        started = time.perf_counter()
        lint_text(text, registry, strict=True)
        cold.append(time.perf_counter() - started)

    median, p95, worst = stats(runs)
    cold_median, _, _ = stats(cold)
    print(f"python {platform.python_version()} on {platform.machine()}, {args.runs} runs")
    print(f"registry: {registry.linker.size} aliases of {len(entities)} entities, {len(figures)} figures; "
          f"built in {build * 1000:.0f} ms")
    print(f"article: {len(text.split())} words; {len(report.figures)} figures, "
          f"{sum(len(e.mentions) for e in report.entities if e.registered)} registered mentions, "
          f"{len(report.problems)} problems")
    print(f"lint (warm word caches): median {median:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms; "
          f"CPU time median {stats(cpu)[0]:.1f} ms (the machine is shared: the steadier number)")
    print(f"lint (word caches emptied): median {cold_median:.1f} ms")


if __name__ == "__main__":
    main()
