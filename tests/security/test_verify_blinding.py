"""`rightsdesk verify` cannot be blinded: the custody log and the database are compared both ways,
a database that does not know the store is refused (and nothing is written into that log), a
capture's log entry and rows are written together or neither, and the export's own `jq` check
reproduces every entry's hash."""

import getpass
import json
import shutil
import socket
import subprocess
import zipfile

import pytest

from rightsdesk.cli import main
from rightsdesk.evidence.capture import CaptureError, capture_file, capture_url, withdraw
from rightsdesk.evidence.models import Capture, CaptureEvent, StoreState
from tests.evidence.conftest import evidence_store, web  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def verify(capsys):
    status = main(["verify", "--json"])
    return status, json.loads(capsys.readouterr().out)


def kinds(data):
    return {(p["kind"], p["item"]) for p in data["problems"]}


@pytest.fixture
def two(web, tmp_path):
    a = capture_url(web + "/article.html", note="first").capture
    saved = tmp_path / "saved.txt"
    saved.write_text("A statement saved by hand for the blinding tests; it ends here.\n")
    b = capture_file(str(saved), original_url="https://example.org/statement").capture
    return a, b


def test_an_untouched_installation_verifies(two, capsys):
    status, data = verify(capsys)
    assert status == 0 and data["ok"], data


def test_a_deleted_capture_row_fails(two, capsys):
    a, b = two
    CaptureEvent.objects.filter(capture=b).delete()
    Capture.objects.filter(pk=b.pk).delete()
    status, data = verify(capsys)
    assert status == 1
    assert ("deleted", f"capture {b.pk}") in kinds(data)
    problem = next(p for p in data["problems"] if p["item"] == f"capture {b.pk}")
    assert "https://example.org/statement" in problem["message"]


def test_wiped_rows_and_folder_do_not_say_ok_0_captures(two, evidence_store, capsys):
    CaptureEvent.objects.all().delete()
    Capture.objects.all().delete()
    for child in evidence_store.root.iterdir():
        if child.is_dir():
            shutil.rmtree(child, onerror=lambda f, p, e: (p and __import__("os").chmod(p, 0o700), f(p)))
        else:
            child.chmod(0o600)
            child.unlink()
    status, data = verify(capsys)
    assert status == 1 and not data["ok"]
    assert data["problems"][0]["kind"] == "refused"
    assert "not the one this database belongs to" in data["problems"][0]["message"]


def test_an_empty_database_is_refused_and_nothing_is_written_into_the_log(two, evidence_store, capsys):
    before = evidence_store.log_path.read_bytes()
    # What an empty database (DATABASE_URL pointing elsewhere) looks like to verify: no rows.
    CaptureEvent.objects.all().delete()
    Capture.objects.all().delete()
    StoreState.objects.all().delete()
    status, data = verify(capsys)
    assert status == 1
    assert data["problems"][-1]["kind"] == "refused"
    assert "does not know the evidence store" in data["problems"][-1]["message"]
    assert evidence_store.log_path.read_bytes() == before  # no "ok": true written into the real log
    # Nor will a capture write into it.
    with pytest.raises(CaptureError, match="does not know the evidence store"):
        capture_file("x.txt", data=b"Some words that will not be stored.", filename="x.txt")
    assert evidence_store.log_path.read_bytes() == before


def test_a_database_of_another_store_is_refused(two, capsys):
    StoreState.objects.update(store_id="00000000-0000-4000-8000-000000000000")
    status, data = verify(capsys)
    assert status == 1 and data["problems"][-1]["kind"] == "refused"


def test_a_restore_older_than_the_log_fails(two, web, capsys):
    a, b = two
    state = StoreState.objects.get()
    older = (state.head_seq, state.head_hash)
    c = capture_url(web + "/text.txt").capture
    # The database restored from a backup taken before capture c: c's rows and the head are as then.
    CaptureEvent.objects.filter(capture=c).delete()
    Capture.objects.filter(pk=c.pk).delete()
    StoreState.objects.update(head_seq=older[0], head_hash=older[1])
    status, data = verify(capsys)
    assert status == 1
    assert ("rolled-back", "custody log and database") in kinds(data)
    assert ("deleted", f"capture {c.pk}") in kinds(data)


def test_an_edited_url_or_time_fails(two, capsys):
    import datetime as dt

    a, b = two
    Capture.objects.filter(pk=a.pk).update(requested_url="https://elsewhere.example/other",
                                           final_url="https://elsewhere.example/other")
    Capture.objects.filter(pk=b.pk).update(captured_at=b.captured_at - dt.timedelta(days=30))
    status, data = verify(capsys)
    assert status == 1
    messages = {p["item"]: p["message"] for p in data["problems"] if p["kind"] == "mismatch"}
    assert "https://elsewhere.example/other" in messages[f"capture {a.pk}"]
    assert "capture time" in messages[f"capture {b.pk}"]


