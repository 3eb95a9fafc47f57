"""Import: every kind of bad row is rejected with row, column, value and reason; the good rows are
imported; importing again adds nothing; the command's exit codes and JSON."""
import json

import pytest

from rightsdesk import cli
from rightsdesk.cases import importing
from rightsdesk.cases.models import Act

from .conftest import row

pytestmark = pytest.mark.django_db


def run(capsys, *args):
    status = cli.main(["cases", *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_each_kind_of_bad_row_is_rejected_with_row_column_value_and_reason(desk, write_csv, capsys):
    path = write_csv([
        row(record_id="ok-1", name="Reza Karimi"),                                   # row 2: good
        row(record_id="bad-date", date="2024-02-30"),                                # row 3
        row(record_id="bad-jalali", date="1403-13-01", calendar="jalali"),           # row 4
        row(record_id="no-act", act=""),                                             # row 5
        row(record_id="bad-act", act="flogging"),                                    # row 6
        row(record_id="bad-charge", charge="drug;witchcraft"),                       # row 7
        row(record_id="no-charge", charge=""),                                       # row 8
        row(record_id="bad-province", province="Atlantis"),                          # row 9
        row(record_id="no-province", province=""),                                   # row 10
        row(record_id="bad-calendar", calendar="hijri"),                             # row 11
        row(record_id="bad-age", age="about 30"),                                    # row 12
        row(record_id="ok-2", name_fa="علی رضایی", date="1403-02-15", calendar="jalali",
            province="سیستان و بلوچستان", charge="Moharebeh;efsad-e fel-arz", age="۲۳"),  # row 13: good
    ])
    status, out, _ = run(capsys, "import", str(path), "--json")
    assert status == 1
    result = json.loads(out)
    assert result["imported"] == 2 and result["unchanged"] == 0
    got = {(r["row"], r["column"], r["value"]) for r in result["rejected"]}
    assert got == {
        (3, "date", "2024-02-30"), (4, "date", "1403-13-01"), (5, "act", ""), (6, "act", "flogging"),
        (7, "charge", "witchcraft"), (8, "charge", ""), (9, "province", "Atlantis"), (10, "province", ""),
        (11, "calendar", "hijri"), (12, "age", "about 30"),
    }
    reasons = {r["row"]: r["reason"] for r in result["rejected"]}
    assert "day 30 does not exist" in reasons[3] and "month 13" in reasons[4]
    assert "not a number" in reasons[12] and "gregorian or jalali" in reasons[11]
    second = Act.objects.get(record_id="ok-2")
    assert second.province.code == "sistan-baluchestan" and second.age == 23
    assert sorted(second.charges.values_list("code", flat=True)) == ["efsad-fel-arz", "moharebeh"]
    assert second.j_month == "1403-02" and second.g_month == "2024-05"
    assert not Act.objects.filter(record_id__in=["bad-date", "bad-age", "no-act"]).exists()


def test_importing_the_same_file_again_adds_nothing(desk, write_csv, capsys):
    path = write_csv([row(record_id="r1", name="Amir Moradi", reported_by="Monitor One [M1-5]; Monitor Two"),
                      row(name="Saeed Amini", date="2024"),  # no record_id: recognised by its values
                      row(record_id="r3", date="2024-13-01")])
    status, out, _ = run(capsys, "import", str(path), "--json")
    assert status == 1 and json.loads(out)["imported"] == 2
    count = Act.objects.count()
    status, out, _ = run(capsys, "import", str(path), "--json")
    assert json.loads(out) == {"imported": 0, "unchanged": 2, "rejected": [
        {"row": 4, "column": "date", "value": "2024-13-01",
         "reason": "month 13 does not exist in the Gregorian calendar (months are 1 to 12)"}]}
    assert status == 1 and Act.objects.count() == count
    act = Act.objects.get(record_id="r1")
    assert sorted((r.organisation.name, r.external_id) for r in act.reports.all()) == [
        ("Monitor One", "M1-5"), ("Monitor Two", "")]
    good = write_csv([row(record_id="r1", name="Amir Moradi", reported_by="Monitor One [M1-5]; Monitor Two")],
                     name="good.csv")
    status, out, _ = run(capsys, "import", str(good), "--json")
    assert status == 0 and json.loads(out) == {"imported": 0, "unchanged": 1, "rejected": []}


def test_a_changed_row_under_a_known_record_id_is_rejected_not_overwritten(desk, write_csv, capsys):
    run(capsys, "import", str(write_csv([row(record_id="x1", name="Hamid Nasiri")])), "--json")
    status, out, _ = run(capsys, "import", str(write_csv([row(record_id="x1", name="Someone Else")], name="b.csv")),
                         "--json")
    assert status == 1
    assert json.loads(out)["rejected"][0]["column"] == "record_id"
    assert Act.objects.get(record_id="x1").person.name == "Hamid Nasiri"


def test_dry_run_stores_nothing_and_unreadable_files_exit_2(desk, write_csv, tmp_path, capsys):
    path = write_csv([row(record_id="d1")])
    status, out, _ = run(capsys, "import", str(path), "--dry-run", "--json")
    assert status == 0 and json.loads(out)["imported"] == 1
    assert not Act.objects.filter(record_id="d1").exists()
    status, _, err = run(capsys, "import", str(tmp_path / "missing.csv"))
    assert status == 2 and "no such file" in err and err.count("\n") == 1
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("act,date,province,charge\nexecution,2024,Tehran,caf\xe9\n".encode("latin-1"))
    status, _, err = run(capsys, "import", str(latin1))
    assert status == 2 and "UTF-8" in err
    headless = write_csv([["execution", "2024"]], name="headless.csv", header=["name", "whatever"])
    status, _, err = run(capsys, "import", str(headless))
    assert status == 2 and "header" in err


def test_xlsx_rows_are_numbered_as_the_spreadsheet_shows_them(desk, tmp_path, capsys):
    import datetime as dt

    from openpyxl import Workbook

    from .conftest import HEADER

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["x-1", "Karim Rigi", "", "male", 41, "execution", dt.datetime(2024, 6, 2), "", "Sistan-Baluchistan",
                  "", "", "drug", "no", "yes", "", "", ""])
    sheet.append(["x-2", "Maryam Kordi", "", "female", "n/a", "arrest", "2024-06", "", "Kordestan", "", "", "political",
                  "", "", "", "", ""])
    path = tmp_path / "cases.xlsx"
    book.save(path)
    status, out, _ = run(capsys, "import", str(path), "--json")
    result = json.loads(out)
    assert status == 1 and result["imported"] == 1
    assert result["rejected"] == [{"row": 3, "column": "age", "value": "n/a",
                                   "reason": "age is not a number: write whole years (e.g. 24), or leave it empty"}]
    act = Act.objects.get(record_id="x-1")
    assert act.date_start.isoformat() == "2024-06-02" and act.age == 41 and act.officially_announced == "yes"


def test_a_failure_while_storing_leaves_nothing_half_written(desk, write_csv):
    # The good rows are stored together: an error while storing leaves nothing half-written.
    path = write_csv([row(record_id=f"t-{n}") for n in range(3)])
    _, rows = importing.read_rows(path)
    from unittest import mock

    real = importing._insert

    def failing(model, objects):  # the last step (the history entries) fails, after the records
        if model.__name__ == "ModelLogEntry":
            raise RuntimeError("disk full")
        real(model, objects)

    with mock.patch.object(importing, "_insert", failing):
        with pytest.raises(RuntimeError):
            importing.import_rows(rows)
    assert not Act.objects.filter(record_id__startswith="t-").exists()
