"""Export of records to CSV (the import's columns, so the file can be imported elsewhere) and JSON,
each record with its public address.

By default the export is safe to share: withdrawn and internal records are left out, anonymised
records lose their names, city, prison and notes, and confidential sources are never written.
``everything=True`` writes every record as the organisation holds it (a backup for its own use).
"""
from __future__ import annotations

import csv
import json

from django.conf import settings

from .importing import COLUMNS
from .models import Act, Visibility
from .views import case_path

EXTRA = ["status", "visibility", "state", "public_address"]


def _records(everything):
    qs = Act.objects.all() if everything else Act.objects.counted().exclude(visibility=Visibility.INTERNAL)
    return (qs.select_related("person", "kind", "province", "prison")
            .prefetch_related("charges", "sources", "reports__organisation").order_by("pk"))


def _base():
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/") + "/"


def record(act, everything=False, base=None):
    base = base if base is not None else _base()
    hide = act.visibility == Visibility.ANONYMISED and not everything
    path = case_path(act)
    sources = [s for s in act.sources.all() if everything or not s.confidential]
    return {
        "record_id": act.record_id,
        "name": "" if hide else act.person.name,
        "name_fa": "" if hide else act.person.name_fa,
        "gender": act.person.gender,
        "age": act.age if act.age is not None and not hide else "",
        "act": act.kind.code,
        "date": act.date_text,
        "calendar": act.date_calendar,
        "province": act.province.name if act.province_id else "unknown",
        "city": "" if hide else act.city,
        "prison": "" if hide or not act.prison_id else act.prison.name,
        "charge": ";".join(sorted(c.code for c in act.charges.all())) or "unknown",
        "public": act.public,
        "officially_announced": act.officially_announced,
        "source_url": ";".join(s.url for s in sources if s.url),
        "reported_by": ";".join(
            f"{r.organisation.name} [{r.external_id}]" if r.external_id else r.organisation.name
            for r in act.reports.all()),
        "notes": act.notes if everything else "",
        "status": act.status,
        "visibility": act.visibility,
        "state": act.state,
        "public_address": base + path if path else "",
    }


def write(path, everything=False, fmt=None) -> int:
    """Write the records to `path` as `fmt` ("csv" or "json"; by default from the file name)."""
    path = str(path)
    fmt = fmt or ("json" if path.lower().endswith(".json") else "csv")
    rows = (record(a, everything) for a in _records(everything).iterator(chunk_size=2000))
    count = 0
    if fmt == "json":
        with open(path, "w", encoding="utf-8") as out:
            out.write("[\n")
            for row in rows:
                out.write((",\n" if count else "") + json.dumps(row, ensure_ascii=False))
                count += 1
            out.write("\n]\n")
    else:
        with open(path, "w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=COLUMNS + EXTRA)
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
                count += 1
    return count