def test_an_undone_withdrawal_fails(two, capsys):
    a, b = two
    withdraw(a, "published in error")
    Capture.objects.filter(pk=a.pk).update(withdrawn=False, withdrawn_at=None, withdrawn_reason="")
    status, data = verify(capsys)
    assert status == 1
    problem = next(p for p in data["problems"] if p["item"] == f"capture {a.pk}")
    assert "withdrawal was undone" in problem["message"]


def test_a_failed_capture_leaves_no_phantom_stored_entry(web, evidence_store, monkeypatch, capsys):
    first = capture_url(web + "/article.html").capture
    original_save = CaptureEvent.save

    def failing_save(self, *args, **kwargs):
        if kwargs.get("update_fields") == ["custody_seq"]:
            raise OSError("disk full (simulated)")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(CaptureEvent, "save", failing_save)
    with pytest.raises(OSError):
        capture_url(web + "/text.txt")
    monkeypatch.setattr(CaptureEvent, "save", original_save)
    entries = [e for _, _, e in evidence_store.entries()]
    phantom, void = entries[-2], entries[-1]
    assert phantom["action"] == "capture" and void["action"] == "void" and void["voids"] == phantom["seq"]
    # The number the failed capture had is given to the next one; verify keeps them apart.
    again = capture_url(web + "/text.txt").capture
    assert Capture.objects.count() == 2 and again.pk != first.pk
    status, data = verify(capsys)
    assert status == 0, data["problems"]
    assert any("voided" in note for note in data["notes"])


def test_an_entry_left_by_a_killed_process_is_voided_before_the_next_write(web, evidence_store, capsys):
    capture_url(web + "/article.html")
    # A process killed between writing its entry and committing its rows.
    orphan = evidence_store.append("capture", "system", capture=99, stored=True, payload_sha256="1" * 64, files={})
    capture_url(web + "/text.txt")
    entries = [e for _, _, e in evidence_store.entries()]
    assert any(e["action"] == "void" and e["voids"] == orphan["seq"] for e in entries)
    status, data = verify(capsys)
    assert status == 0, data["problems"]


def test_the_export_readme_jq_check_reproduces_every_hash(web, evidence_store, tmp_path):
    if not shutil.which("jq"):
        pytest.fail("jq is not installed: `bash scripts/ensure-trust-tools.sh` installs it")
    capture = capture_url(web + "/article.html", note="tab\there, bell \x07, delete \x7f, and ünïcode ی").capture
    withdraw(capture, "line one\nline two \x1b[31m")
    out = tmp_path / "export.zip"
    assert main(["export-evidence", "--capture", str(capture.pk), str(out)]) == 0
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(out) as archive:
        archive.extractall(folder)
        readme = archive.read("README.txt").decode()
    # The README's own shell loop, as written there.
    block = readme.split("With jq:\n", 1)[1].split("prints each computed hash", 1)[0]
    script = "\n".join(line[7:] if line.startswith("       ") else line.strip() for line in block.splitlines())
    printed = subprocess.run(["bash", "-c", script], cwd=folder, capture_output=True, text=True, check=True).stdout
    lines = printed.split()
    assert len(lines) == 2 * len((folder / "custody.jsonl").read_text().splitlines()) >= 4
    assert lines[0::2] == lines[1::2]


def test_custody_entries_do_not_name_the_operators_account_or_host(web, evidence_store, capsys):
    assert main(["capture", web + "/article.html"]) == 0
    text = evidence_store.log_path.read_text()
    assert f"@{socket.gethostname()}" not in text and f'"{socket.gethostname()}"' not in text
    assert f"{getpass.getuser()}@" not in text
    assert json.loads(text.splitlines()[-1])["via"] == "command line"


@pytest.mark.parametrize("where", ["a file, not a folder", "/proc"])
def test_export_into_an_unwritable_place_is_one_line(two, tmp_path, capsys, where):
    if where == "/proc":
        target = "/proc/rightsdesk-export.zip"  # refused even to root, who may write anywhere else
    else:
        (tmp_path / "notes.txt").write_text("a file")
        target = str(tmp_path / "notes.txt" / "out.zip")
    status = main(["export-evidence", "--capture", str(two[0].pk), target])
    err = capsys.readouterr().err
    assert status == 1
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert "nothing was exported" in err
