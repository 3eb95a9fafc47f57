"""Exports an investigator can check with standard tools, and captures made into draft articles
and facts-desk sources (the reference page among them)."""

import hashlib
import json
import shutil
import subprocess
import zipfile

import pytest

from rightsdesk.cli import main
from rightsdesk.evidence.capture import capture_file, capture_url
from rightsdesk.evidence.importing import as_article, as_source
from rightsdesk.evidence.models import Capture, CaptureLink
from rightsdesk.evidence.store import entry_hash

from ..conftest import reference_page_text
from .conftest import ARTICLE_HTML, TEXT_PAGE

pytestmark = pytest.mark.django_db


def test_export_of_a_capture_checks_with_sha256sum(web, evidence_store, tmp_path, capsys):
    capture = capture_url(web + "/old", note="for the export").capture
    capture_url(web + "/text.txt")  # another capture, not exported
    out = tmp_path / "evidence.zip"
    assert main(["export-evidence", "--capture", str(capture.pk), str(out)]) == 0
    assert "sha256sum -c SHA256SUMS" in capsys.readouterr().out
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(out) as archive:
        archive.extractall(folder)
        names = set(archive.namelist())
    assert {"README.txt", "SHA256SUMS", "manifest.json", "custody.jsonl",
            f"captures/{capture.pk}/{capture.warc_sha256}.warc.gz", f"captures/{capture.pk}/payload.html"} <= names
    if shutil.which("sha256sum"):
        check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        assert check.stdout.count(": OK") == 4
    payload = (folder / f"captures/{capture.pk}/payload.html").read_bytes()
    assert payload == ARTICLE_HTML.encode()
    assert hashlib.sha256(payload).hexdigest() == capture.payload_sha256
    manifest = json.loads((folder / "manifest.json").read_text())
    (entry,) = manifest["captures"]
    assert entry["requested_url"] == web + "/old" and entry["final_url"] == web + "/article.html"
    assert [hop["status"] for hop in entry["redirects"]] == [301, 302]
    # The custody entries are the store's own lines: their hashes recompute.
    lines = (folder / "custody.jsonl").read_text().splitlines()
    assert [json.loads(line)["capture"] for line in lines] == [capture.pk]
    assert all(entry_hash(json.loads(line)) == json.loads(line)["hash"] for line in lines)
    readme = (folder / "README.txt").read_text()
    assert "sha256sum -c SHA256SUMS" in readme and "warcio" in readme
    # The export itself is in the custody log.
    last = [e for _, _, e in evidence_store.entries()][-1]
    assert last["action"] == "export" and last["captures"] == [capture.pk] and last["file"] == "evidence.zip"


def test_export_refuses_altered_originals_and_existing_files(web, evidence_store, tmp_path, capsys):
    capture = capture_url(web + "/article.html").capture
    existing = tmp_path / "taken.zip"
    existing.write_bytes(b"keep me")
    assert main(["export-evidence", "--capture", str(capture.pk), str(existing)]) == 1
    assert existing.read_bytes() == b"keep me"
    path = evidence_store.path(capture.warc_name)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes() + b"x")
    assert main(["export-evidence", "--capture", str(capture.pk), str(tmp_path / "new.zip")]) == 1
    assert "missing or altered" in capsys.readouterr().err
    assert not (tmp_path / "new.zip").exists() and list(tmp_path.glob(".export-*")) == []
    assert main(["export-evidence", "--capture", "999999", str(tmp_path / "x.zip")]) == 1


def test_import_as_draft_article_links_the_capture_and_runs_the_facts_check(web, evidence_store):
    capture = capture_url(web + "/article.html").capture
    imported = as_article(capture, section_slug="reports")
    page = imported.obj
    assert not page.live and page.has_unpublished_changes
    assert page.get_parent().slug == "reports"
    assert page.title == "Statement on the prison executions"
    paragraphs = list(page.iter_paragraphs())
    assert paragraphs[0].startswith("This is sample text written for the rightsdesk tests.")
    assert len(paragraphs) == 3 and not any("Most read" in p for p in paragraphs)
    assert CaptureLink.objects.filter(capture=capture, page=page).exists()
    assert page.get_latest_revision() is not None
    # "at least 120 executions" has no source in the registry: the check says so.
    assert any(p.kind == "unsourced-figure" and "120" in p.message for p in imported.report.problems)
    assert [e["action"] for _, _, e in evidence_store.entries()] == ["capture", "import"]


