"""Page fragments below each language's home page: Latest news and Must read on their own.

A baked page (the mirror) cannot carry the Latest news and Must read lists of the moment it was
baked: after the next publish every page of the site would have to be baked again. The baked
pages instead load these two fragments (`fragments/sidebars/`, `fragments/must-read/`) with a few
lines of script (mirror/fragments.js), so a publish re-bakes two small files; without JavaScript,
readers get links to the front page and the archive (`fragment_slot` in newsroom_tags). The live
site serves the same fragments.
"""

from django.template.response import TemplateResponse
from wagtail.contrib.routable_page.models import path

from . import selectors


class FragmentRoutesMixin:
    @path("fragments/sidebars/", name="fragment_sidebars")
    def fragment_sidebars(self, request):
        return self._fragment(request, "mirror/fragment_sidebars.html")

    @path("fragments/must-read/", name="fragment_must_read")
    def fragment_must_read(self, request):
        return self._fragment(request, "mirror/fragment_must_read.html")

    def _fragment(self, request, template):
        response = TemplateResponse(request, template, {"page": self, "home": self, "lang": selectors.language_of(self)})
        response["X-Robots-Tag"] = "noindex"
        return response
