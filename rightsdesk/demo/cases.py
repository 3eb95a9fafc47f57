"""Sample records for the cases desk: INVENTED people and acts, clearly marked as such.

Every record id starts with SAMPLE-, every narrative says it is invented, the reporting
organisations are fictional ("Sample Monitor ..."). The names are common Iranian given names and
family names combined at random: no record describes a real person. Dates are written in both
calendars (a third of the rows in the Jalali calendar), some only to the month or the year, a few
as ranges; a few acts are reported a second time by another sample monitor under another spelling,
for the duplicates queue to merge. Loading twice adds nothing (the import is idempotent).
"""
from __future__ import annotations

import datetime as dt
import random

import jdatetime

GIVEN = [("Mohammad", "Mohammed", "محمد"), ("Ali", "Aly", "علی"), ("Hossein", "Hosein", "حسین"),
         ("Reza", "Reza", "رضا"), ("Mehdi", "Mahdi", "مهدی"), ("Amir", "Ameer", "امیر"),
         ("Hamid", "Hamed", "حمید"), ("Saeed", "Said", "سعید"), ("Javad", "Javad", "جواد"),
         ("Karim", "Kareem", "کریم"), ("Zahra", "Zahra", "زهرا"), ("Maryam", "Mariam", "مریم"),
         ("Fatemeh", "Fatemeh", "فاطمه"), ("Abdolrahman", "Abdulrahman", "عبدالرحمن"), ("Gholamreza", "Qolamreza", "غلامرضا")]
FAMILY = [("Hosseini", "Hoseini", "حسینی"), ("Rezaei", "Rezayi", "رضایی"), ("Ahmadi", "Ahmadi", "احمدی"),
          ("Karimi", "Karimi", "کریمی"), ("Moradi", "Muradi", "مرادی"), ("Ghasemi", "Qasemi", "قاسمی"),
          ("Jafari", "Jaafari", "جعفری"), ("Baluchzehi", "Balochzahi", "بلوچ‌زهی"), ("Rigi", "Riki", "ریگی"),
          ("Sheikhi", "Sheykhi", "شیخی"), ("Mohammadi", "Mohamadi", "محمدی"), ("Kordi", "Kurdi", "کردی"),
          ("Nasiri", "Naseri", "نصیری"), ("Shahbakhsh", "Shahbakhsh", "شاه‌بخش"), ("Amini", "Amini", "امینی")]
PROVINCES = ["Sistan and Baluchestan", "Tehran", "Alborz", "Razavi Khorasan", "Fars", "Isfahan", "Kermanshah",
             "West Azerbaijan", "Khuzestan", "Kurdistan", "Lorestan", "Qazvin", "Yazd", "Kerman", "Gilan"]
PROVINCE_SPELLINGS = {"Sistan and Baluchestan": "Sistan-Baluchistan", "Razavi Khorasan": "Khorasan Razavi",
                      "Isfahan": "Esfahan", "West Azerbaijan": "آذربایجان غربی", "Kurdistan": "Kordestan",
                      "Tehran": "تهران", "Alborz": "البرز"}
PRISONS = {"Tehran": "Evin Prison", "Alborz": "Ghezel Hesar", "Razavi Khorasan": "Vakilabad",
           "Fars": "Adelabad", "Isfahan": "Dastgerd", "Sistan and Baluchestan": "Zahedan Central Prison",
           "West Azerbaijan": "Urmia Central Prison", "Kermanshah": "Dizel Abad"}
ACTS = [("execution", 60), ("death-sentence", 14), ("arrest", 14), ("death-in-custody", 5), ("killing", 5),
        ("disappearance", 2)]
CHARGES = [("drug", 45), ("murder", 30), ("moharebeh", 6), ("efsad-fel-arz", 4), ("rape", 4), ("baghi", 2),
           ("espionage", 2), ("armed-robbery", 3), ("political", 3), ("unknown", 6)]
MONITORS = ["Sample Monitor North", "Sample Monitor South", "Sample Rights Watch (fictional)"]
COUNT = 320
SECOND_REPORTS = 12


def _pick(rng, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]


