"""`rightsdesk backup OUT` and `rightsdesk restore IN`: the database, the evidence store and the
uploaded media as one consistent, encrypted set, and back.

What a backup is: an age file (https://age-encryption.org/v1, through pyrage) holding a tar of
    MANIFEST.json          format, time, database engine, every file with its size and SHA-256
    database.sqlite3       SQLite's own online backup of the database (a consistent snapshot), or
    database.pgdump        pg_dump's custom format (PostgreSQL)
    evidence/...           the originals (objects/) and the custody log
    media/...              uploaded images, documents and renditions

Why age: the backup is encrypted to the organisation's *public* key (an age recipient), so the
server that makes backups cannot read them, and a seized server holds no key that opens the
backups kept elsewhere; the private key (an age identity file, `rightsdesk backup-key`) is kept
offline by the organisation. age is a small, reviewed, standard format with authenticated
encryption, read by the `age` command-line tool and other implementations: a backup can be opened
without rightsdesk (`age -d -i KEY backup.age | tar x`). pyrage is a maintained binding of the
Rust implementation that streams (a backup is not held in memory). A symmetric AEAD with a key
file (cryptography's AES-GCM) would put the key that opens every backup on the server.

Consistency: the custody log's lock is held while the database is snapshotted and the log is
copied, so no capture is recorded in one and not in the other; the originals are copied after
(they are written before their log entry and never change, so every logged original is there).
Uploads are copied after the database: a file uploaded meanwhile may be in the set without its
row, never the other way round.

Restore: into an empty data folder (and an empty PostgreSQL database): the set is decrypted into
a temporary folder inside the data folder, every file is checked against the manifest, then moved
into place; migrations run (a backup of an older version), then the evidence store is verified
(`rightsdesk verify`), and the restore fails when it does not pass.
"""

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

FORMAT = "rightsdesk-backup/1"
MANIFEST = "MANIFEST.json"


class BackupError(Exception):
    """A one-line reason, for the command to print."""


# --- keys ---------------------------------------------------------------------------------------


def make_key(path):
    """Write a new age identity (the private key) to `path` (mode 0600); returns its recipient
    (the public key, for RIGHTSDESK_BACKUP_RECIPIENTS on the server)."""
    from pyrage import x25519

    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists: choose a new file name (a key is never overwritten)")
    identity = x25519.Identity.generate()
    recipient = str(identity.to_public())
    created = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"# created: {created} by rightsdesk backup-key\n# public key: {recipient}\n{identity}\n"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise BackupError(f"cannot write the key to {path} ({exc.strerror}): choose a folder you can write to") from None
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    return recipient


def parse_recipients(values):
    from pyrage import x25519

    recipients = []
    for value in values:
        for item in value.replace(",", " ").split():
            try:
                recipients.append(x25519.Recipient.from_str(item))
            except Exception:  # pyrage raises its own RecipientError, or ValueError
                raise BackupError(f"{item!r} is not an age public key (age1…): give the line `public key:` of "
                                  "the key file `rightsdesk backup-key` wrote") from None
    if not recipients:
        raise BackupError("no key to encrypt to: give --recipient age1… (from `rightsdesk backup-key KEYFILE`) "
                          "or set RIGHTSDESK_BACKUP_RECIPIENTS")
    return recipients


def read_identities(path):
    from pyrage import x25519

    try:
        lines = Path(path).read_text().splitlines()
    except OSError as exc:
        raise BackupError(f"cannot read the key file {path} ({exc.strerror}): give the file "
                          "`rightsdesk backup-key` wrote") from None
    identities = []
    for line in lines:
        line = line.strip()
        if line.startswith("AGE-SECRET-KEY-"):
            try:
                identities.append(x25519.Identity.from_str(line))
            except Exception:
                raise BackupError(f"{path} holds a damaged age key: use the key file `rightsdesk backup-key` wrote") from None
    if not identities:
        raise BackupError(f"{path} holds no age private key (AGE-SECRET-KEY-…): give the file `rightsdesk backup-key` wrote")
    return identities


# --- making a backup ------------------------------------------------------------------------------


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _database():
    from django.conf import settings

    return settings.DATABASES["default"]


