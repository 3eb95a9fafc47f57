"""The evidence desk's place in the Wagtail admin: an "Evidence desk" menu with the captures and
the capture form, and the permissions editors can be given."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from rightsdesk.newsroom import extensions

from . import trust_views, views
from .panels import EvidencePanel


@hooks.register(extensions.ARTICLE_PANELS)
def article_panels():
    return [("top", EvidencePanel())]


@hooks.register("register_admin_urls")
def evidence_urls():
    patterns = [
        path("", views.index, name="index"),
        path("capture/", views.add, name="add"),
        path("<int:pk>/", views.detail, name="detail"),
        path("<int:pk>/original/<str:kind>/", views.original, name="original"),
        path("<int:pk>/import/", views.import_article, name="import"),
        path("<int:pk>/source/", views.make_source, name="source"),
        path("<int:pk>/withdraw/", views.withdraw_view, name="withdraw"),
        # trust: replay, watched sources
        path("replay/", trust_views.replay_index, name="replay_index"),
        path("replay/<str:name>", trust_views.replay_asset, name="replay_asset"),
        path("<int:pk>/replay/<str:name>", trust_views.replay_source, name="replay_source"),
        path("watched/", trust_views.watch_index, name="watch"),
        path("watched/<int:pk>/", trust_views.watch_detail, name="watch_detail"),
        path("watched/<int:pk>/check/", trust_views.watch_check, name="watch_check"),
    ]
    return [path("evidence/", include((patterns, "evidence"), namespace="evidence"))]


class PermittedMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


evidence_menu = Menu(register_hook_name="register_evidence_desk_menu_item", construct_hook_name=None)


@hooks.register("register_evidence_desk_menu_item")
def captures_item():
    return PermittedMenuItem("Captures", reverse("evidence:index"), icon_name="doc-full-inverse", order=10,
                             permission="evidence.view_capture")


@hooks.register("register_evidence_desk_menu_item")
def capture_page_item():
    return PermittedMenuItem("Capture a page", reverse("evidence:add"), icon_name="plus", order=20,
                             permission="evidence.add_capture")


@hooks.register("register_evidence_desk_menu_item")
def watched_sources_item():
    return PermittedMenuItem("Watched sources", reverse("evidence:watch"), icon_name="view", order=30,
                             permission="evidence.view_capture")


class EvidenceDeskMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return request.user.has_perm("evidence.view_capture")


@hooks.register("register_admin_menu_item")
def evidence_desk_menu():
    return EvidenceDeskMenuItem("Evidence desk", evidence_menu, icon_name="doc-full-inverse", order=310)


@hooks.register("register_permissions")
def evidence_permissions():
    return Permission.objects.filter(content_type__app_label="evidence",
                                     codename__in=["view_capture", "add_capture", "withdraw_capture"])
