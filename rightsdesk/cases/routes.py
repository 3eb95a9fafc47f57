"""The cases desk's routes under each language's home page, and its public addresses for the
mirror's bake. Registered through the newsroom's extension points (``wagtail_hooks.py``).

Each view is called as ``view(home, request, **kwargs)`` (see newsroom/extensions.py).
"""
from __future__ import annotations

from django.http import Http404
from django.urls import path
from django.utils.translation import get_language

from rightsdesk.newsroom import selectors
from rightsdesk.newsroom.models import HomePage

from . import views
from .models import ActKind
from .dates import CALENDARS


def _render(home, request, context, template):
    context["base"] = selectors.page_url(home, request)
    return home.render(request, context_overrides=context, template=template)


def statistics(home, request, calendar=None, act="all"):
    return _render(home, request, views.statistics_context(home, calendar, act), "cases/statistics.html")


def statistics_csv(request, calendar, act, field):
    """A chart's table as CSV. A Django URL of its own (rightsdesk/urls.py), not a home route:
    Wagtail serves only addresses that end in '/', and a download keeps its .csv name."""
    return views.statistics_csv(home_of_request(request), calendar, act, field)


def csv_urlpatterns():
    return [path("statistics/<str:calendar>/<slug:act>/<slug:field>.csv", statistics_csv,
                 name="cases_statistics_csv")]


def home_of_request(request):
    """The live home page of the request's language."""
    home = HomePage.objects.live().filter(locale_id=selectors.locale_id_for(get_language())).first()
    if home is None:
        raise Http404("No home page for this language")
    return home


def case_index(home, request, number=1):
    return _render(home, request, views.case_index_context(home, number), "cases/case_index.html")


def case(home, request, pk):
    return _render(home, request, views.case_context(home, pk), "cases/case_page.html")


def home_routes():
    """The routes below every home page (extension point rightsdesk_home_routes)."""
    return [
        path("statistics/", statistics, name="cases_statistics"),
        path("statistics/<str:calendar>/<slug:act>/", statistics, name="cases_statistics_for"),
        path("cases/", case_index, name="cases_index"),
        path("cases/page/<int:number>/", case_index, name="cases_index_page"),
        path("cases/<int:pk>/", case, name="cases_case"),
    ]


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


def sitemap_entries(home, base):
    """Statistics pages and case pages for sitemap.xml (extension point rightsdesk_sitemap_entries)."""
    entries = [(base + "statistics/", None), (base + "cases/", None)]
    entries += [(f"{base}cases/{pk}/", updated) for pk, updated in
                views.public_acts().order_by("pk").values_list("pk", "updated_at")]
    return entries