def _snapshot_database(workdir):
    """The database into `workdir`: (file name, engine)."""
    database = _database()
    if database["ENGINE"].endswith("sqlite3"):
        target = workdir / "database.sqlite3"
        source = sqlite3.connect(f"file:{database['NAME']}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(target)
            with copy:
                source.backup(copy)
            copy.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"cannot read the database {database['NAME']} ({exc}): check DATABASE_URL") from None
        finally:
            source.close()
        return target.name, "sqlite"
    if "postgresql" in database["ENGINE"]:
        target = workdir / "database.pgdump"
        _pg(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)], database)
        return target.name, "postgresql"
    raise BackupError(f"cannot back up a {database['ENGINE']} database: SQLite and PostgreSQL only")


def _pg(command, database):
    env = dict(os.environ)
    env.update({"PGHOST": str(database.get("HOST") or ""), "PGPORT": str(database.get("PORT") or ""),
                "PGUSER": str(database.get("USER") or ""), "PGPASSWORD": str(database.get("PASSWORD") or ""),
                "PGDATABASE": str(database["NAME"])})
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is missing: install PostgreSQL's client tools "
                          "(apt-get install postgresql-client)") from None
    if done.returncode != 0:
        reason = " ".join(done.stderr.split())[:300]
        raise BackupError(f"{command[0]} failed ({reason}): check DATABASE_URL and the server")


def _copy_tree(source, target):
    """Copy regular files (never through a symbolic link), keeping modes; returns the files."""
    copied = []
    if not source.is_dir():
        return copied
    for folder, dirs, files in os.walk(source):
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
        for name in files:
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            rel = path.relative_to(source)
            if rel.parts[0] == "tmp" or name.startswith(".custody.lock"):
                continue  # the store's temporary files and lock are not data
            destination = target / rel
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            copied.append(destination)
    return copied


def backup(out, recipients, progress=None):
    """Write the encrypted set to `out`. Returns the manifest."""
    from django.conf import settings

    from rightsdesk.evidence.store import default_store

    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} exists: give a new file name (a backup never overwrites a file)")
    if not out.parent.is_dir():
        raise BackupError(f"the folder {out.parent} does not exist: create it, or give another place")
    store = default_store()
    data_dir = Path(settings.DATA_DIR)
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=data_dir))
    try:
        (work / "evidence").mkdir()
        with store.locked():
            database_file, engine = _snapshot_database(work)
            if store.log_path.exists():
                shutil.copy2(store.log_path, work / "evidence" / store.log_path.name)
            if store.identity():  # trust: the store's id, which the database and the log also hold
                shutil.copy2(store.root / "store-id", work / "evidence" / "store-id")
        if progress:
            progress("database and custody log copied")
        _copy_tree(store.objects, work / "evidence" / "objects")
        _copy_tree(Path(settings.MEDIA_ROOT), work / "media")
        files = sorted(p for p in work.rglob("*") if p.is_file())
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "database": {"engine": engine, "file": database_file},
            "files": {p.relative_to(work).as_posix(): {"size": p.stat().st_size, "sha256": _sha256(p)} for p in files},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        if progress:
            progress(f"{len(files)} files hashed; encrypting")
        _encrypt_folder(work, out, recipients)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def _encrypt_folder(folder, out, recipients):
    """A tar of `folder` streamed through age into `out` (a temporary name renamed at the end)."""
    import pyrage

    partial = out.with_name(f".{out.name}.partial")
    reader_fd, writer_fd = os.pipe()
    try:
        with open(partial, "wb") as target:
            import threading

            error = []

            def write_tar():
                try:
                    with os.fdopen(writer_fd, "wb") as pipe, tarfile.open(fileobj=pipe, mode="w|") as tar:
                        tar.add(folder / MANIFEST, arcname=MANIFEST)
                        for path in sorted(folder.rglob("*")):
                            if path.is_file() and path.name != MANIFEST:
                                tar.add(path, arcname=path.relative_to(folder).as_posix())
                except BaseException as exc:  # reported by the caller
                    error.append(exc)

            thread = threading.Thread(target=write_tar)
            thread.start()
            with os.fdopen(reader_fd, "rb") as pipe:
                pyrage.encrypt_io(pipe, target, recipients)
            thread.join()
            if error:
                raise error[0]
            target.flush()
            os.fsync(target.fileno())
        os.chmod(partial, 0o600)
        os.replace(partial, out)
    except OSError as exc:
        raise BackupError(f"cannot write {out} ({exc.strerror or exc}): check the space and permissions there") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()


# --- restoring ------------------------------------------------------------------------------------


