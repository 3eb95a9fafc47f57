"""Lint time and peak memory as the text grows (issue 21, item 6: linear in the text).

Wall time and CPU time of the process (the machine is shared: the CPU time is the steadier
number). The text is the demo's English and Persian articles repeated to each size (a realistic mix of
figures, names and Persian script), linted as a whole page (reading rule, figures, scopes,
names, name discovery, every problem kind) against the empty registry and against the
synthetic 10,000-alias registry of bench/lint.py.

Usage: .venv/bin/python bench/lint_size.py [--sizes 54000,215000,860000,1048576] [--registry]
"""

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rightsdesk.facts.lint import Registry, lint_text  # noqa: E402


def corpus() -> str:
    texts = []
    for language in ("en", "fa"):
        for path in sorted((REPO / "rightsdesk/demo/content" / language).glob("*.md")):
            texts.append(path.read_text(encoding="utf-8").split("+++")[-1])
    return "\n\n".join(texts)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="54000,215000,860000,1048576")
    parser.add_argument("--registry", action="store_true", help="the synthetic 10,000-alias registry of bench/lint.py")
    args = parser.parse_args()
    registry = Registry.empty()
    if args.registry:
        import random

        sys.path.insert(0, str(REPO / "bench"))
        from lint import synthetic_registry

        entities, names, figures = synthetic_registry(10_000, random.Random(1988))
        registry = Registry.build(entities, names, figures)
    base = corpus()
    for size in (int(s) for s in args.sizes.split(",")):
        text = (base * (size // len(base) + 1))[:size]
        lint_text(text[:2000], registry, strict=True)  # warm the word caches, as a server is
        started, cpu = time.perf_counter(), time.process_time()
        report = lint_text(text, registry, strict=True)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        tracemalloc.start()  # a second run for the memory: tracing slows Python down a lot
        lint_text(text, registry, strict=True)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{len(text.encode()) / 1024:8.0f} KB ({len(text):,} chars): {elapsed:6.2f} s ({cpu:5.2f} s CPU), "
              f"peak traced memory {peak / 2**20:6.1f} MB, {len(report.figures)} figures, "
              f"{len(report.problems)} problems")
    print(f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
