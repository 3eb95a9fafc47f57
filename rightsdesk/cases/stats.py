"""Statistics computed from the records (never typed in): counts by a field, in either calendar,
with filters.

One GROUP BY query per count. The month and year a record counts under, in each calendar, are
stored on the record when it is saved (``Act.g_month``... see ``dates.month_key``): a date that does
not fall entirely inside one month or year counts under ``unknown``. A record with two charges
counts once under each (and so the charge counts may add up to more than the records).
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Count, F

from . import dates
from .fields import FIELDS, MULTI
from .models import Act, ActKind, Charge, Ethnicity, Province, ReportingOrganisation, Status, YesNo

UNKNOWN = dates.UNKNOWN


def _group_field(by, calendar):
    return {
        "year": "j_year" if calendar == dates.JALALI else "g_year",
        "month": "j_month" if calendar == dates.JALALI else "g_month",
        # Grouped on the list entry's id (no join to the list table), named afterwards (_KEYS).
        "province": "province_id",
        "charge": "charges",
        "gender": "person__gender",
        "ethnicity": "person__ethnicity_id",
        "act": "kind_id",
        "public": "public",
        "officially_announced": "officially_announced",
        "reported_by": "reports__organisation_id",
        "status": "status",
    }[by]


# The key a list entry is counted under: the province's English name, the charge's code...
_KEYS = {"province": (Province, "name"), "charge": (Charge, "code"), "ethnicity": (Ethnicity, "name"),
         "act": (ActKind, "code"), "reported_by": (ReportingOrganisation, "name")}


@dataclass
class Counts:
    by: str
    calendar: str
    counts: "OrderedDict[str, int]"
    total: int  # records counted (a record with two charges is one record)

    def as_dict(self):
        return {"by": self.by, "calendar": self.calendar, "counts": dict(self.counts), "total": self.total}


def filtered(*, act=None, status=None, published=False, province=None, year=None, calendar=dates.GREGORIAN,
             queryset=None):
    """The records counted: every record not withdrawn (or, with ``published``, those a second
    editor verified), narrowed by act kind code, verification status, province code and year."""
    qs = queryset if queryset is not None else (Act.objects.published() if published else Act.objects.counted())
    if act:
        qs = qs.filter(kind__code=act)
    if status:
        qs = qs.filter(status=status)
    if province:
        qs = qs.filter(province__code=province)
    if year:
        qs = qs.filter(**{"j_year" if calendar == dates.JALALI else "g_year": year})
    return qs


def count_by(by, *, calendar=dates.GREGORIAN, **filters) -> Counts:
    if by not in FIELDS:
        raise ValueError(f"cannot count by {by!r}: use one of {', '.join(FIELDS)}")
    if calendar not in dates.CALENDARS:
        raise ValueError(f"unknown calendar {calendar!r}: use gregorian or jalali")
    qs = filtered(calendar=calendar, **filters)
    counts: dict[str, int] = {}
    if by == "juvenile":
        for value, n in _juvenile(qs):
            counts[value] = n
    else:
        field = _group_field(by, calendar)
        # COUNT(*) over the (state, month) index: SQLite answers from the index alone. A record
        # holds a charge once (the many-to-many table is unique), but an organisation may have
        # reported it under two of its ids: count records, not reports.
        count = Count("pk", distinct=True) if by == "reported_by" else Count("*")
        names = {}
        if by in _KEYS:
            model, attribute = _KEYS[by]
            names = dict(model.objects.values_list("pk", attribute))
        for row in qs.order_by().values(key=F(field)).annotate(n=count):
            key = row["key"]
            key = names.get(key, key) if names else key
            key = key if key not in (None, "") else UNKNOWN
            counts[key] = counts.get(key, 0) + row["n"]
    # Each record is under exactly one key of a single-valued field: the total is their sum.
    total = qs.count() if by in MULTI else sum(counts.values())
    return Counts(by, calendar, _ordered(by, counts), total)


def _juvenile(qs):
    yes = qs.filter(age_at_offence__lt=18).count()
    no = qs.filter(age_at_offence__gte=18).count()
    unknown = qs.filter(age_at_offence__isnull=True).count()
    return [(k, n) for k, n in (("yes", yes), ("no", no), (UNKNOWN, unknown)) if n]


def _ordered(by, counts):
    """Months and years in time order; list fields in the list's order; others by count."""
    unknown = counts.pop(UNKNOWN, None)
    if by in ("year", "month"):
        keys = sorted(counts)
    elif by == "act":
        order = list(ActKind.objects.values_list("code", flat=True))
        keys = sorted(counts, key=lambda k: order.index(k) if k in order else 999)
    elif by == "charge":
        order = list(Charge.objects.values_list("code", flat=True))
        keys = sorted(counts, key=lambda k: order.index(k) if k in order else 999)
    elif by in ("public", "officially_announced", "juvenile"):
        keys = [k for k in ("yes", "no") if k in counts] + sorted(k for k in counts if k not in ("yes", "no"))
    elif by == "status":
        keys = [k for k in Status.values if k in counts]
    else:
        keys = sorted(counts, key=lambda k: (-counts[k], k))
    out = OrderedDict((k, counts[k]) for k in keys)
    if unknown:
        out[UNKNOWN] = unknown
    return out


