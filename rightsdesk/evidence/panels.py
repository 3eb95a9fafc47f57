"""The "Evidence" panel of the article editor: the captures the article was made from."""

from wagtail.admin.panels import HelpPanel

from .watch import removed_citations_for_page  # trust: the removed-source flag


class EvidencePanel(HelpPanel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", "Evidence")
        kwargs.setdefault("template", "evidence/admin/evidence_panel.html")
        super().__init__(**kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def is_shown(self):
            return bool(self.instance and self.instance.pk and self.instance.evidence_links.exists())

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["links"] = self.instance.evidence_links.select_related("capture")
            context["removed"] = removed_citations_for_page(self.instance)
            return context
