"""The newsroom's extension points: what the other apps (facts, evidence, wire, related, cases,
mirror) add to the newsroom without the newsroom importing them.

An app registers a function into a named Wagtail hook in its own `wagtail_hooks.py`:

    from wagtail import hooks

    @hooks.register("rightsdesk_home_routes")
    def home_routes():
        return [path("cases/<int:pk>/", case_view, name="case")]

The newsroom reads the hooks through the functions of this module (never `hooks.get_hooks`
elsewhere), so each extension point's signature is written down once, here:

`rightsdesk_home_routes` () -> [django.urls.path(...)]
    Routes served below every language's home page (e.g. `entities/`, `cases/<int:pk>/`), on the
    live site and in the bake. Each view is called as `view(home, request, *args, **kwargs)`
    (a method of the HomePage, as Wagtail's routable pages call their routes) and usually returns
    `home.render(request, template=..., context_overrides=...)`; it raises Http404 for what is
    not public. Names must be unique across apps; `home.reverse_subpage(name, args)` gives the
    address below the home page. The newsroom's own routes win on a clash.

`rightsdesk_bake_targets` (home, base) -> [address]
    The public addresses an app adds to the mirror's bake for one language: `home` is the
    language's HomePage, `base` its address ("/" or "/fa/"). Each address starts with `base`.
    Listings with numbered pages list every page. (Pages below sections, front pages, listings,
    tags, authors, feeds and the sitemap are the newsroom's and the mirror's own.)

`rightsdesk_sitemap_entries` (home, base) -> [(address, lastmod datetime or None)]
    The public addresses an app adds to sitemap.xml for one language (as in bake targets).

`rightsdesk_article_panels` () -> [(place, panel)]
    Editor panels an app adds to the ArticlePage editor's Content tab: place "top" (after the
    title, e.g. checks an editor reads first) or "end" (after the tags).

`rightsdesk_publish_checks` (page, site) -> [message]
    Called when an editor publishes an article from the editor (the draft as a page object, not
    saved; the site it is published on). A non-empty list refuses publication with the messages.

`rightsdesk_related_ids` (article, limit) -> [page id] or None
    The stored Related list of an article (ids of public articles, best first, at most `limit`);
    None when the app has no list for it (the newsroom then shows same tag or section). The first
    hook that answers something other than None wins.

`rightsdesk_bake_preload` (pages) -> None
    Before the bake renders a batch of articles and briefs (`pages`: {id: page}), an app loads
    what its parts of those pages need for all of them at once and attaches it with
    `preload(page, name, value)`; its own rendering code reads it back with
    `preloaded(page, name)` (None when nothing was preloaded: load it then as usual).

`rightsdesk_publish_steps` () -> [publishing.Step]
    An app's steps in the one publish pipeline (see publishing.py: the order is written there).

`rightsdesk_retraction_steps`
    Not a hook of its own: taking something off the public site is a Change of the publish
    pipeline (`publishing.Change.retracted`), so every step sees it; apps whose own data can
    leave the public site (a source marked confidential, a capture withdrawn) call
    `publishing.retract(...)` (see publishing.py).
"""

from wagtail import hooks

HOME_ROUTES = "rightsdesk_home_routes"
BAKE_TARGETS = "rightsdesk_bake_targets"
SITEMAP_ENTRIES = "rightsdesk_sitemap_entries"
ARTICLE_PANELS = "rightsdesk_article_panels"
PUBLISH_CHECKS = "rightsdesk_publish_checks"
RELATED_IDS = "rightsdesk_related_ids"
BAKE_PRELOAD = "rightsdesk_bake_preload"
PUBLISH_STEPS = "rightsdesk_publish_steps"

_PLACES = ("top", "end")


def home_routes():
    """The routes the apps add below every home page (see HOME_ROUTES)."""
    routes = []
    for fn in hooks.get_hooks(HOME_ROUTES):
        routes.extend(fn())
    return routes


def bake_targets(home, base):
    """The addresses the apps add to the bake for `home`'s language."""
    urls = []
    for fn in hooks.get_hooks(BAKE_TARGETS):
        urls.extend(fn(home, base))
    return urls


def sitemap_entries(home, base):
    """The (address, lastmod) pairs the apps add to the sitemap for `home`'s language."""
    entries = []
    for fn in hooks.get_hooks(SITEMAP_ENTRIES):
        entries.extend(fn(home, base))
    return entries


def article_panels():
    """({place: [panel]}) the apps add to the article editor."""
    placed = {place: [] for place in _PLACES}
    for fn in hooks.get_hooks(ARTICLE_PANELS):
        for place, panel in fn():
            if place not in placed:
                raise ValueError(f"{fn.__module__}.{fn.__name__}: panel place {place!r} is not one of {_PLACES}")
            placed[place].append(panel)
    return placed


def publish_checks(page, site):
    """The messages that refuse publishing `page` (empty: it may be published)."""
    messages = []
    for fn in hooks.get_hooks(PUBLISH_CHECKS):
        messages.extend(fn(page, site))
    return messages


def related_ids(article, limit):
    """The stored Related list of `article` (see RELATED_IDS), or None."""
    for fn in hooks.get_hooks(RELATED_IDS):
        ids = fn(article, limit)
        if ids is not None:
            return ids
    return None


def bake_preload(pages):
    """Let every app preload what it shows on the pages `pages` ({id: page})."""
    for fn in hooks.get_hooks(BAKE_PRELOAD):
        fn(pages)


def publish_steps():
    steps = []
    for fn in hooks.get_hooks(PUBLISH_STEPS):
        steps.extend(fn())
    return steps


# --- values preloaded for the bake ------------------------------------------------------------------

_PRELOADED = "rightsdesk_preloaded"


def preload(page, name, value):
    """Attach `value` to this page object for the rendering code that asks preloaded(page, name)."""
    page.__dict__.setdefault(_PRELOADED, {})[name] = value


def preloaded(page, name):
    """What preload() attached to this page object under `name`, or None."""
    return page.__dict__.get(_PRELOADED, {}).get(name)
