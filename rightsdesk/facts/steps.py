"""The facts desk's step in the publish pipeline (newsroom/publishing.py): "names", the mentions
of registered entities in the articles whose text changed."""

from rightsdesk.newsroom.models import ArticlePage
from rightsdesk.newsroom.publishing import Step

from .linking import relink


def link_names(change):
    """Relink each saved or published article (once per transaction, however often saved)."""
    for page in ArticlePage.objects.filter(pk__in=sorted(change.saved | change.published)):
        relink(page)


def steps():
    return [Step("names", link_names)]


# The registry: readers see entity pages and links made from it.
REGISTRY_MODELS = ("facts.Entity", "facts.Alias", "facts.Figure", "facts.FigureSource", "facts.Source",
                   "facts.FactsSettings")