def rows():
    """The sample rows, in the import's columns, the same every time."""
    rng = random.Random(2024)
    out = []
    start = dt.date(2023, 1, 1)
    for n in range(1, COUNT + 1):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        gender = "female" if given[0] in ("Zahra", "Maryam", "Fatemeh") else "male"
        day = start + dt.timedelta(days=rng.randrange(0, 730))
        jalali = n % 3 == 0
        precision = rng.choices(["day", "month", "year", "range"], [80, 12, 4, 4])[0]
        if jalali:
            j = jdatetime.date.fromgregorian(date=day)
            date = {"day": f"{j.year}-{j.month:02d}-{j.day:02d}", "month": f"{j.year}-{j.month:02d}",
                    "year": f"{j.year}", "range": None}[precision]
            if precision == "range":
                k = jdatetime.date.fromgregorian(date=day + dt.timedelta(days=10))
                date = f"{j.year}-{j.month:02d}-{j.day:02d}/{k.year}-{k.month:02d}-{k.day:02d}"
        else:
            date = {"day": day.isoformat(), "month": day.strftime("%Y-%m"), "year": str(day.year),
                    "range": f"{day.isoformat()}/{(day + dt.timedelta(days=10)).isoformat()}"}[precision]
        province = rng.choice(PROVINCES)
        act = _pick(rng, ACTS)
        charges = [_pick(rng, CHARGES)]
        if rng.random() < 0.12:
            charges.append(_pick(rng, CHARGES))
        charges = list(dict.fromkeys(c for c in charges if c != "unknown" or len(charges) == 1))
        name_known = rng.random() > 0.06
        out.append({
            "record_id": f"SAMPLE-{n:04d}",
            "name": f"{given[0]} {family[0]}" if name_known else "",
            "name_fa": f"{given[2]} {family[2]}" if name_known and rng.random() < 0.7 else "",
            "gender": gender if rng.random() > 0.03 else "unknown",
            "age": str(rng.randint(17, 65)) if rng.random() > 0.25 else "",
            "act": act,
            "date": date,
            "calendar": "jalali" if jalali else "gregorian",
            "province": province,
            "city": "",
            "prison": PRISONS.get(province, "") if act in ("execution", "death-in-custody") else "",
            "charge": ";".join(charges) if act in ("execution", "death-sentence") else "unknown",
            "public": "yes" if act == "execution" and rng.random() < 0.04 else rng.choice(["no", "no", "unknown"]),
            "officially_announced": rng.choice(["yes", "no", "no", "no"]),
            "source_url": f"https://sample-monitor.example/reports/{n}",
            "reported_by": f"{rng.choice(MONITORS)} [SM-{n:04d}]",
            "notes": "INVENTED sample record for the demonstration.",
        })
    # Second reports of some acts by another monitor: other spelling, a day or two later, the
    # province written another way, sometimes only the Persian name.
    for i, original in enumerate(out[5:5 + SECOND_REPORTS * 7:7]):
        if not original["name"] or original["calendar"] != "gregorian" or len(original["date"]) != 10:
            continue
        given, family = original["name"].split(" ", 1)
        alt_given = next(g[1] for g in GIVEN if g[0] == given)
        alt_family = next(f[1] for f in FAMILY if f[0] == family)
        day = dt.date.fromisoformat(original["date"]) + dt.timedelta(days=1 + i % 3)
        second = dict(original)
        second.update({
            "record_id": f"SAMPLE-B{i + 1:03d}",
            "name": "" if i % 4 == 3 else f"{alt_given} {alt_family}",
            "name_fa": original["name_fa"] or (next(g[2] for g in GIVEN if g[0] == given) + " "
                                               + next(f[2] for f in FAMILY if f[0] == family)),
            "date": day.isoformat(),
            "province": PROVINCE_SPELLINGS.get(original["province"], original["province"]),
            "reported_by": f"{MONITORS[(MONITORS.index(original['reported_by'].split(' [')[0]) + 1) % len(MONITORS)]}"
                           f" [X-{i + 1:03d}]",
            "source_url": f"https://other-sample-monitor.example/item/{i + 1}",
            "notes": "INVENTED sample record: a second report of the same act, to merge.",
        })
        out.append(second)
    return out


def load_cases(progress=None):
    """Import the sample rows (once), verify most of them as a sample second editor would, and
    vary their visibility. Returns the import's counts."""
    from django.db import transaction
    from django.utils import timezone

    from rightsdesk.cases import importing
    from rightsdesk.cases.models import Act, PublishedCount, ReportingOrganisation, SavedFilter, ActKind

    data = rows()
    numbered = [(n, row) for n, row in enumerate(data, start=2)]
    with transaction.atomic():
        result = importing.import_rows(numbered, source="sample records (demo)")
        if result.imported:
            rng = random.Random(7)
            fresh = Act.objects.filter(record_id__startswith="SAMPLE-", state="draft", approved_at__isnull=True)
            for act in fresh:
                roll = rng.random()
                act.narrative = ("This is an invented sample record, made for the demonstration of the cases "
                                 "desk. It describes no real person.")
                act.status = "verified" if roll < 0.5 else ("corroborated" if roll < 0.8 else "reported")
                act.visibility = "anonymised" if roll > 0.93 else ("internal" if roll > 0.9 else "public")
                act.age_at_offence = act.age - 2 if act.age and rng.random() < 0.2 else None
                if not act.record_id.startswith("SAMPLE-B") and rng.random() < 0.9:
                    act.state, act.approved_at = "approved", timezone.now()
                act.save()
            execution = ActKind.objects.get(code="execution")
            for name, count in (("Sample Monitor North", 61), ("Sample Monitor South", 58)):
                org = ReportingOrganisation.objects.filter(name=name).first()
                if org:
                    PublishedCount.objects.get_or_create(
                        organisation=org, kind=execution, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31),
                        defaults={"count": count})
            SavedFilter.objects.get_or_create(counts="executions", kind=execution, year="2024",
                                              defaults={"calendar": "gregorian", "status": ""})
    return result
