"""Admin: flat listings of all articles and all wire briefs, whatever their section or language;
and the newsroom's own steps in the publish pipeline (publishing.py)."""

from wagtail import hooks
from wagtail.admin.viewsets.pages import PageListingViewSet

from . import extensions, publishing
from .models import ArticlePage, BriefPage

hooks.register(extensions.PUBLISH_STEPS, publishing.newsroom_steps)


class ArticleListingViewSet(PageListingViewSet):
    model = ArticlePage
    icon = "doc-full"
    menu_label = "Articles"
    menu_order = 150
    add_to_admin_menu = True


class BriefListingViewSet(PageListingViewSet):
    model = BriefPage
    icon = "openquote"
    menu_label = "Wire briefs"
    menu_order = 160
    add_to_admin_menu = True


@hooks.register("register_admin_viewset")
def register_listings():
    return [ArticleListingViewSet("articles"), BriefListingViewSet("wire_briefs")]
