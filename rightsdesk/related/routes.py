"""The "How this works" page of Recommended to you, below each language's home page
(`recommended/`), so a baked copy of the site serves it as it serves any page; and the addresses
the bake adds for this app (the page, and the recommendations file).

The recommendations file itself is served by `views.recommendations` at
`<language home>/recommendations.json` (Wagtail's page URLs all end in a slash).
"""

from django.urls import path


def recommended_help(home, request):
    return home.render(request, template="related/how_it_works.html")


def home_routes():
    return [path("recommended/", recommended_help, name="recommended_help")]


def bake_targets(home, base):
    return [base + "recommended/", base + "recommendations.json"]
