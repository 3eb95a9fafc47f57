"""The facts desk's check before an article is published from the editor: refused when the
figures contradict each other and the site says so (registered as extensions.PUBLISH_CHECKS)."""

from .lint import FIGURE_CONFLICT
from .models import FactsSettings
from .registry import lint_article


def figure_conflicts(page, site):
    """The message refusing publication of the draft `page` on `site`, or nothing."""
    if not FactsSettings.for_site(site).block_on_figure_conflict:
        return []
    conflicts = lint_article(page).by_kind(FIGURE_CONFLICT)
    if not conflicts:
        return []
    return [
        "Not published: the figures contradict each other (figure-conflict). "
        + " ".join(p.message for p in conflicts[:3])
        + " Correct the figures, or save a draft and ask an editor."
    ]
