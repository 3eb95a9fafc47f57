"""The facts desk's public functions for other apps: the registry as the lint sees it, the text
of an article as the lint reads it, and linting an article.

The registry (an Aho-Corasick automaton over every alias, plus the sourced figures) is built once
per process and rebuilt when the registry tables change (a cheap fingerprint query per use).
"""
from __future__ import annotations

import threading

from django.db import connection
from django.db.utils import DatabaseError
from wagtail import hooks

from . import lint
from .figures import Figure

_lock = threading.Lock()
_cached: dict = {}


def _fingerprint():
    from .models import Alias, Entity, Figure as FigureModel, FigureSource, Source

    tables = {
        "e": Entity._meta.db_table, "a": Alias._meta.db_table, "f": FigureModel._meta.db_table,
        "fs": FigureSource._meta.db_table, "s": Source._meta.db_table,
    }
    sql = (
        "SELECT (SELECT MAX(updated_at) FROM {e}), (SELECT COUNT(*) FROM {a}), (SELECT MAX(id) FROM {a}),"
        " (SELECT SUM(LENGTH(name)) FROM {a}), (SELECT COUNT(*) FROM {e}),"
        " (SELECT MAX(updated_at) FROM {f}), (SELECT COUNT(*) FROM {f}), (SELECT COUNT(*) FROM {fs}),"
        " (SELECT MAX(id) FROM {fs}), (SELECT COUNT(*) FROM {s}), (SELECT MAX(updated_at) FROM {s})"
    ).format(**tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(str(v) for v in cursor.fetchone())


def _provided() -> list:
    """Figures other apps compute (hook `rightsdesk_figure_providers`: each function returns
    lint.RegistryFigure objects, e.g. the cases desk's counts of records)."""
    return [f for provider in hooks.get_hooks("rightsdesk_figure_providers") for f in provider()]


def current() -> lint.Registry:
    """The registry as it is in the database now (empty when the tables do not exist yet)."""
    try:
        provided = _provided()
        fingerprint = (_fingerprint(), repr(provided))
    except DatabaseError:
        return lint.Registry.empty()
    with _lock:
        if _cached.get("fingerprint") != fingerprint:
            _cached["registry"] = _build(provided)
            _cached["fingerprint"] = fingerprint
        return _cached["registry"]


_PREPOSITIONS = {"of", "for", "in", "by", "on", "at", "from", "with", "to", "against", "during",
                 "since", "under", "over", "who", "that", "which", "whose"}


def count_phrase(counts: str) -> str:
    """The noun phrase of an editor's "what it counts": 'political prisoners executed' ->
    'political prisoners'; 'signatories of the open letter …' -> 'signatories'."""
    words = counts.split()
    kept = []
    for index, word in enumerate(words):
        bare = word.lower().strip(",;:()")
        if index and (bare in _PREPOSITIONS or (bare.endswith("ed") and len(bare) > 4)):
            break
        kept.append(word.strip(",;:()"))
    return " ".join(kept) or counts


def figure_for_lint(figure) -> Figure:
    low, high = figure.bounds()
    value = float(figure.low) if figure.low is not None else (float(figure.high) if figure.high is not None else None)
    return Figure(
        value=value, low=low, high=high, qualifier=figure.qualifier, counts=count_phrase(figure.counts),
        quote=figure.quote or figure.counts, start=0, end=0, period=figure.period or None,
    )


def _build(provided=()) -> lint.Registry:
    from .models import Alias, Entity, Figure as FigureModel

    entities = [
        lint.EntityInfo(e.pk, e.name, e.kind, e.slug)
        for e in Entity.objects.only("pk", "name", "kind", "slug")
    ]
    aliases = []
    for e in Entity.objects.only("pk", "name", "name_fa"):
        aliases.append((e.pk, e.name, None))
        if e.name_fa:
            aliases.append((e.pk, e.name_fa, None))
    aliases += [(a.entity_id, a.name, a.pk) for a in Alias.objects.only("pk", "entity_id", "name")]
    figures = []
    for f in FigureModel.objects.prefetch_related("about", "figure_sources__source__article"):
        sources = tuple(fs.source.label() for fs in f.figure_sources.all())
        figures.append(lint.RegistryFigure(
            figure_for_lint(f), frozenset(e.pk for e in f.about.all()), sources, f.pk,
        ))
    return lint.Registry.build(entities, aliases, figures + list(provided))


def article_text(page) -> str:
    """The text the lint reads for an article: title, dek and the body's paragraphs, headings
    and quotes, separated by blank lines. Mention offsets are offsets into this text."""
    body = [" ".join(text.split()) for text in page.iter_paragraphs(headings=True)]
    return "\n\n".join(p.strip() for p in [page.title, page.dek, *body] if p and p.strip())


def lint_article(page, *, registry=None) -> lint.Report:
    """The lint of an article as an editor sees it: the whole text, unsourced figures included."""
    return lint.lint_text(article_text(page), registry or current(), strict=True, whole=True)
