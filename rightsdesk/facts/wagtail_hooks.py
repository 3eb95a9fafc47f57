"""The facts desk in the Wagtail admin: entities, figures and sources as snippets with search and
filters, the name review queue, and the lint's warnings after an article is saved."""

from collections import Counter

from django.contrib import messages
from django.db.models import Q
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

import django_filters

from rightsdesk.newsroom import background, extensions
from rightsdesk.newsroom.models import ArticlePage

from . import checks, names, routes, steps, tasks, views
from .models import Entity, EntityKind, Figure, Mention, Qualifier, Source, SourceKind
from .panels import FactsCheckPanel

MAX_MESSAGES = 3


class EntityFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(choices=EntityKind.choices)

    class Meta:
        model = Entity
        fields = ["kind"]


class EntityIndexView(IndexView):
    """Search finds an entity by any of its names in any spelling: "Raeesi" finds Ebrahim Raisi."""

    search_backend_name = None

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        from .registry import current

        query = self.search_query.strip()
        spelled = query.title() if query.islower() else query
        linked = {m.entity for m in current().linker.find(spelled)}
        normalized = names.normalize_name(query)
        condition = (
            Q(name__icontains=query) | Q(name_fa__icontains=query) | Q(description__icontains=query)
            | Q(aliases__name__icontains=query) | Q(pk__in=linked)
        )
        if normalized:
            condition |= Q(aliases__normalized__icontains=normalized)
        return queryset.filter(pk__in=Entity.objects.filter(condition).values("pk"))


class EntityViewSet(SnippetViewSet):
    model = Entity
    icon = "user"
    menu_label = "Entities"
    index_view_class = EntityIndexView
    list_display = ["name", "kind", Column("name_count", label="Names", accessor="alias_count"), UpdatedAtColumn()]
    filterset_class = EntityFilterSet
    ordering = ["name"]

    def get_queryset(self, request):
        from django.db.models import Count

        return Entity.objects.annotate(alias_count=Count("aliases"))


class FigureFilterSet(WagtailFilterSet):
    qualifier = django_filters.ChoiceFilter(choices=Qualifier.choices)
    about = django_filters.ModelChoiceFilter(queryset=Entity.objects.all(), label="About")

    class Meta:
        model = Figure
        fields = ["qualifier", "about"]


class FigureViewSet(SnippetViewSet):
    model = Figure
    icon = "list-ol"
    menu_label = "Figures"
    list_display = ["__str__", "period", Column("source_count", label="Sources", accessor="source_count")]
    filterset_class = FigureFilterSet
    search_backend_name = None
    search_fields = ["counts", "quote", "period"]

    def get_queryset(self, request):
        from django.db.models import Count

        return Figure.objects.annotate(source_count=Count("figure_sources"))


class SourceFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices)

    class Meta:
        model = Source
        fields = ["kind", "confidential"]


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "doc-full"
    menu_label = "Sources"
    list_display = ["__str__", "kind", "publisher", "date", "confidential"]
    filterset_class = SourceFilterSet
    search_backend_name = None
    search_fields = ["title", "publisher", "url"]


class FactsDeskGroup(SnippetViewSetGroup):
    items = (EntityViewSet, FigureViewSet, SourceViewSet)
    menu_label = "Facts desk"
    menu_icon = "tasks"
    menu_order = 250
    submenu_hook = "register_facts_desk_menu_item"


register_snippet(FactsDeskGroup)


@hooks.register("register_facts_desk_menu_item")
def name_review_menu_item():
    return MenuItem("Name review", reverse("facts_review:index"), icon_name="help", order=10)


@hooks.register("register_admin_urls")
def review_urls():
    from django.urls import include

    patterns = [
        path("", views.review_index, name="index"),
        path("<int:pk>/", views.review_decide, name="decide"),
    ]
    return [path("facts/names/", include((patterns, "facts_review"), namespace="facts_review"))]


# --- the lint in the editor ---------------------------------------------------------------

def _warn(request, page):
    from .lint import BREAKDOWN_EXCEEDS_TOTAL, FIGURE_CONFLICT, INFO_KINDS, REGISTRY_DIVERGENCE
    from .registry import lint_article

    if not request.accepts("text/html"):
        return  # an autosave (JSON): the editor sees the warnings on the next full save
    page = page.specific if hasattr(page, "specific") else page
    if not isinstance(page, ArticlePage):
        return
    revision = page.get_latest_revision_as_object() if page.pk else page
    problems = lint_article(revision).problems
    if not problems:
        return
    # Contradictions one by one (they may block publication); the rest counted, with the details
    # in the editor's Facts check panel.
    serious = [p for p in problems if p.kind in (FIGURE_CONFLICT, BREAKDOWN_EXCEEDS_TOTAL, REGISTRY_DIVERGENCE)]
    for problem in serious[:MAX_MESSAGES]:
        messages.warning(request, format_html("Facts check — {}: {}", problem.kind, problem.message))
    for problem in [p for p in problems if p.kind in INFO_KINDS][:MAX_MESSAGES]:
        messages.info(request, format_html("Facts check (for information) — {}: {}", problem.kind, problem.message))
    others = Counter(p.kind for p in problems if p not in serious[:MAX_MESSAGES] and p.kind not in INFO_KINDS)
    if others:
        summary = ", ".join(f"{count} {kind}" for kind, count in others.items())
        messages.warning(request, f"Facts check: {summary}. The Facts check panel at the top of the article lists them.")


hooks.register("after_create_page", _warn)
hooks.register("after_edit_page", _warn)


def _registry_edited(request, instance):
    """Entity names changed: every article is relinked, by the background worker."""
    objects = instance if isinstance(instance, (list, tuple)) else [instance]
    if any(isinstance(o, Entity) for o in objects):
        background.enqueue(tasks.relink_everything)


for _hook in ("after_create_snippet", "after_edit_snippet", "after_delete_snippet"):
    hooks.register(_hook, _registry_edited)


# --- the facts desk in the newsroom (see newsroom/extensions.py) -----------------------------------

hooks.register(extensions.HOME_ROUTES, routes.home_routes)
hooks.register(extensions.BAKE_TARGETS, routes.bake_targets)
hooks.register(extensions.SITEMAP_ENTRIES, routes.sitemap_entries)
hooks.register(extensions.PUBLISH_CHECKS, checks.figure_conflicts)
hooks.register(extensions.PUBLISH_STEPS, steps.steps)


@hooks.register(extensions.ARTICLE_PANELS)
def article_panels():
    return [("top", FactsCheckPanel())]


@hooks.register(extensions.BAKE_PRELOAD)
def preload_mentions(pages):
    """Each page's mentions (the first ones become links to entity pages), for all at once."""
    mentions = {}
    for mention in Mention.objects.filter(page_id__in=list(pages)).select_related("entity").order_by("start"):
        mentions.setdefault(mention.page_id, []).append(mention)
    for page in pages.values():
        extensions.preload(page, "facts.mentions", mentions.get(page.pk, []))
