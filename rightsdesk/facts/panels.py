"""The "Facts check" panel of the article editor: what the lint finds in the draft being edited."""

from wagtail.admin.panels import HelpPanel

from .models import FactsSettings
from .registry import lint_article


class FactsCheckPanel(HelpPanel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", "Facts check")
        kwargs.setdefault("template", "facts/admin/facts_check_panel.html")
        super().__init__(**kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["saved"] = bool(page and page.pk)
            if context["saved"]:
                report = lint_article(page)
                from .lint import INFO_KINDS

                context["problems"] = [p for p in report.problems if p.kind not in INFO_KINDS]
                context["information"] = [p for p in report.problems if p.kind in INFO_KINDS]
                context["figure_count"] = len(report.figures)
                context["entities"] = [e for e in report.entities if e.registered]
                context["blocking"] = FactsSettings.for_request(self.request).block_on_figure_conflict
            return context
