"""Mentions of registered entities in articles, found when an article is saved, and the names the
registry does not know yet, queued for an editor."""
from __future__ import annotations

from django.db import transaction
from django.db.models import F

from rightsdesk.newsroom.models import ArticlePage

from . import names
from .registry import article_text, current
from .lint import lint_text, snippet

# Names discovered in text that are worth an editor's time: not single words of unknown kind.
_QUEUE_KINDS = {"person", "organisation", "place", "event"}


def relink(page, registry=None, *, queue=True) -> int:
    """Replace the page's mentions with those in its current text; returns how many."""
    from .models import Mention

    registry = registry or current()
    text = article_text(page)
    # The lint (for the review queue) finds the registered names itself: use its matches.
    report = lint_text(text, registry, whole=True) if queue else None
    matches = report.matches if report is not None else registry.linker.find(text)
    rows = [
        Mention(page_id=page.pk, entity_id=m.entity, alias_id=m.alias.alias_id,
                text=m.text[:255], start=m.start, end=m.end)
        for m in matches
    ]
    with transaction.atomic():
        Mention.objects.filter(page_id=page.pk).delete()
        Mention.objects.bulk_create(rows)
        if report is not None:
            _queue_names(page, text, report)
    return len(rows)


def _queue_names(page, text, report):
    """Unregistered names, and unregistered spellings of registered entities, go to the review
    queue (once per normalised name; a rejected name is not offered again)."""
    from .models import Alias, CandidateStatus, Entity, NameCandidate

    registered = {e.id for e in report.entities if e.registered}
    known = {}
    for entity in Entity.objects.filter(pk__in=registered).prefetch_related("aliases"):
        known[entity.pk] = {names.normalize_name(n) for n in entity.all_names()}
    offered = {}
    for entity in report.entities:
        if entity.registered:
            mentions = [m for m in entity.mentions if names.normalize_name(m[0]) not in known.get(entity.id, ())]
        elif entity.kind in _QUEUE_KINDS:
            mentions = entity.mentions
        else:
            continue
        for surface, start, end in mentions:
            name = names.strip_titles(surface)
            normalized = names.normalize_name(name)[:255]
            if len(normalized) >= 2 and normalized not in offered:
                offered[normalized] = NameCandidate(
                    name=name[:255], normalized=normalized, kind=entity.kind, page_id=page.pk,
                    near_id=entity.id if entity.registered else None, context=snippet(text, start, end, width=160, marks=False),
                )
    if not offered:
        return
    aliases = set(Alias.objects.filter(normalized__in=list(offered)).values_list("normalized", flat=True))
    existing = set(NameCandidate.objects.filter(normalized__in=list(offered)).values_list("normalized", flat=True))
    NameCandidate.objects.filter(normalized__in=list(existing), status=CandidateStatus.OPEN).update(seen=F("seen") + 1)
    NameCandidate.objects.bulk_create(
        [c for n, c in offered.items() if n not in aliases and n not in existing], ignore_conflicts=True
    )


def relink_all(progress=None) -> int:
    """Relink every article (after the registry changed); returns the number of mentions."""

    registry = current()
    total = 0
    pages = ArticlePage.objects.order_by("pk")
    for page in progress(pages) if progress else pages:
        total += relink(page, registry, queue=False)
    return total


def suggestions(candidate, limit=3):
    """The registered entities closest to a queued name: (entity, score 0-100)."""
    from rapidfuzz import fuzz, process

    from .models import Alias, Entity

    choices = {}
    for entity_id, normalized in Alias.objects.values_list("entity_id", "normalized"):
        choices[(entity_id, normalized)] = normalized
    for entity in Entity.objects.only("pk", "name", "name_fa"):
        for n in (entity.name, entity.name_fa):
            if n:
                choices[(entity.pk, names.normalize_name(n))] = names.normalize_name(n)
    best = {}
    for _, score, key in process.extract(candidate.normalized, choices, scorer=fuzz.WRatio, limit=20):
        entity_id = key[0]
        best[entity_id] = max(best.get(entity_id, 0), score)
    if candidate.near_id:
        best[candidate.near_id] = max(best.get(candidate.near_id, 0), 100)
    ranked = sorted(best.items(), key=lambda kv: -kv[1])[:limit]
    entities = Entity.objects.in_bulk([e for e, _ in ranked])
    return [(entities[e], round(s)) for e, s in ranked if e in entities and s >= 50]
