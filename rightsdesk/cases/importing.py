"""Import of records from the interchange format: CSV (UTF-8, header row) or XLSX.

Columns: record_id, name, name_fa, gender, age, act, date, calendar, province, city, prison, charge,
public, officially_announced, source_url, reported_by, notes (see README, "Cases desk").

Every row is checked. A bad row is rejected with its row number (the header is row 1), the
column, the value and the reason; the good rows are imported, all in one transaction. Importing the
same file again adds nothing: a row whose record_id is already in the desk with the same values
(or, without a record_id, a row with the same values) is ``unchanged``.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from . import dates
from .lists import matchers
from .names import name_key

COLUMNS = ["record_id", "name", "name_fa", "gender", "age", "act", "date", "calendar", "province", "city",
           "prison", "charge", "public", "officially_announced", "source_url", "reported_by", "notes"]
REQUIRED_COLUMNS = ["act", "date", "province", "charge"]
_YES = {"yes", "y", "true", "1", "بله", "آری", "بلی"}
_NO = {"no", "n", "false", "0", "خیر", "نه"}
_UNKNOWN = {"unknown", "", "?", "نامعلوم", "n/a"}
_GENDERS = {"male": "male", "m": "male", "man": "male", "مرد": "male", "female": "female", "f": "female",
            "woman": "female", "زن": "female", "unknown": "unknown", "": "unknown", "نامعلوم": "unknown"}
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_REPORTER = re.compile(r"^(?P<name>.*?)\s*(?:\[(?P<id>[^\]]*)\])?$")


class FileError(Exception):
    """The file cannot be read at all (exit status 2)."""


@dataclass
class Rejection:
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class Result:
    imported: int = 0
    unchanged: int = 0
    rejected: list = field(default_factory=list)
    rows: int = 0

    def as_dict(self):
        return {"imported": self.imported, "unchanged": self.unchanged,
                "rejected": [r.as_dict() for r in self.rejected]}


# --- reading ------------------------------------------------------------------------------------

def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(path) -> tuple[list[str], list[tuple[int, dict]]]:
    """(header, [(row number, {column: text})]) of a CSV or XLSX file; FileError when unreadable."""
    path = Path(path)
    if not path.is_file():
        raise FileError(f"{path}: no such file: give the path of a .csv or .xlsx file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
            raw = [(number, [_cell(v) for v in values])
                   for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise FileError(f"{path}: not a readable XLSX file ({exc}): save it again as .xlsx or as CSV (UTF-8)") from None
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise FileError(f"{path}: not UTF-8 text: save the spreadsheet as “CSV UTF-8” and import that") from None
        except OSError as exc:
            raise FileError(f"{path}: cannot be read ({exc.strerror})") from None
        if "\x00" in text:
            raise FileError(f"{path}: not a CSV file (binary content): give a .csv (UTF-8) or .xlsx file")
        try:
            raw = [(number, [c.strip() for c in values])
                   for number, values in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)]
        except csv.Error as exc:
            raise FileError(f"{path}: not a readable CSV file ({exc}): check its quotes") from None
    raw = [(n, values) for n, values in raw if any(values)]
    if not raw or raw[0][0] != 1:
        raise FileError(f"{path}: row 1 must be the header naming the columns ({', '.join(COLUMNS)})")
    header = [h.strip().lower().replace(" ", "_") for h in raw[0][1]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise FileError(f"{path}: the header has no {', '.join(missing)} column: row 1 must name the columns "
                        f"({', '.join(COLUMNS)})")
    rows = []
    for number, values in raw[1:]:
        rows.append((number, {h: (values[i] if i < len(values) else "") for i, h in enumerate(header) if h}))
    return header, rows


# --- checking -------------------------------------------------------------------------------------

@dataclass
class Row:
    number: int
    values: dict
    fingerprint: str
    record_id: str
    name: str = ""
    name_fa: str = ""
    gender: str = "unknown"
    age: int | None = None
    kind: object = None
    date: object = None
    province: object = None
    city: str = ""
    prison: object = None
    prison_text: str = ""
    charges: list = field(default_factory=list)
    public: str = "unknown"
    officially_announced: str = "unknown"
    sources: list = field(default_factory=list)
    reporters: list = field(default_factory=list)  # (name, their id)
    notes: str = ""


def fingerprint(values: dict) -> str:
    canonical = "\x1f".join(" ".join(values.get(c, "").split()) for c in COLUMNS)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _yes_no(value):
    v = value.strip().lower()
    if v in _YES:
        return "yes"
    if v in _NO:
        return "no"
    if v in _UNKNOWN:
        return "unknown"
    return None


def check_row(number, values, lists) -> tuple[Row | None, list[Rejection]]:
    problems = []

    def reject(column, reason):
        problems.append(Rejection(number, column, values.get(column, ""), reason))

    row = Row(number, values, fingerprint(values), values.get("record_id", "").strip())
    row.name, row.name_fa = values.get("name", ""), values.get("name_fa", "")
    gender = _GENDERS.get(values.get("gender", "").strip().lower())
    if gender is None:
        reject("gender", "unknown gender: write male, female or unknown")
    else:
        row.gender = gender
    age = values.get("age", "").translate(_DIGITS).strip()
    if age:
        if not age.isdigit():
            reject("age", "age is not a number: write whole years (e.g. 24), or leave it empty")
        elif not 0 < int(age) < 120:
            reject("age", "age out of range: write whole years between 1 and 119")
        else:
            row.age = int(age)
    act = values.get("act", "").strip()
    if not act:
        reject("act", "no act: write one of " + ", ".join(lists["act"].names()))
    else:
        row.kind = lists["act"].find(act)
        if row.kind is None:
            reject("act", "unknown act: write one of " + ", ".join(lists["act"].names()))
    calendar = values.get("calendar", "").strip().lower() or dates.GREGORIAN
    if calendar not in dates.CALENDARS:
        reject("calendar", "unknown calendar: write gregorian or jalali (empty means gregorian)")
    date = values.get("date", "").strip()
    if not date:
        reject("date", "no date: write YYYY-MM-DD, YYYY-MM or YYYY (or unknown)")
    elif date.lower() != dates.UNKNOWN and calendar in dates.CALENDARS:
        try:
            row.date = dates.parse(date, calendar)
        except dates.DateError as exc:
            reject("date", str(exc))
    province = values.get("province", "").strip()
    if not province:
        reject("province", "no province: write the province in English or Persian (or unknown)")
    elif province.lower() not in _UNKNOWN:
        row.province = lists["province"].find(province)
        if row.province is None:
            reject("province", "unknown province: write one of Iran's 31 provinces in English or Persian")
    row.city = values.get("city", "").strip()
    prison = values.get("prison", "").strip()
    if prison:
        row.prison = lists["prison"].find(prison)
        row.prison_text = prison
    charge = values.get("charge", "").strip()
    if not charge:
        reject("charge", "no charge: write a charge code (e.g. drug, murder, moharebeh) or unknown")
    else:
        for part in (p.strip() for p in charge.split(";")):
            if not part:
                continue
            found = lists["charge"].find(part)
            if found is None:
                problems.append(Rejection(number, "charge", part, "unknown charge: write one of "
                                          + ", ".join(lists["charge"].names(limit=20))))
            elif found not in row.charges:
                row.charges.append(found)
    for column in ("public", "officially_announced"):
        value = _yes_no(values.get(column, ""))
        if value is None:
            reject(column, "write yes, no or unknown")
        else:
            setattr(row, column, value)
    for url in (u.strip() for u in values.get("source_url", "").split(";")):
        if not url:
            continue
        if not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
            problems.append(Rejection(number, "source_url", url, "not a web address: write it as https://…"))
        else:
            row.sources.append(url[:1000])
    for part in (p.strip() for p in values.get("reported_by", "").split(";")):
        if part:
            m = _REPORTER.match(part)
            row.reporters.append((m.group("name").strip() or part, (m.group("id") or "").strip()))
    row.notes = values.get("notes", "").strip()
    return (None if problems else row), problems


# --- storing --------------------------------------------------------------------------------------

def import_file(path, *, dry_run=False, user=None) -> Result:
    _, rows = read_rows(path)
    return import_rows(rows, dry_run=dry_run, user=user, source=str(Path(path).name))


def import_rows(rows, *, dry_run=False, user=None, source="") -> Result:
    from .models import Act

    lists = matchers()
    result = Result(rows=len(rows))
    good = []
    for number, values in rows:
        row, problems = check_row(number, values, lists)
        result.rejected.extend(problems)
        if row:
            good.append(row)
    # Already in the desk: by record_id, or by the same values when there is none.
    ids = [r.record_id for r in good if r.record_id]
    known = {}
    for start in range(0, len(ids), 500):
        known.update(dict(Act.objects.filter(record_id__in=ids[start:start + 500])
                          .values_list("record_id", "import_fingerprint")))
    prints = [r.fingerprint for r in good if not r.record_id]
    known_prints = set()
    for start in range(0, len(prints), 500):
        known_prints.update(Act.objects.filter(import_fingerprint__in=prints[start:start + 500])
                            .values_list("import_fingerprint", flat=True))
    new, seen = [], {}
    for row in good:
        if row.record_id:
            if row.record_id in seen:
                first = seen[row.record_id]
                if first.fingerprint == row.fingerprint:
                    result.unchanged += 1
                else:
                    result.rejected.append(Rejection(row.number, "record_id", row.record_id,
                                                     f"record_id repeats row {first.number} with other values: "
                                                     "give each record its own id"))
                continue
            seen[row.record_id] = row
            if row.record_id in known:
                if known[row.record_id] == row.fingerprint:
                    result.unchanged += 1
                else:
                    result.rejected.append(Rejection(
                        row.number, "record_id", row.record_id,
                        "this record_id is already in the desk with other values: edit the record in the admin, "
                        "or give this row a new record_id"))
                continue
        else:
            if row.fingerprint in known_prints or row.fingerprint in seen:
                result.unchanged += 1
                continue
            seen[row.fingerprint] = row
        new.append(row)
    result.rejected.sort(key=lambda r: (r.row, COLUMNS.index(r.column) if r.column in COLUMNS else 99))
    result.imported = len(new)
    if not dry_run and new:
        with transaction.atomic():
            _store(new, user, source)
    return result


def _store(rows, user, source):
    from wagtail.models import ModelLogEntry

    from .models import Act, ActReport, ActSource, Person, Prison, ReportingOrganisation

    # New reporting organisations and prisons are added to their lists (editors can tidy them).
    lists = matchers()
    organisations = {}
    for row in rows:
        for name, _ in row.reporters:
            if name not in organisations:
                organisations[name] = lists["organisation"].find(name)
    for name, found in organisations.items():
        if found is None:
            organisations[name] = ReportingOrganisation.objects.create(
                code=_unique_code(ReportingOrganisation, name), name=name[:120])
    prisons = {}
    for row in rows:
        if row.prison_text and row.prison is None:
            key = row.prison_text
            if key not in prisons:
                prisons[key] = Prison.objects.create(code=_unique_code(Prison, key), name=key[:120],
                                                     province=row.province)
            row.prison = prisons[key]

    people = [Person(name=r.name[:200], name_fa=r.name_fa[:200], gender=r.gender,
                     name_key=name_key(r.name, r.name_fa)) for r in rows]
    Person.objects.bulk_create(people, batch_size=1000)
    now = timezone.now()
    acts = []
    for row, person in zip(rows, people):
        act = Act(record_id=row.record_id, person=person, kind=row.kind, age=row.age, province=row.province,
                  city=row.city[:120], prison=row.prison, public=row.public,
                  officially_announced=row.officially_announced, notes=row.notes,
                  import_fingerprint=row.fingerprint, created_by=user, created_at=now, updated_at=now)
        if row.date is not None:
            act.set_date(row.date)
        else:
            act.date_text = dates.UNKNOWN
            act.refresh_date_keys()
        if not act.record_id:
            act.record_id = f"import-{row.fingerprint[:16]}"
        acts.append(act)
    _insert(Act, acts)
    ids = {}
    record_ids = [a.record_id for a in acts]
    for start in range(0, len(record_ids), 900):
        ids.update(Act.objects.filter(record_id__in=record_ids[start:start + 900]).values_list("record_id", "pk"))
    for act in acts:
        act.pk = ids[act.record_id]
    renamed = [a for a, r in zip(acts, rows) if not r.record_id]
    for act in renamed:
        act.record_id = f"RD-{act.pk}"
    Act.objects.bulk_update(renamed, ["record_id"], batch_size=1000)
    through = Act.charges.through
    through.objects.bulk_create(
        [through(act_id=a.pk, charge_id=c.pk) for a, r in zip(acts, rows) for c in r.charges], batch_size=2000)
    ActSource.objects.bulk_create(
        [ActSource(act_id=a.pk, url=url) for a, r in zip(acts, rows) for url in r.sources], batch_size=2000)
    reports, once = [], set()
    for act, row in zip(acts, rows):
        for name, external in row.reporters:
            key = (act.pk, organisations[name].pk, external)
            if key not in once:
                once.add(key)
                reports.append(ActReport(act_id=act.pk, organisation=organisations[name], external_id=external[:100],
                                         record_id=row.record_id or act.record_id))
    _insert(ActReport, reports)
    content_type = ContentType.objects.get_for_model(Act)
    _insert(ModelLogEntry, [
        ModelLogEntry(content_type=content_type, object_id=str(a.pk), label=f"{a.record_id}"[:255],
                      action="cases.import", data={"file": source, "row": r.number}, timestamp=now, user=user)
        for a, r in zip(acts, rows)
    ])


def _insert(model, objects):
    """INSERT the objects, many rows per statement: a fraction of bulk_create's time for wide rows
    (Django compiles every value of every row through the query compiler). Values are prepared by
    the fields themselves (get_db_prep_save), as bulk_create does; no ids are read back."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for f in fields:  # defaults, as a save would fill them
        if f.has_default():
            for obj in objects:
                if getattr(obj, f.attname) is None:
                    setattr(obj, f.attname, f.get_default())
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch = max(1, min(500, connection.ops.bulk_batch_size(fields, objects)))
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch):
            chunk = objects[start:start + batch]
            params = [f.get_db_prep_save(getattr(o, f.attname), connection) for o in chunk for f in fields]
            cursor.execute(head + ", ".join([one] * len(chunk)), params)


def _unique_code(model, name):
    from django.utils.text import slugify

    base = (slugify(name, allow_unicode=True) or "entry")[:70]
    code, n = base, 1
    while model.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code
