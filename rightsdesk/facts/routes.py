"""The facts desk's public pages below each language's home page (`entities/`,
`entities/<slug>/`), and their addresses for the bake and the sitemap (registered into the
newsroom's extension points in wagtail_hooks.py)."""

from django.urls import path

from rightsdesk.newsroom import selectors

from .views import entity_context, entity_index_context, public_entities


def entities(home, request):
    return home.render(
        request,
        context_overrides=entity_index_context(home, selectors.language_of(home)),
        template="facts/entity_index.html",
    )


def entity(home, request, slug):
    return home.render(
        request,
        context_overrides=entity_context(home, selectors.language_of(home), slug, request),
        template="facts/entity_page.html",
    )


def home_routes():
    return [
        path("entities/", entities, name="entities"),
        path("entities/<slug:slug>/", entity, name="entity"),
    ]


def bake_targets(home, base):
    urls = [base + "entities/"]
    urls += [f"{base}entities/{e.slug}/" for e in sorted(public_entities(home), key=lambda e: e.slug)]
    return urls


def sitemap_entries(home, base):
    entries = [(base + home.reverse_subpage("entities"), None)]
    for e in sorted(public_entities(home), key=lambda e: e.slug):
        entries.append((base + home.reverse_subpage("entity", args=[e.slug]), e.updated_at))
    return entries
