"""The article editor's Related panels: pins, exclusions, and the stored list with its reasons."""

from wagtail.admin.panels import HelpPanel, InlinePanel

from .models import RelatedItem


class RelatedExplainPanel(HelpPanel):
    """The article's current Related list (as readers see it), each item with why it is there."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", "Related: current list")
        kwargs.setdefault("template", "related/admin/related_panel.html")
        super().__init__(**kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["saved"] = bool(page and page.pk)
            context["live"] = bool(page and page.live)
            if context["saved"]:
                context["items"] = list(
                    RelatedItem.objects.filter(article_id=page.pk).select_related("target").order_by("rank")
                )
            return context


def related_panels():
    """Panels for ArticlePage.content_panels."""
    return [
        InlinePanel(
            "related_pins", heading="Related: pinned", label="Pinned article",
            help_text="Shown first in this article's Related list, in this order (same language only). "
            "Takes effect when the article is published.",
        ),
        InlinePanel(
            "related_exclusions", heading="Related: never show", label="Excluded article",
            help_text="Never shown in this article's Related list.",
        ),
        RelatedExplainPanel(),
    ]
