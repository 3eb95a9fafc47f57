"""The article edit form: publication is refused when a check an app registered refuses it
(extensions.PUBLISH_CHECKS; the facts desk refuses figures that contradict each other)."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Site

from . import extensions


class ArticlePageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        if not self.data.get("action-publish"):
            return cleaned
        site = self.instance.get_site() if self.instance.pk else (self.parent_page.get_site() if self.parent_page else None)
        site = site or Site.objects.filter(is_default_site=True).first()
        if site is None:
            return cleaned
        draft = type(self.instance)(title=cleaned.get("title") or "", dek=cleaned.get("dek") or "",
                                    body=cleaned.get("body"))
        messages = extensions.publish_checks(draft, site)
        if messages:
            raise ValidationError(" ".join(messages), code="publish-check")
        return cleaned
