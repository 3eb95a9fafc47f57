"""Public pages of the cases desk, served as routes of each language's home page (see
``routes.py``): the statistics with their charts, tables and CSV files, and one page per published
case. Only records a second editor verified are shown; internal records are counted but have no
page; anonymised records have a page without anything that identifies the person; confidential
sources are never named."""
from __future__ import annotations

import csv
import io

from django.http import Http404, HttpResponse
from django.utils.safestring import mark_safe

from rightsdesk.newsroom import selectors

from . import dates, stats, svg
from .models import Act, ActKind, Visibility
from .ui import t

PAGE_SIZE = 100
# (field, title, shape) of the charts of a statistics page, in order.
CHARTS = [
    ("year", "By year", "columns"),
    ("month", "By month", "columns"),
    ("act", "By kind of act", "bars"),
    ("province", "By province", "bars"),
    ("charge", "By charge", "bars"),
    ("gender", "By gender", "bars"),
    ("ethnicity", "By ethnicity", "bars"),
    ("juvenile", "Juvenile offenders (under 18 at the alleged offence)", "bars"),
    ("public", "Carried out in public", "bars"),
    ("officially_announced", "Officially announced", "bars"),
    ("reported_by", "By reporting organisation", "bars"),
    ("status", "By verification status", "bars"),
]
CHART_FIELDS = [c[0] for c in CHARTS]
MONTHS_DRAWN = 36  # the month chart draws the latest three years; its table and CSV hold all


def default_calendar(language):
    return dates.JALALI if language == "fa" else dates.GREGORIAN


def _check(calendar, act):
    if calendar not in dates.CALENDARS:
        raise Http404("No such calendar")
    if act != "all" and not ActKind.objects.filter(code=act).exists():
        raise Http404("No such act")


def statistics_context(home, calendar=None, act="all"):
    language = selectors.language_of(home)
    calendar = calendar or default_calendar(language)
    _check(calendar, act)
    filters = {"published": True, "calendar": calendar, "act": None if act == "all" else act}
    charts = []
    total = None
    for field, title, shape in CHARTS:
        if field == "act" and act != "all":
            continue
        counts = stats.count_by(field, **filters)
        total = counts.total
        labels = stats.labels(field, list(counts.counts), calendar, language)
        rows = [{"key": k, "label": labels[k], "count": n} for k, n in counts.counts.items()]
        drawn = rows
        if field == "month":
            known = [r for r in rows if r["key"] != dates.UNKNOWN]
            drawn = known[-MONTHS_DRAWN:] + [r for r in rows if r["key"] == dates.UNKNOWN]
        items = [(r["label"], r["count"]) for r in drawn]
        heading = t(title, language)
        draw = svg.columns if shape == "columns" else svg.bars
        charts.append({
            "field": field, "title": heading, "rows": rows,
            "svg": mark_safe(draw(items, title=heading, language=language, chart_id=f"chart-{field}")) if rows else "",
            "csv": f"{field}.csv",
        })
    kinds = [{"code": k.code, "label": k.label(language)} for k in ActKind.objects.all()]
    return {
        "lang": language, "calendar": calendar, "act": act, "charts": charts, "total": total or 0,
        "kinds": kinds, "calendars": [(c, t(c.title(), language)) for c in dates.CALENDARS],
        "act_label": next((k["label"] for k in kinds if k["code"] == act), t("All acts", language)),
        "sample": Act.objects.published().filter(record_id__startswith="SAMPLE-").exists(),
    }


def statistics_csv(home, calendar, act, field):
    language = selectors.language_of(home)
    _check(calendar, act)
    if field not in CHART_FIELDS:
        raise Http404("No such statistic")
    counts = stats.count_by(field, published=True, calendar=calendar, act=None if act == "all" else act)
    labels = stats.labels(field, list(counts.counts), calendar, language)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([field, "label", "count"])
    for key, n in counts.counts.items():
        writer.writerow([key, labels[key], n])
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{act}-{field}-{calendar}.csv"'
    return response


def public_acts():
    return (Act.objects.with_pages().select_related("person", "kind", "province", "prison", "person__ethnicity")
            .order_by("-date_start", "pk"))


def case_index_context(home, number=1):
    language = selectors.language_of(home)
    acts = public_acts()
    total = acts.count()
    pages = max(1, -(-total // PAGE_SIZE))
    if not 1 <= number <= pages:
        raise Http404("No such page")
    rows = [_summary(a, language) for a in acts[(number - 1) * PAGE_SIZE: number * PAGE_SIZE]]
    return {"lang": language, "cases": rows, "number": number, "pages": pages, "total": total,
            "sample": any(r["sample"] for r in rows)}


def _summary(act, language):
    anonymised = act.visibility == Visibility.ANONYMISED
    person = act.person
    if anonymised:
        name = t("Name withheld", language)
    else:
        name = (person.name_fa or person.name) if language == "fa" else (person.name or person.name_fa)
        name = name or t("Name unknown", language)
    return {
        "pk": act.pk, "name": name, "kind": act.kind.label(language), "anonymised": anonymised,
        "date": dates.describe(act.date_start, act.date_end, act.date_precision, default_calendar(language), language),
        "province": act.province.label(language) if act.province_id else t("unknown", language),
        "sample": act.record_id.startswith("SAMPLE-"),
    }


def case_context(home, pk):
    language = selectors.language_of(home)
    act = public_acts().filter(pk=pk).prefetch_related("charges", "sources", "reports__organisation").first()
    if act is None:
        raise Http404("No such case")
    summary = _summary(act, language)
    anonymised = summary["anonymised"]
    person = act.person
    facts = [
        (t("Date", language), act.date_display(language)),
        (t("Province", language), summary["province"]),
    ]
    if not anonymised:
        if act.city:
            facts.append((t("City", language), act.city))
        if act.prison_id:
            facts.append((t("Prison", language), act.prison.label(language)))
    separator = "، " if language == "fa" else ", "
    charges = separator.join(c.label(language) for c in act.charges.all()) or t("unknown", language)
    facts.append((t("Charges", language), charges))
    facts.append((t("Gender", language), t(person.gender, language)))
    if not anonymised:
        if act.age is not None:
            facts.append((t("Age at the act", language), dates.fa_digits(act.age) if language == "fa" else act.age))
        if act.age_at_offence is not None:
            facts.append((t("Age at the alleged offence", language),
                          dates.fa_digits(act.age_at_offence) if language == "fa" else act.age_at_offence))
        if person.ethnicity_id:
            facts.append((t("Ethnicity", language), person.ethnicity.label(language)))
    facts.append((t("Carried out in public", language), t(act.public, language)))
    facts.append((t("Officially announced", language), t(act.officially_announced, language)))
    facts.append((t("Verification status", language), t(act.status, language)))
    reporters = sorted({r.organisation.label(language) for r in act.reports.all()})
    sources = []
    if not anonymised:
        for s in act.sources.all():
            if s.confidential:
                sources.append({"confidential": True})
            else:
                sources.append({"url": s.url, "title": s.title or s.url, "reliability": s.reliability})
    other_names = []
    if not anonymised and person.name and person.name_fa:
        other_names = [person.name_fa if language != "fa" else person.name]
    return {
        "lang": language, "case": summary, "facts": facts, "reporters": reporters, "sources": sources,
        "narrative": "" if anonymised else act.narrative, "other_names": other_names,
        "title": f"{summary['name']}: {summary['kind']}",
    }


def case_path(act):
    """The public address of a record under a home page's base ('' for none), or None."""
    if act.state != "approved" or act.visibility == Visibility.INTERNAL:
        return None
    return f"cases/{act.pk}/"
