"""The lint: each problem kind, the command line and its JSON contract, the reference page, and a
property-based check that it never crashes and its offsets always point at what it quotes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rightsdesk.facts import lint
from rightsdesk.facts.figures import Figure
from rightsdesk.facts.lint import EntityInfo, Registry, RegistryFigure, lint_text

from ..conftest import reference_page_text

RIGHTSDESK = Path(sys.executable).with_name("rightsdesk")


def kinds(report):
    return [p.kind for p in report.problems]


def test_figure_conflict_quotes_both_figures():
    report = lint_text("Police detained 120 students on Monday, witnesses said. Officials said 95 students were detained.", whole=True)
    [problem] = report.by_kind(lint.FIGURE_CONFLICT)
    assert problem.quotes == ["120 students", "95 students"]
    assert "120" in problem.message and "95" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        "At least 5,000 prisoners were executed, rights groups say; others say up to 30,000 prisoners.",
        "In 1988, 4,000 prisoners were executed. In 2022, 582 people were executed.",  # years and counts
        "The court heard 12 witnesses and sentenced 3 defendants.",  # different things
        "834 executions were recorded in 2023 and 975 executions in 2024.",  # different periods
        "Thousands of prisoners were killed; over 30,000 prisoners, says one group.",
    ],
)
def test_numbers_that_do_not_conflict_are_never_flagged(text):
    assert lint_text(text, whole=True).problems == []


def test_over_2000_and_less_than_1000_conflict():
    report = lint_text("Over 2,000 protesters were arrested. Officials said less than 1,000 protesters were arrested.", whole=True)
    assert kinds(report) == [lint.FIGURE_CONFLICT]


def test_alias_drift_lists_the_forms_and_the_canonical_name():
    text = ("The People's Mojahedin (PMOI) was banned. Members of the Mojahedin Khalq were tried. "
            "The Mujahedeen's organization denied it. The People's Mojahedin of Iran appealed.")
    [problem] = lint_text(text, whole=True).by_kind(lint.ALIAS_DRIFT)
    assert {"Mojahedin Khalq", "People's Mojahedin of Iran"} <= set(problem.quotes)
    assert "People's Mojahedin of Iran" in problem.message


def registry_with_death_toll():
    entity = EntityInfo(1, "1988 mass executions of political prisoners", "event")
    aliases = [(1, "1988 prison massacre", 11), (1, "1988 massacre", 12)]
    figures = [
        RegistryFigure(Figure(2800.0, 2800.0, 3800.0, "range", "political prisoners", "", 0, 0, "1988"),
                       frozenset({1}), ("Montazeri, Memoirs (2000)",)),
        RegistryFigure(Figure(5000.0, 5000.0, None, "at least", "political prisoners", "", 0, 0, "1988"),
                       frozenset({1}), ("Amnesty International (2018)",)),
    ]
    return Registry.build([entity], aliases, figures)


def test_registry_divergence_gives_the_registry_range_and_sources():
    registry = registry_with_death_toll()
    report = lint_text("In the 1988 massacre, over 300 political prisoners were executed.", registry, whole=True)
    [problem] = report.by_kind(lint.REGISTRY_DIVERGENCE)
    assert problem.quotes == ["over 300 political prisoners"]
    assert "2,800" in problem.message and "Montazeri" in problem.message and "Amnesty" in problem.message
    # within what the sources say: no divergence
    assert lint_text("In the 1988 massacre, about 4,000 political prisoners were executed.", registry, whole=True).problems == []


def test_unsourced_figures_only_when_strict_and_a_registry_figure_is_a_source():
    registry = registry_with_death_toll()
    text = "In the 1988 massacre, at least 5,000 political prisoners were executed, and 40 guards were promoted."
    assert lint_text(text, registry, whole=True).problems == []
    problems = lint_text(text, registry, whole=True, strict=True).by_kind(lint.UNSOURCED_FIGURE)
    assert [p.quotes for p in problems] == [["40 guards"]]


def test_entities_from_the_registry_and_from_the_text():
    registry = registry_with_death_toll()
    report = lint_text("Survivors of the 1988 prison massacre met the Quill Rights Circle (QRC) in Oslo.", registry, whole=True)
    by_name = {e.name: e for e in report.entities}
    assert by_name["1988 mass executions of political prisoners"].registered
    assert not by_name["Quill Rights Circle"].registered
    assert [m[0] for m in by_name["Quill Rights Circle"].mentions] == ["Quill Rights Circle", "QRC"]


# --- the command line -------------------------------------------------------------------------

def run(*args, stdin=None):
    env = {**os.environ, "RIGHTSDESK_DATA_DIR": os.environ.get("RIGHTSDESK_DATA_DIR", "/nonexistent-for-lint")}
    return subprocess.run([str(RIGHTSDESK), "lint", *args], input=stdin, capture_output=True, text=True, env=env, timeout=120)


def test_cli_exit_status_and_human_output(tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("The committee met in Geneva on 3 March 2024.", encoding="utf-8")
    bad = tmp_path / "bad.md"
    bad.write_text("+++\ntitle = 'x'\n+++\nOfficials said 463 signatories wrote. The 462 signatories asked for more.\n", encoding="utf-8")
    result = run("--no-registry", str(clean))
    assert result.returncode == 0 and result.stdout == ""
    result = run("--no-registry", str(clean), str(bad))
    assert result.returncode == 1
    [line] = result.stdout.splitlines()
    assert line.startswith(f"{bad}:1: figure-conflict:") and "463" in line and "462" in line


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    for path in (str(pdf), str(tmp_path / "missing.txt")):
        result = run("--no-registry", path)
        assert result.returncode == 2
        assert result.stdout == ""
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("rightsdesk: error:")


def test_cli_json_contract_from_standard_input():
    text = "Guards detained 120 students. Officials said 95 students were detained. President Ebrahim Raisi and Raisi spoke."
    result = run("--no-registry", "--json", "-", stdin=text)
    assert result.returncode == 1
    [line] = result.stdout.splitlines()
    data = json.loads(line)
    assert set(data) == {"path", "figures", "entities", "problems"} and data["path"] == "-"
    for figure in data["figures"]:
        assert set(figure) == {"value", "low", "high", "qualifier", "counts", "quote", "start", "end"}
        assert text[figure["start"]:figure["end"]] == figure["quote"]
    for entity in data["entities"]:
        assert set(entity) == {"name", "kind", "registered", "mentions"}
        for mention in entity["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]
    assert [p["kind"] for p in data["problems"]] == ["figure-conflict"]
    assert set(data["problems"][0]) == {"kind", "message", "quotes"}


def test_reference_page_end_to_end(tmp_path):
    """The reference page with an empty registry: both conflicts, the organisation named six ways,
    the president as one person, nothing about years or dates, and the page's trailing "Latest
    news"/"Must read" teasers kept out of it."""
    text = reference_page_text()
    path = tmp_path / "reference.txt"
    path.write_text(text, encoding="utf-8")
    result = run("--no-registry", "--json", str(path))
    assert result.returncode == 1
    data = json.loads(result.stdout)
    problems = data["problems"]
    conflicts = [p["quotes"] for p in problems if p["kind"] == "figure-conflict"]
    assert sorted(sorted(q) for q in conflicts) == sorted([
        sorted(["463 current and former UN officials", "462"]),
        sorted(["over 30,000 political prisoners", "over 300 political prisoners"]),
    ])
    organisations = [e for e in data["entities"] if any(m["text"] == "MEK" for m in e["mentions"])]
    assert len(organisations) == 1 and organisations[0]["kind"] == "organisation"
    forms = {m["text"] for m in organisations[0]["mentions"]}
    assert {"PMOI", "MEK", "Mojahedin Khalq", "People’s Mojahedin of Iran", "People’s Mojahedin"} <= forms
    assert any(f.startswith("Mujahedeen") for f in forms)
    drift = [p for p in problems if p["kind"] == "alias-drift"]
    assert len(drift) == 1 and "MEK" in drift[0]["quotes"]
    persons = [e for e in data["entities"] if any("Raisi" in m["text"] for m in e["mentions"])]
    assert len(persons) == 1 and persons[0]["kind"] == "person"
    for p in problems:
        assert not any(q.strip() in {"1988", "2022", "27"} for q in p["quotes"])
    chrome = text.index("Latest news")
    assert all(f["end"] <= chrome for f in data["figures"])
    for figure in data["figures"]:
        assert text[figure["start"]:figure["end"]] == figure["quote"]


