"""The cases desk in the Wagtail admin: records, people and the controlled lists as snippets; the
workflow, duplicates, reconciliation and import pages; nothing can be deleted (withdraw instead)."""
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

import django_filters

from rightsdesk.newsroom import extensions

from . import admin_views, routes, workflow
from .figures import registry_figures
from .models import (
    Act, ActKind, Charge, Ethnicity, Person, Prison, Province, PublishedCount, ReportingOrganisation, SavedFilter,
    State, Status, Visibility,
)


class WorkflowColumn(Column):
    def get_value(self, instance):
        url = reverse("cases_admin:workflow", args=[instance.pk])
        return format_html('<a href="{}">{}</a>', url, instance.get_state_display())


class ActFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(choices=State.choices)
    status = django_filters.ChoiceFilter(choices=Status.choices)
    visibility = django_filters.ChoiceFilter(choices=Visibility.choices)

    class Meta:
        model = Act
        fields = ["state", "status", "visibility", "kind", "province"]


class ActViewSet(SnippetViewSet):
    model = Act
    icon = "doc-full-inverse"
    menu_label = "Records"
    list_display = ["record_id", "person", "kind", Column("date", label="Date", accessor="date_text"),
                    "province", "status", WorkflowColumn("state", label="Workflow")]
    filterset_class = ActFilterSet
    search_backend_name = None
    search_fields = ["record_id", "person__name", "person__name_fa", "city"]
    ordering = ["-date_start"]

    def get_queryset(self, request):
        return Act.objects.select_related("person", "kind", "province")


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = "People"
    list_display = ["__str__", "name_fa", "gender"]
    search_backend_name = None
    search_fields = ["name", "name_fa"]


def _list_viewset(list_model, icon="list-ul"):
    return type(f"{list_model.__name__}ViewSet", (SnippetViewSet,), {
        "model": list_model, "icon": icon, "list_display": ["name", "name_fa", "code"],
        "search_backend_name": None, "search_fields": ["name", "name_fa", "code", "aliases"],
    })


class CountViewSet(SnippetViewSet):
    model = PublishedCount
    icon = "list-ol"
    menu_label = "Published counts"


class SavedFilterViewSet(SnippetViewSet):
    model = SavedFilter
    icon = "list-ol"
    menu_label = "Figures for the facts desk"


class CasesDeskGroup(SnippetViewSetGroup):
    items = (ActViewSet, PersonViewSet, _list_viewset(ActKind), _list_viewset(Charge), _list_viewset(Province, "site"),
             _list_viewset(Ethnicity), _list_viewset(Prison, "lock"), _list_viewset(ReportingOrganisation, "group"),
             CountViewSet, SavedFilterViewSet)
    menu_label = "Cases desk"
    menu_icon = "folder-open-inverse"
    menu_order = 260
    submenu_hook = "register_cases_desk_menu_item"


register_snippet(CasesDeskGroup)


@hooks.register("register_cases_desk_menu_item")
def duplicates_menu_item():
    return MenuItem("Duplicates", reverse("cases_admin:duplicates"), icon_name="duplicate", order=1000)


@hooks.register("register_cases_desk_menu_item")
def reconciliation_menu_item():
    return MenuItem("Reconciliation", reverse("cases_admin:reconciliation"), icon_name="table", order=1001)


@hooks.register("register_cases_desk_menu_item")
def import_menu_item():
    return MenuItem("Import a file", reverse("cases_admin:import"), icon_name="upload", order=1002)


@hooks.register("register_admin_urls")
def cases_admin_urls():
    patterns = [
        path("record/<int:pk>/", admin_views.record_workflow, name="workflow"),
        path("record/<int:pk>/verify/", admin_views.record_verify, name="verify"),
        path("record/<int:pk>/withdraw/", admin_views.record_withdraw, name="withdraw"),
        path("duplicates/", admin_views.duplicate_list, name="duplicates"),
        path("duplicates/decide/", admin_views.duplicate_decide, name="decide"),
        path("reconciliation/", admin_views.reconciliation, name="reconciliation"),
        path("import/", admin_views.import_upload, name="import"),
    ]
    return [path("cases/", include((patterns, "cases_admin"), namespace="cases_admin"))]


@hooks.register("register_log_actions")
def cases_log_actions(actions):
    actions.register_action("cases.import", "Imported", "Imported from a file")
    actions.register_action("cases.verify", "Verified", "Verified by a second editor")
    actions.register_action("cases.unverify", "Needs verifying again", "Edited after verification: back to draft")
    actions.register_action("cases.withdraw", "Withdrawn", "Withdrawn")
    actions.register_action("cases.merge", "Merged", "Duplicates merged")


@hooks.register("after_create_snippet")
def record_created(request, instance):
    if isinstance(instance, Act) and instance.created_by_id is None:
        Act.objects.filter(pk=instance.pk).update(created_by=request.user)


@hooks.register("after_edit_snippet")
def record_edited(request, instance):
    if isinstance(instance, Act):
        workflow.edited(instance, request.user)


_KEPT = (Act, Person, ActKind, Charge, Province, Ethnicity, Prison, ReportingOrganisation)


@hooks.register("before_delete_snippet")
def never_delete(request, instances):
    if any(isinstance(i, _KEPT) for i in instances):
        messages.error(request, "Records and list entries are never deleted: withdraw a record with a reason "
                                "(Workflow), or rename a list entry.")
        return redirect(request.META.get("HTTP_REFERER") or reverse("wagtailadmin_home"))


@hooks.register("rightsdesk_figure_providers")
def case_figures():
    return registry_figures()


hooks.register(extensions.HOME_ROUTES, routes.home_routes)
hooks.register(extensions.BAKE_TARGETS, routes.bake_urls)
hooks.register(extensions.SITEMAP_ENTRIES, routes.sitemap_entries)
