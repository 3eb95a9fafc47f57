"""The related app in the newsroom (see newsroom/extensions.py): the editor's Related panels, the
"How this works" page, the stored Related lists, and what the bake preloads for them."""

from wagtail import hooks

from rightsdesk.newsroom import extensions

from . import routes, steps
from .panels import related_panels
from .recommend import stored_ids
from .selectors import related_ids_for

hooks.register(extensions.HOME_ROUTES, routes.home_routes)
hooks.register(extensions.BAKE_TARGETS, routes.bake_targets)
hooks.register(extensions.RELATED_IDS, related_ids_for)


@hooks.register(extensions.ARTICLE_PANELS)
def article_panels():
    return [("end", panel) for panel in related_panels()]


@hooks.register(extensions.BAKE_PRELOAD)
def preload_related_ids(pages):
    """Each article's stored Related list, for all pages at once."""
    related = stored_ids(list(pages))
    for page in pages.values():
        extensions.preload(page, "related.ids", related.get(page.pk, []))

hooks.register(extensions.PUBLISH_STEPS, steps.steps)
