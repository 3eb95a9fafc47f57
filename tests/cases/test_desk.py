"""Statistics against counts worked out by hand, duplicates and merging, the workflow, the public
pages (public / anonymised / internal, confidential sources), export, and the facts desk link."""
import csv
import json

import pytest
from django.contrib.auth.models import Group, User

from rightsdesk import cli
from rightsdesk.cases import duplicates, importing, stats, workflow
from rightsdesk.cases.models import Act, ActSource, SavedFilter, ActKind

from .conftest import row

pytestmark = pytest.mark.django_db


def load(rows):
    numbered = list(enumerate(rows, start=2))
    result = importing.import_rows(numbered)
    assert not result.rejected, result.rejected
    return result


# Seven records worked out by hand:
#   a  2024-03-05 gregorian day      -> g 2024-03 / 2024; j 1402-12 / 1402
#   b  1403-01-01 jalali day         -> g 2024-03 / 2024; j 1403-01 / 1403
#   c  2024-03 gregorian month       -> g 2024-03 / 2024; j unknown / unknown (straddles 1402/1403)
#   d  2024 gregorian year           -> g unknown / 2024; j unknown / unknown
#   e  1403 jalali year              -> g unknown / unknown; j unknown / 1403
#   f  2024-04-17/2024-04-27 range   -> g 2024-04 / 2024; j unknown (Farvardin/Ordibehesht) / 1403
#   g  unknown date                  -> unknown everywhere
HAND = [
    row(record_id="a", date="2024-03-05", charge="drug;murder", province="Tehran", gender="male"),
    row(record_id="b", date="1403-01-01", calendar="jalali", charge="drug", province="Esfahan", gender="female"),
    row(record_id="c", date="2024-03", charge="moharebeh", province="Isfahan"),
    row(record_id="d", date="2024", charge="unknown", province="unknown", act="death-sentence"),
    row(record_id="e", date="1403", calendar="jalali", charge="drug", province="Kordestan", gender="unknown"),
    row(record_id="f", date="2024-04-17/2024-04-27", charge="murder", province="کردستان"),
    row(record_id="g", date="unknown", charge="drug", province="Tehran"),
]


def test_statistics_match_counts_worked_out_by_hand(desk):
    load(HAND)
    assert stats.count_by("month").as_dict() == {
        "by": "month", "calendar": "gregorian", "total": 7,
        "counts": {"2024-03": 3, "2024-04": 1, "unknown": 3}}
    assert stats.count_by("year").counts == {"2024": 5, "unknown": 2}
    assert stats.count_by("month", calendar="jalali").counts == {"1402-12": 1, "1403-01": 1, "unknown": 5}
    assert stats.count_by("year", calendar="jalali").counts == {"1402": 1, "1403": 3, "unknown": 3}
    charges = stats.count_by("charge")
    assert charges.counts == {"drug": 4, "murder": 2, "moharebeh": 1, "unknown": 1}
    assert charges.total == 7  # a record with two charges is one record, counted under each charge
    assert stats.count_by("province").counts == {"Isfahan": 2, "Kurdistan": 2, "Tehran": 2, "unknown": 1}
    assert stats.count_by("act").counts == {"execution": 6, "death-sentence": 1}
    assert stats.count_by("gender").counts == {"male": 5, "female": 1, "unknown": 1}
    assert stats.count_by("month", act="death-sentence").counts == {"unknown": 1}


