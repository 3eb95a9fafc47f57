"""Settings of the Python runtime for the mirror's bake workers (processes that render thousands
of pages, one at a time).

Python's cyclic garbage collector starts a collection every 700 allocations of container objects
by default, and every so often walks every object the process holds. A rendering process holds
a lot that is never garbage (Django, Wagtail, the kept fragments and teasers) and allocates many
short-lived objects per page (template contexts, nodes' output): with the default thresholds the
collector took about a fifth of an article page's rendering time (bench/RESULTS.md).

Not for `rightsdesk serve`'s workers: with two threads per worker under load, the same settings
made uncached pages slower (wrk, 2026-11-28: 103 → 41 articles/s), so the server keeps Python's
defaults.
"""

import gc

# Collect the youngest generation every 50,000 allocations (a few MB at most), the middle one
# every 20 of those, the oldest every 100 of those.
THRESHOLDS = (50_000, 20, 100)


def tune_gc():
    """Move what the process holds now (loaded code, settings, caches) out of the collector's
    way and collect less often. Call it once the process is set up (after a fork, in the child)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