# --- never crashes --------------------------------------------------------------------------------

WORDS = st.sampled_from([
    "over", "about", "at least", "up to", "fewer than", "between", "and", "to", "-", "–", "the", "The",
    "463", "462", "30,000", "2.277", "1988", "2022", "January", "27,", "10:30", "3pm", "27th",
    "+98 21 1234 5678", "Article 6", "thousands", "of", "political", "prisoners", "people", "PMOI", "(",
    ")", "MEK", "People’s", "Mojahedin", "Mujahedeen’s", "organization", "Raisi", "President", "Ebrahim",
    "also known as", "aka", ".", ",", "\n\n", "...", "۴۶۳", "۱۳۶۷", "اعدام", "زندانی", "رئیسی", "مجاهدین",
    "\u200c", "ـ", "two dozen", "2-3 minutes", "%", "$5 million", "’s", "\"", "“", "”",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(WORDS, max_size=60).map(" ".join), st.text(max_size=300)))
def test_lint_never_crashes_and_offsets_point_at_the_quotes(text):
    registry = registry_with_death_toll()
    for whole in (True, False):
        report = lint_text(text, registry, whole=whole, strict=True)
        for f in report.figures:
            assert text[f.start:f.end] == f.quote
        for e in report.entities:
            for t, s, end in e.mentions:
                assert text[s:end] == t
        json.dumps(report.as_dict("x"))


def test_over_a_small_number_conflicts_with_a_range_of_larger_ones():
    text = "Montazeri put the toll at 2,800 to 3,800 prisoners. A speaker said over 300 prisoners died."
    assert kinds(lint_text(text, whole=True)) == [lint.FIGURE_CONFLICT]
    text = "Montazeri put the toll at 2,800 to 3,800 prisoners. Another estimate: up to 30,000 prisoners."
    assert lint_text(text, whole=True).problems == []