def test_import_as_source_for_the_facts_desk(web):
    from rightsdesk.facts.models import SourceKind

    capture = capture_url(web + "/article.html").capture
    first = as_source(capture)
    again = as_source(capture)
    source = first.obj
    assert first.created and not again.created and again.obj.pk == source.pk
    assert source.kind == SourceKind.CAPTURE and source.capture == capture
    assert source.title == "Statement on the prison executions"
    assert source.url == web + "/article.html" and source.publisher == "127.0.0.1"


def test_export_by_article_and_by_entity(web, tmp_path):
    from rightsdesk.facts.models import Entity, Figure, FigureSource

    capture = capture_url(web + "/article.html").capture
    page = as_article(capture).obj
    assert main(["export-evidence", "--article", page.slug, str(tmp_path / "article.zip")]) == 0
    source = as_source(capture_url(web + "/text.txt").capture).obj
    entity = Entity.objects.get(slug="1988-prison-massacre")
    figure = Figure.objects.create(counts="test prisoners", qualifier="exact", low=5, high=5)
    figure.about.add(entity)
    figure.save()  # a ParentalManyToManyField is written on save
    FigureSource.objects.create(figure=figure, source=source)
    assert main(["export-evidence", "--entity", str(entity.pk), str(tmp_path / "entity.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "entity.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert [c["id"] for c in manifest["captures"]] == [source.capture_id]


def test_a_text_page_keeps_the_article_and_drops_teaser_blocks(tmp_path):
    """The rule is general: teaser lists under any heading are chrome, not just "Latest news"."""
    path = tmp_path / "court.txt"
    path.write_text(TEXT_PAGE)
    capture = capture_file(str(path), original_url="https://example.org/court").capture
    page = as_article(capture).obj
    paragraphs = list(page.iter_paragraphs())
    assert page.title == "Court confirms sentences against four labour activists"
    assert paragraphs[0].startswith("The provincial appeals court")
    assert paragraphs[-1].endswith("before the end of the month.")
    for chrome in ("Top stories", "Editors' selection", "Families gather", "AFP:", "Sample Monitor |"):
        assert not any(chrome in p for p in paragraphs)


def test_import_of_the_reference_page(tmp_path, capsys):
    text = reference_page_text()
    path = tmp_path / "reference.txt"
    path.write_text(text)
    assert main(["import", str(path), "--url", "https://example.org/reference-page"]) == 0
    out = capsys.readouterr().out
    capture = Capture.objects.get(original_filename="reference.txt")
    page = capture.links.get().page.specific
    assert not page.live
    straight = page.title.replace("\u2019", "'")
    assert straight == "Unprecedented Call by 463 Human Rights Advocates Prosecuting Iran Regime's Officials"
    paragraphs = list(page.iter_paragraphs())
    assert paragraphs[0].startswith("At a press conference")
    assert paragraphs[-1].rstrip().endswith("his impunity will end.\u201d")
    body = "\n".join(paragraphs)
    for chrome in ("Latest news", "Must read", "Reuters:", "AFP:", "You might also like", "RELATED",
                   "Recommended to you", "Iran, the Resurrection", "Turkey ready to be"):
        assert chrome not in body
    # The facts check ran and reports the page's own contradictions.
    assert "figure-conflict: 463 vs 462" in out and "figure-conflict: over 30,000 vs over 300" in out


def test_a_withdrawn_capture_is_no_longer_cited_on_public_entity_pages(web, client, settings,
                                                                       django_capture_on_commit_callbacks):
    settings.RIGHTSDESK_PAGE_CACHE_SECONDS = 600  # as in production: the page must not stay cached
    from rightsdesk.evidence.capture import withdraw
    from rightsdesk.facts.models import Entity, Figure, FigureSource

    capture = capture_url(web + "/article.html").capture
    source = as_source(capture).obj
    entity = Entity.objects.get(slug="1988-prison-massacre")
    figure = Figure.objects.create(counts="prisoners moved between prisons", qualifier="exact", low=77, high=77)
    figure.about.add(entity)
    figure.save()
    FigureSource.objects.create(figure=figure, source=source)
    url = "/entities/1988-prison-massacre/"
    assert "Statement on the prison executions" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(capture, "The statement was shown to be misdated.")
    html = client.get(url).content.decode()
    assert "Statement on the prison executions" not in html
    assert "misdated" not in html
