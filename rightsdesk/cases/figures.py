"""The cases desk's counts as registry figures of the facts desk: each saved filter ("executions
in 2024", verified records) becomes a figure the lint compares articles with, so "975 executions
in 2024" against 1,001 records gives registry-divergence. Registered in wagtail_hooks.py."""
from __future__ import annotations

from dataclasses import dataclass

from rightsdesk.facts import registry

from .models import SavedFilter


@dataclass
class _Count:
    """A count in the shape facts.registry.figure_for_lint reads (an exact number)."""

    low: int
    counts: str
    period: str
    qualifier: str = "exact"

    @property
    def high(self):
        return self.low

    @property
    def quote(self):
        return f"{self.low:,} {self.counts}"

    def bounds(self):
        return (float(self.low), float(self.low))


def registry_figures():
    out = []
    for saved in SavedFilter.objects.select_related("kind", "province"):
        n = saved.queryset().count()
        what = f"{saved.status} " if saved.status else ""
        where = f" in {saved.province.name}" if saved.province_id else ""
        label = f"cases desk: {n:,} {what}records of {saved.kind.name.lower()}{where}, {saved.calendar} year {saved.year}"
        figure = registry.figure_for_lint(_Count(n, saved.counts, saved.year))
        out.append(registry.lint.RegistryFigure(figure, frozenset(), (label,), f"cases:{saved.pk}"))
    return out
