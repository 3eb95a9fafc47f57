"""Public entity pages (served as routes of each language's home page) and the admin's name
review queue."""
from __future__ import annotations

from collections import OrderedDict
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from rightsdesk.newsroom import background, selectors

from . import names, tasks
from .numbers import format_number
from .models import (
    Alias,
    AliasKind,
    CandidateStatus,
    Entity,
    EntityKind,
    Mention,
    NameCandidate,
    SourceKind,
)


# --- public pages -----------------------------------------------------------------------------

# What readers see for each kind, in the page's language (the admin keeps the models' labels):
# the headings of the entity index and the kicker of an entity page, and an alias's kind.
KIND_NAMES = {
    EntityKind.PERSON: pgettext_lazy("entity kind, a heading", "Person"),
    EntityKind.ORGANISATION: pgettext_lazy("entity kind, a heading", "Organisation"),
    EntityKind.PLACE: pgettext_lazy("entity kind, a heading", "Place"),
    EntityKind.EVENT: pgettext_lazy("entity kind, a heading", "Event"),
}
ALIAS_KIND_NAMES = {
    AliasKind.OFFICIAL: pgettext_lazy("alias kind", "official name"),
    AliasKind.TRANSLITERATION: pgettext_lazy("alias kind", "transliteration"),
    AliasKind.ACRONYM: pgettext_lazy("alias kind", "acronym"),
    AliasKind.FORMER: pgettext_lazy("alias kind", "former name"),
    AliasKind.HONORIFIC: pgettext_lazy("alias kind", "honorific form"),
    AliasKind.TRANSLATION: pgettext_lazy("alias kind", "name in another language"),
    AliasKind.SHORT: pgettext_lazy("alias kind", "short form"),
}

def public_entities(home):
    """Entities with a page on the public site of the home page's language: those a public
    article of that language mentions, and those an editor marked "public page". An entity
    only the registry knows (a person under investigation) has none, figures or not."""
    public_ids = selectors.published_articles(home.locale_id).values("pk")
    mentioned = Mention.objects.filter(page_id__in=public_ids).values("entity_id")
    return Entity.objects.filter(Q(pk__in=mentioned) | Q(public=True)).order_by("name")


def entity_index_context(home, language):
    """Every entity with at least one public article or figure, grouped by kind."""
    entities = public_entities(home)
    groups = OrderedDict((kind.value, []) for kind in EntityKind)
    for entity in entities:
        groups[entity.kind].append({"entity": entity, "name": entity.display_name(language)})
    return {"entity_groups": [(KIND_NAMES[k], k, v) for k, v in groups.items() if v]}


def entity_context(home, language, slug, request=None):
    entity = public_entities(home).filter(slug=slug).prefetch_related("aliases").first()
    if entity is None:
        raise Http404("No such entity")
    mentioned = Mention.objects.filter(entity=entity).values("page_id")
    # Only their ids: the page shows their teasers, most of them kept since an earlier page.
    article_ids = list(
        selectors.published_articles(home.locale_id).filter(pk__in=mentioned).values_list("pk", flat=True)[:50]
    )
    figures = _figure_groups(entity, request)
    aliases = sorted(entity.aliases.all(), key=lambda a: (a.script != names.LATIN, a.kind, a.name))
    return {
        "entity": entity,
        "kind_name": KIND_NAMES.get(entity.kind, entity.get_kind_display()),
        "alias_kinds": [(alias, ALIAS_KIND_NAMES.get(alias.kind, alias.get_kind_display().lower())) for alias in aliases],
        "entity_name": entity.display_name(language),
        "entity_description": entity.display_description(language),
        "aliases": aliases,
        "article_ids": article_ids,
        "figure_groups": figures,
    }


def public_url(url: str) -> str:
    """``url`` when it is an http(s) address, else "" (a reader never gets a javascript: link)."""
    url = (url or "").strip()
    return url if urlsplit(url).scheme.lower() in ("http", "https") and "//" in url else ""


def _public_source(source, request):
    """What a reader may see of a source: never a confidential one's details or any note."""
    if source.confidential:
        return {"label": source.label(public=True), "url": "", "confidential": True}
    if source.kind == SourceKind.CAPTURE and source.capture is not None and source.capture.withdrawn:
        return None  # the evidence desk withdrew it: no longer cited
    if source.kind == SourceKind.ARTICLE:
        article = source.article
        if article is None:
            return {"label": source.label(), "url": "", "confidential": False}
        if not article.live or article.get_view_restrictions().exists():
            return None
        return {"label": article.title, "url": article.specific.get_url(request), "confidential": False}
    return {"label": source.label(), "url": public_url(source.url), "confidential": False}


