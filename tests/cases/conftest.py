import csv

import pytest

HEADER = ["record_id", "name", "name_fa", "gender", "age", "act", "date", "calendar", "province", "city", "prison",
          "charge", "public", "officially_announced", "source_url", "reported_by", "notes"]


@pytest.fixture
def desk(db):
    """The cases desk with the demo's sample records withdrawn, so counts are the test's own."""
    from rightsdesk.cases.models import Act

    Act.objects.exclude(state="withdrawn").update(state="withdrawn", withdrawn_reason="set aside by the test")
    return Act


@pytest.fixture
def write_csv(tmp_path):
    def write(rows, name="cases.csv", header=HEADER):
        path = tmp_path / name
        with open(path, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            for row in rows:
                writer.writerow([row.get(h, "") for h in header] if isinstance(row, dict) else row)
        return path

    return write


def row(**values):
    base = {"act": "execution", "date": "2024-05-01", "province": "Tehran", "charge": "drug", "gender": "male"}
    base.update(values)
    return base
