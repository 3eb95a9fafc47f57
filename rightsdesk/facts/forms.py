"""The article edit form: refuses publication when the site blocks on contradicting figures."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm


class FactsCheckedPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        if not self.data.get("action-publish"):
            return cleaned
        from .lint import FIGURE_CONFLICT
        from .models import FactsSettings
        from .registry import lint_article

        from wagtail.models import Site

        site = self.instance.get_site() if self.instance.pk else (self.parent_page.get_site() if self.parent_page else None)
        site = site or Site.objects.filter(is_default_site=True).first()
        if site is None or not FactsSettings.for_site(site).block_on_figure_conflict:
            return cleaned
        draft = type(self.instance)(title=cleaned.get("title") or "", dek=cleaned.get("dek") or "",
                                    body=cleaned.get("body"))
        conflicts = lint_article(draft).by_kind(FIGURE_CONFLICT)
        if conflicts:
            raise ValidationError(
                "Not published: the figures contradict each other (figure-conflict). "
                + " ".join(p.message for p in conflicts[:3])
                + " Correct the figures, or save a draft and ask an editor.",
                code="figure-conflict",
            )
        return cleaned