def labels(by, keys, calendar=dates.GREGORIAN, language="en") -> dict:
    """Readable labels of the keys, in English or Persian."""
    out = {}
    list_models = {"province": (Province, "name"), "charge": (Charge, "code"), "act": (ActKind, "code"),
                   "ethnicity": (Ethnicity, "name"), "reported_by": (ReportingOrganisation, "name")}
    words = {
        "yes": ("yes", "بله"), "no": ("no", "خیر"), UNKNOWN: ("unknown", "نامعلوم"),
        "male": ("male", "مرد"), "female": ("female", "زن"),
        "reported": ("reported", "گزارش‌شده"), "corroborated": ("corroborated", "تأییدشده با منابع دیگر"),
        "verified": ("verified", "راستی‌آزمایی‌شده"),
    }
    entries = {}
    if by in list_models:
        model, field = list_models[by]
        entries = {getattr(e, field): e for e in model.objects.filter(**{f"{field}__in": list(keys)})}
    for key in keys:
        if by in ("year", "month"):
            out[key] = dates.label(key, by, calendar, language)
        elif key in entries:
            out[key] = entries[key].label(language)
        elif key in words:
            out[key] = words[key][1 if language == "fa" else 0]
        else:
            out[key] = key
    return out


def reconcile(start, end, *, act=None, published=False):
    """For a period: each reporting organisation's count beside ours, and the acts each lacks.

    Returns {"total": our records, "organisations": [{"organisation", "reported", "published",
    "missing": [acts we hold that it did not report]}], "unreported": [acts no organisation reported]}.
    An act falls in the period when all of its date does.
    """
    from .models import PublishedCount

    qs = (Act.objects.published() if published else Act.objects.counted()).filter(
        date_start__gte=start, date_end__lte=end)
    if act:
        qs = qs.filter(kind__code=act)
    acts = list(qs.select_related("person", "kind", "province").prefetch_related("reports__organisation"))
    organisations = {}
    for a in acts:
        for report in a.reports.all():
            organisations.setdefault(report.organisation_id, (report.organisation, set()))[1].add(a.pk)
    published_counts = PublishedCount.objects.filter(start__gte=start, end__lte=end)
    if act:
        published_counts = published_counts.filter(kind__code=act)
    claimed = {}
    for pc in published_counts.select_related("organisation"):
        claimed.setdefault(pc.organisation_id, []).append(pc)
        organisations.setdefault(pc.organisation_id, (pc.organisation, set()))
    rows = []
    for org_id, (org, reported) in sorted(organisations.items(), key=lambda kv: kv[1][0].name):
        rows.append({
            "organisation": org,
            "reported": len(reported),
            "published": claimed.get(org_id, []),
            "missing": [a for a in acts if a.pk not in reported],
        })
    return {"total": len(acts), "organisations": rows,
            "unreported": [a for a in acts if not a.reports.all()]}


def validate_choice(value, allowed, what):
    if value and value not in allowed:
        raise ValueError(f"unknown {what} {value!r}: use one of {', '.join(allowed)}")


STATUS_VALUES = Status.values
YESNO_VALUES = YesNo.values