def test_stats_command_prints_the_json_shape_and_respects_status_and_withdrawal(desk, capsys):
    load(HAND)
    Act.objects.filter(record_id="a").update(status="verified")
    workflow.withdraw(Act.objects.get(record_id="b"), None, "entered twice by mistake")
    assert cli.main(["cases", "stats", "--by", "year", "--calendar", "jalali", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "by": "year", "calendar": "jalali", "counts": {"1402": 1, "1403": 2, "unknown": 3}, "total": 6}
    assert cli.main(["cases", "stats", "--by", "province", "--status", "verified", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"] == {"Tehran": 1}
    with pytest.raises(SystemExit) as exit_status:
        cli.main(["cases", "stats", "--by", "colour"])
    assert exit_status.value.code == 2


SECOND_REPORTS = [
    row(record_id="ihr-1", name="Mohammad Hosseini", date="2024-03-05", province="Sistan and Baluchestan", age="31",
        reported_by="Monitor A [A-17]", source_url="https://monitor-a.example/1"),
    row(record_id="hr-9", name="Mohammed Hoseini", date="2024-03-07", province="Sistan-Baluchistan", age="31",
        reported_by="Monitor B [B-3]", source_url="https://monitor-b.example/3"),
    row(record_id="fa-2", name_fa="محمد حسینی", date="1402-12-16", calendar="jalali", province="سیستان و بلوچستان",
        reported_by="Monitor C"),
    # The same common name, months later, in another province: another person.
    row(record_id="other-1", name="Mohammad Hosseini", date="2024-09-20", province="Tehran", age="52"),
    # The same name, a few days apart, but in another province and another age: not a candidate either.
    row(record_id="other-2", name="Mohammad Hosseini", date="2024-03-06", province="Razavi Khorasan", age="64"),
]


def test_duplicates_find_other_spellings_and_scripts_but_not_other_people(desk, capsys):
    load(SECOND_REPORTS)
    assert cli.main(["cases", "duplicates", "--json"]) == 0
    pairs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    found = {tuple(sorted(p["record_ids"])) for p in pairs}
    assert found == {("hr-9", "ihr-1"), ("fa-2", "ihr-1"), ("fa-2", "hr-9")}
    assert all(set(p) == {"record_ids", "score", "reasons"} and 0 < p["score"] <= 100 for p in pairs)
    best = next(p for p in pairs if sorted(p["record_ids"]) == ["hr-9", "ihr-1"])
    assert "same province" in best["reasons"] and "dates 2 days apart" in best["reasons"]


def test_merge_keeps_every_source_and_reporter_and_withdraws_the_other(desk):
    load(SECOND_REPORTS)
    keep, other = Act.objects.get(record_id="ihr-1"), Act.objects.get(record_id="hr-9")
    duplicates.merge(keep, other)
    keep.refresh_from_db()
    other.refresh_from_db()
    assert sorted(keep.sources.values_list("url", flat=True)) == [
        "https://monitor-a.example/1", "https://monitor-b.example/3"]
    assert sorted((r.organisation.name, r.external_id) for r in keep.reports.all()) == [
        ("Monitor A", "A-17"), ("Monitor B", "B-3")]
    assert other.state == "withdrawn" and other.merged_into == keep and "merged into ihr-1" in other.withdrawn_reason
    assert Act.objects.filter(record_id="hr-9").exists()  # nothing deleted
    assert stats.count_by("month").counts == {"2024-03": 3, "2024-09": 1}
    remaining = {tuple(sorted(c.record_ids)) for c in duplicates.candidates()}
    assert remaining == {("fa-2", "ihr-1")}
    # Importing the second organisation's file again adds nothing back.
    again = importing.import_rows([(3, {k: v for k, v in SECOND_REPORTS[1].items()})])
    assert again.imported == 0 and again.unchanged == 1


def _editor(name, group):
    user = User.objects.create_user(name, password=None)
    user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)


def test_a_record_is_a_draft_until_a_second_editor_verifies_it(desk, client):
    load([row(record_id="w1", name="Karim Ahmadi")])
    act = Act.objects.get(record_id="w1")
    researcher, verifier = _editor("researcher", "Case researchers"), _editor("verifier", "Case verifiers")
    Act.objects.filter(pk=act.pk).update(created_by=verifier)
    act.refresh_from_db()
    assert workflow.can_verify(act, researcher) == "you are not in a group that verifies records (Case verifiers)"
    assert "second editor" in workflow.can_verify(act, verifier)
    other = _editor("verifier2", "Case verifiers")
    client.force_login(other)
    response = client.post(f"/admin/cases/record/{act.pk}/verify/", follow=True)
    assert response.status_code == 200
    act.refresh_from_db()
    assert act.state == "approved" and act.approved_by == other
    history = client.get(f"/admin/cases/record/{act.pk}/").content.decode()
    assert "Verified by a second editor" in history and "verifier2" in history
    response = client.post(f"/admin/cases/record/{act.pk}/withdraw/", {"reason": ""}, follow=True)
    act.refresh_from_db()
    assert act.state == "approved"
    client.post(f"/admin/cases/record/{act.pk}/withdraw/", {"reason": "the source retracted it"})
    act.refresh_from_db()
    assert act.state == "withdrawn" and act.withdrawn_reason == "the source retracted it"


def test_records_cannot_be_deleted_in_the_admin(desk, admin_client):
    load([row(record_id="del-1")])
    act = Act.objects.get(record_id="del-1")
    admin_client.post(f"/admin/snippets/cases/act/delete/{act.pk}/")
    assert Act.objects.filter(pk=act.pk).exists()


def test_public_pages_respect_visibility_and_never_name_a_confidential_source(desk, client):
    load([row(record_id="p1", name="Zahra Karimi", name_fa="زهرا کریمی", city="Karaj", date="2024-06-01"),
          row(record_id="p2", name="Hidden Person", city="Secret City", date="2024-06-02"),
          row(record_id="p3", name="Internal Person", date="2024-06-03"),
          row(record_id="p4", name="Draft Person", date="2024-06-04")])
    acts = {a.record_id: a for a in Act.objects.filter(record_id__in=["p1", "p2", "p3", "p4"])}
    Act.objects.filter(record_id__in=["p1", "p2", "p3"]).update(state="approved")
    Act.objects.filter(record_id="p2").update(visibility="anonymised", narrative="Details that identify.")
    Act.objects.filter(record_id="p3").update(visibility="internal")
    ActSource.objects.create(act=acts["p1"], url="https://witness.example/secret", title="Witness W.",
                             confidential=True)
    page = client.get(f"/cases/{acts['p1'].pk}/").content.decode()
    assert "Zahra Karimi" in page and "زهرا کریمی" in page and "Karaj" in page
    assert "witness.example" not in page and "Witness W." not in page
    assert "A confidential source held by the organisation" in page
    anonymised = client.get(f"/cases/{acts['p2'].pk}/").content.decode()
    assert "Hidden Person" not in anonymised and "Secret City" not in anonymised
    assert "Details that identify" not in anonymised and "Name withheld" in anonymised
    assert client.get(f"/cases/{acts['p3'].pk}/").status_code == 404
    assert client.get(f"/cases/{acts['p4'].pk}/").status_code == 404
    persian = client.get(f"/fa/cases/{acts['p1'].pk}/").content.decode()
    assert "۱۲ خرداد ۱۴۰۳" in persian  # 1 June 2024 in the Jalali calendar
    listing = client.get("/cases/").content.decode()
    assert "Zahra Karimi" in listing and "Internal Person" not in listing and "Draft Person" not in listing
    # The public statistics count the three verified records (internal ones too), not the draft.
    stats_page = client.get("/statistics/gregorian/execution/").content.decode()
    assert "<svg" in stats_page and "June 2024" in stats_page
    body = client.get("/statistics/gregorian/execution/month.csv").content.decode()
    assert list(csv.reader(body.splitlines())) == [["month", "label", "count"], ["2024-06", "June 2024", "3"]]


def test_export_is_shareable_by_default_with_public_addresses(desk, tmp_path, capsys):
    load([row(record_id="e1", name="Ali Moradi", source_url="https://a.example/1"),
          row(record_id="e2", name="Anonymous Person"), row(record_id="e3", name="Internal One")])
    Act.objects.filter(record_id__in=["e1", "e2", "e3"]).update(state="approved")
    Act.objects.filter(record_id="e2").update(visibility="anonymised")
    Act.objects.filter(record_id="e3").update(visibility="internal")
    ActSource.objects.create(act=Act.objects.get(record_id="e1"), url="https://hidden.example/x", confidential=True)
    out = tmp_path / "out.json"
    assert cli.main(["cases", "export", str(out)]) == 0
    records = {r["record_id"]: r for r in json.loads(out.read_text())}
    assert "e3" not in records and records["e2"]["name"] == ""
    assert records["e1"]["source_url"] == "https://a.example/1"
    assert records["e1"]["public_address"].endswith(f"/cases/{Act.objects.get(record_id='e1').pk}/")
    out_csv = tmp_path / "out.csv"
    assert cli.main(["cases", "export", str(out_csv), "--all"]) == 0
    text = out_csv.read_text()
    assert "Internal One" in text and "hidden.example" in text
    assert cli.main(["cases", "export", str(tmp_path / "out.txt")]) == 2


def test_a_saved_filter_is_a_registry_figure_the_lint_compares_articles_with(desk):
    from rightsdesk.facts import lint, registry
    from rightsdesk.facts.models import Figure

    Figure.objects.all().delete()  # only the cases desk's count in the registry
    load([row(record_id=f"x{n}", date="2024-05-01", name=f"Person {n}") for n in range(12)])
    Act.objects.filter(record_id__startswith="x").update(status="verified")
    SavedFilter.objects.all().delete()
    SavedFilter.objects.create(counts="executions", kind=ActKind.objects.get(code="execution"), year="2024",
                               status="verified")
    report = lint.lint_text("Monitors recorded 975 executions in 2024 in Iran.", registry.current())
    divergent = [p for p in report.problems if p.kind == "registry-divergence"]
    assert divergent and "12 executions" in divergent[0].message and "cases desk" in divergent[0].message
    ok = lint.lint_text("Monitors recorded 12 executions in 2024 in Iran.", registry.current())
    assert not [p for p in ok.problems if p.kind == "registry-divergence"]


def test_reconciliation_lists_each_organisations_count_and_the_acts_it_lacks(desk, capsys):
    import datetime as dt

    from rightsdesk.cases.models import PublishedCount, ReportingOrganisation

    load([row(record_id="r1", date="2024-02-01", reported_by="Monitor A; Monitor B"),
          row(record_id="r2", date="2024-02-10", reported_by="Monitor A"),
          row(record_id="r3", date="2024-02", reported_by="Monitor B"),
          row(record_id="r4", date="2024", reported_by="Monitor A"),  # not wholly inside February
          row(record_id="r5", date="2024-02-20")])
    PublishedCount.objects.create(organisation=ReportingOrganisation.objects.get(name="Monitor A"),
                                  kind=ActKind.objects.get(code="execution"), start=dt.date(2024, 2, 1),
                                  end=dt.date(2024, 2, 29), count=5)
    assert cli.main(["cases", "reconcile", "2024-02-01", "2024-02-29", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["total"] == 4
    by_name = {o["organisation"]: o for o in result["organisations"]}
    assert by_name["Monitor A"]["reported"] == 2 and by_name["Monitor A"]["published"] == [5]
    assert sorted(by_name["Monitor A"]["missing"]) == ["r3", "r5"]
    assert sorted(by_name["Monitor B"]["missing"]) == ["r2", "r5"]
    assert result["unreported"] == ["r5"]


def test_admin_pages_of_the_desk_render_for_an_editor(desk, admin_client, write_csv):
    load(SECOND_REPORTS)
    act = Act.objects.get(record_id="ihr-1")
    for url in ("/admin/cases/duplicates/", "/admin/cases/reconciliation/?start=2024-01-01&end=2024-12-31",
                "/admin/cases/import/", f"/admin/cases/record/{act.pk}/", "/admin/snippets/cases/act/",
                f"/admin/snippets/cases/act/edit/{act.pk}/", "/admin/snippets/cases/province/"):
        assert admin_client.get(url).status_code == 200, url
    page = admin_client.get("/admin/cases/duplicates/").content.decode()
    assert "ihr-1" in page and "hr-9" in page
    path = write_csv([row(record_id="up-1"), row(record_id="up-2", date="2024-02-30")])
    with open(path, "rb") as upload:
        response = admin_client.post("/admin/cases/import/", {"file": upload})
    text = response.content.decode()
    assert "day 30 does not exist" in text and Act.objects.filter(record_id="up-1").exists()
    assert not Act.objects.filter(record_id="up-2").exists()