def _decrypt_into(backup_file, identities, folder):
    import pyrage

    plain = folder / ".backup.tar"
    try:
        with open(backup_file, "rb") as source, open(plain, "wb") as target:
            pyrage.decrypt_io(source, target, identities)
    except FileNotFoundError:
        raise BackupError(f"{backup_file} does not exist: give the backup file") from None
    except (pyrage.DecryptError, OSError, ValueError) as exc:
        # pyrage reports a wrong key as DecryptError and a damaged or altered stream as OSError.
        raise BackupError(f"cannot open {backup_file} ({' '.join(str(exc).split()) or 'decryption failed'}): it is not "
                          "a backup made for this key, or it was damaged or altered; nothing was restored") from None
    try:
        with tarfile.open(plain, mode="r:") as tar:
            tar.extractall(folder, filter="data")  # no absolute paths, no links out, no devices
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{backup_file} does not hold a readable backup ({exc})") from None
    finally:
        plain.unlink(missing_ok=True)
    manifest_path = folder / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        raise BackupError(f"{backup_file} has no readable {MANIFEST}: it is not a rightsdesk backup") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{backup_file} is a backup of format {manifest.get('format')!r}, not {FORMAT}: "
                          "restore it with the rightsdesk version that made it")
    return manifest


def _check_against_manifest(folder, manifest):
    listed = manifest["files"]
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST}
    missing = sorted(set(listed) - present)
    extra = sorted(present - set(listed))
    if missing or extra:
        raise BackupError(f"the backup does not match its manifest ({len(missing)} missing, {len(extra)} unlisted "
                          f"files, e.g. {(missing or extra)[0]}): nothing was restored")
    for name, expected in listed.items():
        if _sha256(folder / name) != expected["sha256"]:
            raise BackupError(f"{name} in the backup does not have the hash its manifest records: nothing was restored")


def _empty_target(data_dir):
    """Refuse to restore over anything: the database, the evidence store and the media must be new."""
    from django.conf import settings
    from django.db import connection

    database = _database()
    if database["ENGINE"].endswith("sqlite3"):
        path = Path(database["NAME"])
        if path.exists() and path.stat().st_size > 0:
            raise BackupError(f"the database {path} exists: restore into an empty data folder "
                              "(set RIGHTSDESK_DATA_DIR or DATABASE_URL to a new place)")
    else:
        if connection.introspection.table_names():
            raise BackupError(f"the PostgreSQL database {database['NAME']!r} is not empty: restore into a new, "
                              "empty database (createdb) named by DATABASE_URL")
    for folder in (Path(settings.RIGHTSDESK_EVIDENCE_DIR), Path(settings.MEDIA_ROOT)):
        if folder.is_dir() and any(folder.iterdir()):
            raise BackupError(f"{folder} is not empty: restore into an empty data folder")


def restore(backup_file, identities, progress=None):
    """Restore the set into this installation's (empty) data folder; returns (manifest, verify result)."""
    from django.conf import settings
    from django.db import connection

    data_dir = Path(settings.DATA_DIR)
    _empty_target(data_dir)
    connection.close()
    work = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
    try:
        manifest = _decrypt_into(Path(backup_file), identities, work)
        _check_against_manifest(work, manifest)
        if progress:
            progress(f"{len(manifest['files'])} files decrypted and checked against the manifest")
        database = _database()
        engine = manifest["database"]["engine"]
        source = work / manifest["database"]["file"]
        if engine == "sqlite":
            if not database["ENGINE"].endswith("sqlite3"):
                raise BackupError("the backup holds a SQLite database and DATABASE_URL names PostgreSQL: "
                                  "restore into a SQLite DATABASE_URL (or none)")
            target = Path(database["NAME"])
            target.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            os.replace(source, target)
        else:
            if "postgresql" not in database["ENGINE"]:
                raise BackupError("the backup holds a PostgreSQL database: set DATABASE_URL to a new, empty "
                                  "PostgreSQL database and restore again")
            _pg(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname",
                 str(database["NAME"]), str(source)], database)
        _move_tree(work / "evidence", Path(settings.RIGHTSDESK_EVIDENCE_DIR))
        _move_tree(work / "media", Path(settings.MEDIA_ROOT))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if progress:
        progress("database, evidence and media in place; verifying")
    from rightsdesk.console import run_migrations

    run_migrations()
    from rightsdesk.evidence.verify import run as verify_evidence

    result = verify_evidence(actor="restore", record=True)
    return manifest, result


def _move_tree(source, target):
    if not source.is_dir():
        return
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, destination)
