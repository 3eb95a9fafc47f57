"""The wire monitor in the Wagtail admin: a "Wire feeds" menu with the feeds (add, edit, status,
last error, "Check now") and the items seen in them (read-only, with their group)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import WireFeed, WireItem


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Items are written by the monitor only: editors can look, not add, change or delete (a
    deleted item would come back as new at the next check)."""

    def user_has_permission(self, user, action):
        return action not in ("add", "change", "delete") and super().user_has_permission(user, action)


register_permission_policy(WireItem, ReadOnlyPolicy(WireItem))


class WireFeedViewSet(SnippetViewSet):
    model = WireFeed
    icon = "rss"
    menu_label = "Feeds"
    list_display = [
        "agency", "url", "section",
        BooleanColumn("publish_new_items", label="Publish"),
        BooleanColumn("active"),
        Column("status", label="Status"),
        Column("last_checked_at", label="Last checked"),
        Column("item_total", label="Items"),
    ]
    list_filter = ["active", "publish_new_items"]
    search_backend_name = None
    search_fields = ["agency", "url"]
    ordering = ["agency", "url"]

    def get_queryset(self, request):
        return WireFeed.objects.select_related("section").annotate(item_total=Count("items"))


class WireItemViewSet(SnippetViewSet):
    model = WireItem
    icon = "openquote"
    menu_label = "Items"
    inspect_view_enabled = True
    list_display = ["title", Column("feed", label="Feed", accessor="feed.agency"), "published",
                    Column("group", label="Brief or group"), "seen_at"]
    list_filter = ["feed"]
    search_backend_name = None
    search_fields = ["title", "link"]
    ordering = ["-seen_at", "-pk"]
    inspect_view_fields = ["feed", "title", "link", "published", "summary", "brief", "duplicate_of", "seen_at", "guid"]

    def get_queryset(self, request):
        return WireItem.objects.select_related("feed", "brief", "duplicate_of__feed")


class WireGroup(SnippetViewSetGroup):
    items = (WireFeedViewSet, WireItemViewSet)
    menu_label = "Wire feeds"
    menu_icon = "rss"
    menu_order = 170


register_snippet(WireGroup)


class CheckNowView(WagtailAdminTemplateMixin, TemplateView):
    """Check one feed at once: a confirmation (GET), then the check (POST), with its result as a
    message on the feed listing."""

    template_name = "wire/check_now.html"
    header_icon = "rss"

    def dispatch(self, request, pk):
        if not request.user.has_perm("wire.change_wirefeed"):
            raise PermissionDenied
        self.feed = get_object_or_404(WireFeed.objects.select_related("section"), pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return f"Check {self.feed.agency} now"

    def get_context_data(self, **kwargs):
        return super().get_context_data(feed=self.feed, index_url=_index_url(), **kwargs)

    def post(self, request, pk):
        from django.db import DatabaseError

        from .monitor import check_feed

        try:
            report = check_feed(self.feed)
        except DatabaseError as exc:
            messages.error(request, f"{self.feed}: cannot write to the database ({exc}); free disk space and try again")
            return redirect(_index_url())
        if report.ok:
            messages.success(request, report.line())
        else:
            messages.error(request, report.line())
        return redirect(_index_url())


def _index_url():
    return reverse("wagtailsnippets_wire_wirefeed:list")


@hooks.register("register_admin_urls")
def wire_urls():
    return [path("wire/check/<int:pk>/", CheckNowView.as_view(), name="wire_check_now")]


@hooks.register("register_snippet_listing_buttons")
def check_now_button(instance, user, next_url=None):
    if isinstance(instance, WireFeed) and user.has_perm("wire.change_wirefeed"):
        yield MenuItem("Check now", reverse("wire_check_now", args=[instance.pk]), icon_name="resubmit", priority=15)
