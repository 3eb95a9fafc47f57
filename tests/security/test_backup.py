"""`rightsdesk backup` and `rightsdesk restore`: the database, the evidence store and the media as
one encrypted set, restored into an empty data folder where `rightsdesk verify` passes; a set that
does not match its custody log does not pass."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).parent / "rightsdesk")
TEXT = "Witnesses said 12 students were detained on Monday outside the faculty of law."
PAGE = f"<html><head><title>Detentions at the faculty</title></head><body><article><p>{TEXT}</p></article></body></html>"


def run(data_dir, *args, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RIGHTSDESK_", "DATABASE_"))}
    env.update({"RIGHTSDESK_DATA_DIR": str(data_dir), "RIGHTSDESK_CAPTURE_SCREENSHOTS": "0", **extra})
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=300)


def capture(data_dir, tmp_path, name, text=TEXT):
    saved = tmp_path / f"{name}.html"
    saved.write_text(PAGE.replace(TEXT, text))
    done = run(data_dir, "capture", "--file", str(saved), "--url", f"https://news.example.org/{name}")
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A data folder with the site, one capture and an uploaded image; the organisation's key."""
    tmp = tmp_path_factory.mktemp("backup-site")
    data = tmp / "data"
    done = run(data, "init", RIGHTSDESK_ADMIN_PASSWORD="a long password for the test 42")
    assert done.returncode == 0, done.stderr
    capture(data, tmp, "faculty")
    image = data / "media" / "original_images" / "protest.jpg"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(b"\xff\xd8 photo of the protest")
    key = tmp / "organisation.key"
    done = run(tmp / "unused", "backup-key", str(key))
    assert done.returncode == 0, done.stderr
    recipient = next(line.split()[-1] for line in key.read_text().splitlines() if "public key" in line)
    return tmp, data, key, recipient


def test_a_backup_restores_into_an_empty_data_folder_and_verifies(site, tmp_path):
    tmp, data, key, recipient = site
    backup = tmp_path / "site.age"
    done = run(data, "backup", str(backup), "--recipient", recipient)
    assert done.returncode == 0, done.stderr
    assert "Backup written" in done.stdout
    # Encrypted: neither the captured text nor the database can be read from the file.
    raw = backup.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1") and TEXT.encode() not in raw and b"SQLite format 3" not in raw
    assert backup.stat().st_mode & 0o077 == 0

    restored = tmp_path / "restored"
    done = run(restored, "restore", str(backup), "--identity", str(key))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: 1 capture" in done.stdout
    done = run(restored, "verify")
    assert done.returncode == 0 and done.stdout.startswith("OK: 1 capture"), done.stdout + done.stderr
    assert (restored / "media/original_images/protest.jpg").read_bytes() == b"\xff\xd8 photo of the protest"
    originals = sorted(p.name for p in (data / "evidence/objects").rglob("*") if p.is_file())
    assert sorted(p.name for p in (restored / "evidence/objects").rglob("*") if p.is_file()) == originals
    # The restored site knows the capture and the admin (its password and second factor came along).
    done = run(restored, "otp", "admin", "--status")
    assert done.returncode == 0 and "has second factor" in done.stdout, done.stdout + done.stderr


def test_a_restore_never_writes_over_a_data_folder_in_use(site, tmp_path):
    tmp, data, key, recipient = site
    backup = tmp_path / "site.age"
    assert run(data, "backup", str(backup), "--recipient", recipient).returncode == 0
    before = (data / "rightsdesk.sqlite3").read_bytes()
    done = run(data, "restore", str(backup), "--identity", str(key))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "empty" in done.stderr
    assert (data / "rightsdesk.sqlite3").read_bytes() == before


def test_a_wrong_key_or_an_altered_backup_restores_nothing(site, tmp_path):
    tmp, data, key, recipient = site
    backup = tmp_path / "site.age"
    assert run(data, "backup", str(backup), "--recipient", recipient).returncode == 0
    other_key = tmp_path / "other.key"
    assert run(tmp_path / "unused", "backup-key", str(other_key)).returncode == 0
    altered = tmp_path / "altered.age"
    raw = bytearray(backup.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    altered.write_bytes(bytes(raw))
    for file, keyfile in ((backup, other_key), (altered, key)):
        target = tmp_path / f"restored-{file.stem}-{keyfile.stem}"
        done = run(target, "restore", str(file), "--identity", str(keyfile))
        assert done.returncode == 2, done.stdout + done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
        assert not (target / "rightsdesk.sqlite3").exists() and not (target / "evidence").exists()


def test_a_backup_needs_the_organisations_public_key(site, tmp_path):
    _, data, _, _ = site
    done = run(data, "backup", str(tmp_path / "site.age"))
    assert done.returncode == 2 and "recipient" in done.stderr.lower()
    done = run(data, "backup", str(tmp_path / "site.age"), "--recipient", "not-a-key")
    assert done.returncode == 2 and "age public key" in done.stderr
    assert not (tmp_path / "site.age").exists()


def test_a_restored_set_whose_original_does_not_match_the_custody_log_fails_verify(tmp_path):
    data = tmp_path / "data"
    assert run(data, "init", RIGHTSDESK_ADMIN_PASSWORD="a long password for the test 42").returncode == 0
    capture(data, tmp_path, "faculty")
    key = tmp_path / "org.key"
    run(tmp_path / "unused", "backup-key", str(key))
    recipient = next(line.split()[-1] for line in key.read_text().splitlines() if "public key" in line)
    # Someone altered an original in the store before the backup was made.
    original = next(p for p in (data / "evidence/objects").rglob("*") if p.is_file())
    original.chmod(0o644)
    original.write_bytes(original.read_bytes() + b"\n")
    backup = tmp_path / "site.age"
    assert run(data, "backup", str(backup), "--recipient", recipient).returncode == 0
    restored = tmp_path / "restored"
    done = run(restored, "restore", str(backup), "--identity", str(key))
    assert done.returncode == 1 and "verify" in done.stderr, done.stdout + done.stderr
    assert run(restored, "verify").returncode == 1


def test_a_database_restored_older_than_the_custody_log_fails_verify(site, tmp_path):
    tmp, data, key, recipient = site
    old = tmp_path / "old.age"
    assert run(data, "backup", str(old), "--recipient", recipient).returncode == 0
    capture(data, tmp_path, "second", "Officials said 95 students were released on Tuesday.")
    new = tmp_path / "new.age"
    assert run(data, "backup", str(new), "--recipient", recipient).returncode == 0
    restored, older = tmp_path / "restored", tmp_path / "older"
    assert run(restored, "restore", str(new), "--identity", str(key)).returncode == 0
    assert run(older, "restore", str(old), "--identity", str(key)).returncode == 0
    # The database of the older backup beside the newer evidence store and custody log.
    shutil.copy(older / "rightsdesk.sqlite3", restored / "rightsdesk.sqlite3")
    for suffix in ("-wal", "-shm"):
        (restored / f"rightsdesk.sqlite3{suffix}").unlink(missing_ok=True)
    assert run(restored, "verify").returncode == 1
