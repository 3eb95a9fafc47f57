"""Cases desk speed: import of 10,000 rows, statistics by month over 100,000 acts, duplicate
candidates over 100,000 records.

    .venv/bin/python bench/cases.py                 # SQLite in a temporary folder
    DATABASE_URL=postgres://... .venv/bin/python bench/cases.py   # PostgreSQL (a database of its own)

Synthetic, invented rows: names combined from syllables, dates over five years (a third in the
Jalali calendar, some only months or years), all 31 provinces, one record in a hundred reported a
second time under another spelling a few days later. Targets (issue): statistics by month under
200 ms; import of 10,000 rows under 30 s; duplicates over 100,000 records under 60 s.
"""
import csv
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

COLUMNS = ["record_id", "name", "name_fa", "gender", "age", "act", "date", "calendar", "province", "city", "prison",
           "charge", "public", "officially_announced", "source_url", "reported_by", "notes"]
SYLLABLES = ["ka", "ri", "mo", "ha", "se", "no", "ba", "za", "de", "ra", "fa", "sha", "kho", "ja", "ne", "ta", "pa",
             "go", "la", "me", "hos", "ab", "dol", "zad", "bakh", "gar", "vand", "zehi", "pour", "far"]
GIVEN = ["Mohammad", "Ali", "Hossein", "Reza", "Mehdi", "Amir", "Hamid", "Saeed", "Javad", "Karim", "Zahra",
         "Maryam", "Fatemeh", "Abbas", "Hassan", "Mostafa", "Majid", "Vahid", "Omid", "Behrouz", "Nasser", "Yousef",
         "Ebrahim", "Ahmad", "Mahmoud", "Jalal", "Kamran", "Farhad", "Arash", "Babak"]
PROVINCES = ["Alborz", "Ardabil", "Bushehr", "Chaharmahal and Bakhtiari", "East Azerbaijan", "Isfahan", "Fars",
             "Gilan", "Golestan", "Hamadan", "Hormozgan", "Ilam", "Kerman", "Kermanshah", "Khuzestan",
             "Kohgiluyeh and Boyer-Ahmad", "Kurdistan", "Lorestan", "Markazi", "Mazandaran", "North Khorasan",
             "Qazvin", "Qom", "Razavi Khorasan", "Semnan", "Sistan and Baluchestan", "South Khorasan", "Tehran",
             "West Azerbaijan", "Yazd", "Zanjan"]
CHARGES = ["drug", "murder", "moharebeh", "rape", "efsad-fel-arz", "political", "unknown"]


def family_names(rng, n=3000):
    names = set()
    while len(names) < n:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize() + rng.choice(["i", "", "ian"]))
    return sorted(names)


def rows(n, start_id=0, seed=1):
    import jdatetime

    rng = random.Random(seed)
    families = family_names(random.Random(99))
    out = []
    first = dt.date(2020, 1, 1)
    for i in range(n):
        day = first + dt.timedelta(days=rng.randrange(0, 5 * 365))
        jalali = i % 3 == 0
        if jalali:
            j = jdatetime.date.fromgregorian(date=day)
            date = f"{j.year}-{j.month:02d}-{j.day:02d}" if i % 10 else f"{j.year}-{j.month:02d}"
        else:
            date = day.isoformat() if i % 10 else day.strftime("%Y-%m")
        out.append({
            "record_id": f"B-{start_id + i}", "name": f"{rng.choice(GIVEN)} {rng.choice(families)}",
            "gender": rng.choice(["male", "male", "male", "female"]), "age": str(rng.randint(18, 70)),
            "act": rng.choice(["execution", "execution", "death-sentence", "arrest"]), "date": date,
            "calendar": "jalali" if jalali else "gregorian", "province": rng.choice(PROVINCES),
            "charge": ";".join(rng.sample(CHARGES, rng.choice([1, 1, 1, 2]))), "public": "no",
            "officially_announced": rng.choice(["yes", "no"]), "reported_by": rng.choice(["Bench Monitor A", "Bench Monitor B"]),
        })
        if i % 100 == 50:  # a second report of the same act
            second = dict(out[-1], record_id=f"B-{start_id + i}-2", name=out[-1]["name"].replace("oh", "o").replace("a", "e", 1),
                          reported_by="Bench Monitor C")
            out.append(second)
    return out


def write_csv(path, data):
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(data)


def main():
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="reuse this data folder (SQLite): the imports are skipped when it "
                        "already holds 100,000 acts")
    parser.add_argument("--import-again", action="store_true", help="with a filled --data-dir: time the import "
                        "of 10,000 more rows into it")
    args = parser.parse_args()
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="rightsdesk-bench-cases-"))
    os.environ.update(RIGHTSDESK_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="rightsdesk.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from rightsdesk.cases import duplicates, importing, stats
    from rightsdesk.cases.models import Act

    print(f"database: {connection.vendor}", flush=True)

    if Act.objects.count() >= 100_000:
        print("imports skipped: the database already holds 100,000 acts", flush=True)
        if args.import_again:
            more = data_dir / "again.csv"
            write_csv(more, rows(10_000, 10_000_000 + Act.objects.count(), seed=Act.objects.count()))
            started = time.perf_counter()
            result = importing.import_file(more)
            print(f"import of {result.imported + len(result.rejected)} more rows into {Act.objects.count() - result.imported}"
                  f" acts: {time.perf_counter() - started:.1f} s", flush=True)
        return measure(Act.objects.count())
    first = data_dir / "first.csv"
    write_csv(first, rows(10_000, 0, seed=1))
    started = time.perf_counter()
    result = importing.import_file(first)
    took = time.perf_counter() - started
    print(f"import of {result.imported + len(result.rejected)} rows (10,000 + second reports): {took:.1f} s "
          f"({result.imported} imported, {len(result.rejected)} rejected)", flush=True)
    started = time.perf_counter()
    again = importing.import_file(first)
    print(f"re-import of the same file: {time.perf_counter() - started:.1f} s ({again.unchanged} unchanged)", flush=True)

    total = Act.objects.count()
    batch = 1
    while total < 100_000:
        path = data_dir / f"more-{batch}.csv"
        write_csv(path, rows(min(10_000, 100_000 - total), batch * 20_000, seed=batch + 1))
        importing.import_file(path)
        total = Act.objects.count()
        batch += 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"acts: {total}", flush=True)
    return measure(total)


def measure(total):
    from rightsdesk.cases import duplicates, stats


    for calendar in ("gregorian", "jalali"):
        for by in ("month", "year", "province", "charge"):
            timings = []
            for _ in range(15):
                started = time.perf_counter()
                counts = stats.count_by(by, calendar=calendar)
                timings.append((time.perf_counter() - started) * 1000)
            print(f"stats by {by} ({calendar}) over {counts.total} acts: median {statistics.median(timings):.1f} ms, "
                  f"max {max(timings):.1f} ms ({len(counts.counts)} keys)", flush=True)

    started = time.perf_counter()
    found = duplicates.candidates()
    print(f"duplicate candidates over {total} records: {time.perf_counter() - started:.1f} s "
          f"({len(found)} pairs)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