def _figure_groups(entity, request):
    """The entity's figures grouped by what they count (and the period); where sources give
    different values for the same thing, the group carries the range and who says what."""
    figures = entity.figures.prefetch_related("figure_sources__source__article", "figure_sources__source__capture").order_by("counts", "period", "low")
    groups = OrderedDict()
    for figure in figures:
        key = (names.normalize_name(figure.counts), figure.period)
        rows = groups.setdefault(key, {"counts": figure.counts, "period": figure.period, "rows": []})["rows"]
        links = list(figure.figure_sources.all())
        sources = [s for s in (_public_source(fs.source, request) for fs in links) if s]
        # "How the source puts it" are a source's own words: never printed when one of the
        # figure's sources is confidential (they could identify a protected witness).
        quote = "" if any(fs.source.confidential for fs in links) else figure.quote
        rows.append({"figure": figure, "value": figure.display_value(), "sources": sources, "quote": quote})
    out = []
    for group in groups.values():
        numbered = [r["figure"] for r in group["rows"] if r["figure"].low is not None or r["figure"].high is not None]
        # From the lowest floor any source gives to the highest number any source gives (a
        # ceiling such as "up to 30,000" is a number given, not a floor of zero).
        floors = [float(f.low) for f in numbered if f.low is not None and f.qualifier not in ("up to", "fewer than")]
        tops = [float(f.high if f.high is not None else f.low) for f in numbered]
        values = {r["value"] for r in group["rows"]}
        group["disputed"] = len(values) > 1
        if group["disputed"] and floors and tops and min(floors) < max(tops):
            group["range"] = f"{format_number(min(floors))}–{format_number(max(tops))}"
        out.append(group)
    return out


# --- the review queue (admin) -------------------------------------------------------------------

@permission_required("facts.change_entity", raise_exception=True)
def review_index(request):
    from .linking import suggestions

    status = request.GET.get("status", CandidateStatus.OPEN)
    if status not in CandidateStatus.values:
        status = CandidateStatus.OPEN
    candidates = list(NameCandidate.objects.filter(status=status).select_related("page", "entity")[:100])
    rows = [{"candidate": c, "suggestions": suggestions(c) if status == CandidateStatus.OPEN else []} for c in candidates]
    return TemplateResponse(request, "facts/admin/review_index.html", {
        "rows": rows,
        "status": status,
        "statuses": CandidateStatus.choices,
        "kinds": EntityKind.choices,
        "alias_kinds": AliasKind.choices,
        "open_count": NameCandidate.objects.filter(status=CandidateStatus.OPEN).count(),
    })


@require_POST
@permission_required("facts.change_entity", raise_exception=True)
def review_decide(request, pk):
    candidate = get_object_or_404(NameCandidate, pk=pk)
    if candidate.status != CandidateStatus.OPEN:
        messages.error(request, f"“{candidate.name}” was already decided ({candidate.get_status_display().lower()}).")
        return redirect("facts_review:index")
    action = request.POST.get("action")
    with transaction.atomic():
        if action == "accept":
            entity = Entity.objects.filter(pk=request.POST.get("entity") or 0).first()
            kind = request.POST.get("alias_kind") or AliasKind.TRANSLITERATION
            if entity is None or kind not in AliasKind.values:
                messages.error(request, "Choose the entity this name belongs to (and the kind of name).")
                return redirect("facts_review:index")
            Alias.objects.get_or_create(entity=entity, name=candidate.name, defaults={"kind": kind})
            entity.save(update_fields=["updated_at"])
            candidate.status, candidate.entity = CandidateStatus.ACCEPTED, entity
            done = f"“{candidate.name}” is now a name of {entity.name}."
        elif action == "create":
            kind = request.POST.get("kind")
            if kind not in EntityKind.values:
                messages.error(request, "Choose whether the new entity is a person, organisation, place or event.")
                return redirect("facts_review:index")
            if Entity.objects.filter(name=candidate.name).exists():
                messages.error(request, f"An entity called “{candidate.name}” exists already: accept the name as its alias instead.")
                return redirect("facts_review:index")
            entity = Entity.objects.create(name=candidate.name, kind=kind)
            candidate.status, candidate.entity = CandidateStatus.CREATED, entity
            done = f"Created the {entity.get_kind_display().lower()} “{entity.name}”."
        elif action == "reject":
            candidate.status = CandidateStatus.REJECTED
            done = f"“{candidate.name}” rejected; it will not be offered again."
        else:
            raise PermissionDenied("Unknown action")
        candidate.decided_by = request.user
        candidate.decided_at = timezone.now()
        candidate.save()
        if action in ("accept", "create"):
            background.enqueue(tasks.relink_everything)  # every article, by the worker
    messages.success(request, done)
    return redirect("facts_review:index")
