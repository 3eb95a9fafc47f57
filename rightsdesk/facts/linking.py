"""Mentions of registered entities in articles, found when an article is saved, and the names the
registry does not know yet, queued for an editor."""
from __future__ import annotations

from django.db import transaction
from django.db.models import F

from . import names
from .registry import article_text, current
from .lint import lint_text

# Names discovered in text that are worth an editor's time: not single words of unknown kind.
_QUEUE_KINDS = {"person", "organisation", "place", "event"}


def relink(page, registry=None, *, queue=True) -> int:
    """Replace the page's mentions with those in its current text; returns how many."""
    from .models import Mention

    registry = registry or current()
    text = article_text(page)
    report = lint_text(text, registry, whole=True)
    rows = []
    for m in registry.linker.find(text):
        rows.append(Mention(page_id=page.pk, entity_id=m.entity, alias_id=m.alias.alias_id,
                            text=m.text[:255], start=m.start, end=m.end))
    with transaction.atomic():
        Mention.objects.filter(page_id=page.pk).delete()
        Mention.objects.bulk_create(rows)
        if queue:
            _queue_names(page, text, report)
    return len(rows)


def _queue_names(page, text, report):
    """Unregistered names, and unregistered spellings of registered entities, go to the review
    queue (once per normalised name; a rejected name is not offered again)."""
    from .models import Alias, CandidateStatus, NameCandidate

    for entity in report.entities:
        if entity.registered:
            known = {names.normalize_name(n) for n in _names_of(entity.id)}
            offered = [(t, s, e) for t, s, e in entity.mentions if names.normalize_name(t) not in known]
            near = entity.id
            kind = entity.kind
        else:
            if entity.kind not in _QUEUE_KINDS:
                continue
            offered = entity.mentions
            near = None
            kind = entity.kind
        for surface, start, end in offered:
            name = names.strip_titles(surface)
            normalized = names.normalize_name(name)
            if not normalized or len(normalized) < 2:
                continue
            if Alias.objects.filter(normalized=normalized).exists():
                continue
            context = _sentence(text, start, end)
            updated = NameCandidate.objects.filter(normalized=normalized, status=CandidateStatus.OPEN).update(seen=F("seen") + 1)
            if not updated:
                NameCandidate.objects.get_or_create(
                    normalized=normalized[:255],
                    defaults={"name": name[:255], "kind": kind, "context": context, "page_id": page.pk,
                              "near_id": near},
                )


def _names_of(entity_id):
    from .models import Entity

    entity = Entity.objects.filter(pk=entity_id).prefetch_related("aliases").first()
    return entity.all_names() if entity else []


def _sentence(text, start, end, width=160) -> str:
    left = max(text.rfind("\n", 0, start) + 1, start - width)
    right = text.find("\n", end)
    right = min(len(text) if right < 0 else right, end + width)
    return " ".join(text[left:right].split())


def relink_all(progress=None) -> int:
    """Relink every article (after the registry changed); returns the number of mentions."""
    from rightsdesk.newsroom.models import ArticlePage

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
