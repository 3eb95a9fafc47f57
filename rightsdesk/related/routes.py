"""The "How this works" page of Recommended to you, below each language's home page
(`recommended/`), so a baked copy of the site serves it as it serves any page.

The recommendations file itself is served by `views.recommendations` at
`<language home>/recommendations.json` (Wagtail's page URLs all end in a slash).
"""

from wagtail.contrib.routable_page.models import path


class RecommendationRoutesMixin:
    @path("recommended/", name="recommended_help")
    def recommended_help(self, request):
        return self.render(request, template="related/how_it_works.html")
