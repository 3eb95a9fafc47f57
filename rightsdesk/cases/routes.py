"""The cases desk's routes under each language's home page, and its public addresses for the
mirror's bake. Registered through the newsroom's extension points (``wagtail_hooks.py``).

Each route is (pattern, name, view); a view is called as ``view(home, request, **kwargs)``.
"""
from __future__ import annotations

from django.urls import path

from . import views
from .models import ActKind
from .dates import CALENDARS


def _render(home, request, context, template):
    from rightsdesk.newsroom import selectors

    context["base"] = selectors.page_url(home, request)
    return home.render(request, context_overrides=context, template=template)


def statistics(home, request, calendar=None, act="all"):
    return _render(home, request, views.statistics_context(home, calendar, act), "cases/statistics.html")


def statistics_csv(home, request, calendar, act, field):
    return views.statistics_csv(home, calendar, act, field)


def case_index(home, request, number=1):
    return _render(home, request, views.case_index_context(home, number), "cases/case_index.html")


def case(home, request, pk):
    return _render(home, request, views.case_context(home, pk), "cases/case_page.html")


def home_routes():
    """(pattern, name, view) of every route, as django.urls patterns relative to a home page."""
    return [
        ("statistics/", "cases_statistics", statistics),
        ("statistics/<str:calendar>/<slug:act>/", "cases_statistics_for", statistics),
        ("statistics/<str:calendar>/<slug:act>/<slug:field>.csv", "cases_statistics_csv", statistics_csv),
        ("cases/", "cases_index", case_index),
        ("cases/page/<int:number>/", "cases_index_page", case_index),
        ("cases/<int:pk>/", "cases_case", case),
    ]


def urlpatterns_for(home_of_request):
    """django.urls patterns serving the routes, for a site that wires them in urls.py:
    ``home_of_request(request)`` returns the home page of the request's language."""
    patterns = []
    for pattern, name, view in home_routes():
        def serve(request, _view=view, **kwargs):
            return _view(home_of_request(request), request, **kwargs)
        patterns.append(path(pattern, serve, name=name))
    return patterns


def bake_urls(home, base):
    """Every public address of the cases desk under one home page's address ``base``."""
    urls = [base + "statistics/", base + "cases/"]
    kinds = ["all", *ActKind.objects.values_list("code", flat=True)]
    for calendar in CALENDARS:
        for act in kinds:
            urls.append(f"{base}statistics/{calendar}/{act}/")
            urls += [f"{base}statistics/{calendar}/{act}/{field}.csv" for field in views.CHART_FIELDS]
    total = views.public_acts().count()
    pages = max(1, -(-total // views.PAGE_SIZE))
    urls += [f"{base}cases/page/{n}/" for n in range(2, pages + 1)]
    urls += [f"{base}cases/{pk}/" for pk in views.public_acts().values_list("pk", flat=True).order_by("pk")]
    return urls


def home_of_request(request):
    """The live home page of the request's language (for urls.py wiring)."""
    from django.http import Http404
    from django.utils.translation import get_language

    from rightsdesk.newsroom import selectors
    from rightsdesk.newsroom.models import HomePage

    home = HomePage.objects.live().filter(locale_id=selectors.locale_id_for(get_language())).first()
    if home is None:
        raise Http404("No home page for this language")
    return home
