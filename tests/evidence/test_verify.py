"""`rightsdesk verify` catches every changed byte: in a WARC, a screenshot, a custody log entry;
and missing files, reordered entries, and database rows that no longer match the log."""

import json

import pytest

from rightsdesk.cli import main
from rightsdesk.evidence.capture import capture_file, capture_url, withdraw
from rightsdesk.evidence.models import Capture

pytestmark = pytest.mark.django_db


def flip_byte(path, offset=None):
    data = bytearray(path.read_bytes())
    offset = len(data) // 2 if offset is None else offset
    data[offset] ^= 0x01
    path.chmod(0o644)
    path.write_bytes(bytes(data))


def run_verify(capsys, *args):
    status = main(["verify", *args])
    return status, capsys.readouterr().out


@pytest.fixture
def three(web, tmp_path):
    """Three captures: two fetched, one saved by hand, and a withdrawal in the log."""
    a = capture_url(web + "/article.html").capture
    b = capture_url(web + "/text.txt").capture
    saved = tmp_path / "saved.txt"
    saved.write_text("A note saved by hand for the tests, with a sentence that ends here.\n")
    c = capture_file(str(saved), original_url="https://example.org/note").capture
    withdraw(c, "test withdrawal")
    return a, b, c


def test_an_untouched_store_verifies_and_the_verification_is_logged(three, evidence_store, capsys):
    status, out = run_verify(capsys)
    assert status == 0
    assert out.strip().splitlines()[-1].startswith("OK: 3 captures, 3 stored files, 4 custody log entries verified")
    entries = [e for _, _, e in evidence_store.entries()]
    assert entries[-1]["action"] == "verify" and entries[-1]["ok"] is True
    # Verifying again also checks the earlier verification's entry.
    status, out = run_verify(capsys, "--json")
    data = json.loads(out)
    assert status == 0 and data["ok"] and data["checked"]["custody_entries"] == 5


def test_one_changed_byte_in_a_warc_is_named(three, evidence_store, capsys):
    a, b, c = three
    flip_byte(evidence_store.path(b.warc_name))
    status, out = run_verify(capsys)
    assert status == 1
    assert f"ALTERED: capture {b.pk} WARC {b.warc_name}: SHA-256 is now" in out
    assert out.count("ALTERED") == 1 and "FAILED: 1 problem" in out


def test_one_changed_byte_in_a_log_entry_is_named(three, evidence_store, capsys):
    lines = evidence_store.log_path.read_bytes().splitlines(keepends=True)
    # Change one digit of the second entry's capture time.
    lines[1] = lines[1].replace(b'"captured_at":"20', b'"captured_at":"21', 1)
    evidence_store.log_path.write_bytes(b"".join(lines))
    status, out = run_verify(capsys, "--json")
    data = json.loads(out)
    assert status == 1
    assert [(p["kind"], p["item"]) for p in data["problems"]] == [
        ("altered", "custody log line 2 (entry 2, capture)")]


def test_a_damaged_log_line_and_reordered_entries_are_named(three, evidence_store, capsys):
    lines = evidence_store.log_path.read_bytes().splitlines(keepends=True)
    lines[1], lines[2] = lines[2], lines[1]
    evidence_store.log_path.write_bytes(b"".join(lines))
    status, out = run_verify(capsys)
    assert status == 1
    assert "REORDERED: custody log line 2 (entry 3, capture)" in out
    assert "REORDERED: custody log line 3 (entry 2, capture)" in out
    lines[1], lines[2] = lines[2], lines[1]
    lines[3] = lines[3][:40] + b"\n"  # a line cut short
    evidence_store.log_path.write_bytes(b"".join(lines))
    status, out = run_verify(capsys)
    assert status == 1 and "DAMAGED: custody log line 4" in out


def test_a_removed_log_entry_is_named(three, evidence_store, capsys):
    lines = evidence_store.log_path.read_bytes().splitlines(keepends=True)
    del lines[1]
    evidence_store.log_path.write_bytes(b"".join(lines))
    status, out = run_verify(capsys)
    assert status == 1
    assert "REORDERED: custody log line 2 (entry 3, capture): does not follow the entry before it" in out
    # The capture whose entry was removed is no longer accounted for.
    assert f"UNLOGGED: capture {three[1].pk}" in out


def test_a_missing_original_and_a_doctored_database_row_are_named(three, evidence_store, capsys):
    a, b, c = three
    path = evidence_store.path(a.warc_name)
    path.chmod(0o644)
    path.unlink()
    Capture.objects.filter(pk=c.pk).update(payload_sha256="0" * 64)
    status, out = run_verify(capsys)
    assert status == 1
    assert f"MISSING: capture {a.pk} WARC {a.warc_name}: the stored file is gone" in out
    assert f"MISMATCH: capture {c.pk}: the hashes in the database differ" in out


def test_one_changed_byte_in_a_screenshot_is_named(web, evidence_store, capsys):
    from rightsdesk.evidence.screenshot import chromium_path

    if not chromium_path():
        pytest.skip("chromium is not installed here (make test installs Debian's chromium)")
    capture = capture_url(web + "/article.html", screenshot_wanted=True).capture
    assert capture.screenshot_name
    flip_byte(evidence_store.path(capture.screenshot_name), offset=200)
    status, out = run_verify(capsys)
    assert status == 1
    assert f"ALTERED: capture {capture.pk} screenshot {capture.screenshot_name}" in out
    assert "WARC" not in out.split("FAILED")[0]
