"""The baked folder on disk: one bake at a time per folder, files written atomically and only
when their bytes change, the files a bake wrote before removed, and what may be baked into."""

import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from rightsdesk.console import ensure_writable

STATE_DIR = ".rightsdesk-bake"
STATE_FILE = "record.sqlite3"


class BakeError(Exception):
    """Something the user can fix (the message says what)."""


def _folder_inside(outdir, path, create=True):
    """The real folder `outdir/dirname(path)`, made of real folders only: a symbolic link on the
    way (someone's, or an attacker's: the folder is copied and served) is replaced by a folder when
    `create`, so that the bake never writes outside `outdir`; without `create`, None when a link or
    anything but a folder is on the way. The path must be relative and stay inside."""
    parts = Path(path).parts
    if not parts or Path(path).is_absolute() or ".." in parts:
        raise BakeError(f"refusing to write {path!r}: not a path inside the baked folder")
    folder = Path(outdir)
    for part in parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            if not create:
                return None
            folder.unlink()
        if not create:
            if not folder.is_dir():
                return None
            continue
        try:
            folder.mkdir()
        except FileExistsError:
            if not folder.is_dir() or folder.is_symlink():
                raise BakeError(f"cannot write {path}: {folder} is in the way (not a folder)") from None
    return folder


def _unlink_symlink(target):
    """A symbolic link where the bake writes a file is removed (the file replaces it), never followed."""
    if target.is_symlink():
        target.unlink()


def write_file(outdir, path, data):
    """Write `data` to `outdir/path` atomically, unless the file already holds exactly that.
    Returns whether the file changed. Never writes through a symbolic link (see _folder_inside)."""
    target = _folder_inside(outdir, path) / Path(path).name
    _unlink_symlink(target)
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except (FileNotFoundError, NotADirectoryError):
        pass
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def move_file(outdir, path, source):
    """Put the file `source` (on the folder's file system) at `outdir/path` by renaming it,
    atomically, unless the file there already holds the same bytes. Returns whether it changed."""
    target = _folder_inside(outdir, path) / Path(path).name
    _unlink_symlink(target)
    try:
        if target.stat().st_size == source.stat().st_size and target.read_bytes() == source.read_bytes():
            return False
    except (FileNotFoundError, NotADirectoryError):
        pass
    os.chmod(source, 0o644)
    os.replace(source, target)
    return True


@contextmanager
def folder_lock(outdir):
    """One bake at a time per folder, across processes (gunicorn workers, the CLI)."""
    lock_dir = Path(outdir) / STATE_DIR
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_outdir(outdir):
    """The folder must be new, empty, or baked before (we never overwrite someone's files)."""
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise BakeError(f"{outdir} is a file: give a folder to bake into")
    if outdir.is_dir() and any(outdir.iterdir()) and not (outdir / STATE_DIR / STATE_FILE).exists():
        raise BakeError(
            f"{outdir} is not empty and was not baked by rightsdesk: choose a new or empty folder "
            "(a bake removes the files it wrote before, so it never shares a folder with other files)"
        )
    try:
        ensure_writable(outdir)
    except OSError as exc:
        raise BakeError(f"cannot write to {outdir} ({exc.strerror or exc}): choose a folder you can write to") from None


def remove_files(outdir, paths):
    """Remove files the bake wrote before, and the folders they leave empty."""
    outdir = Path(outdir)
    for path in sorted(paths, reverse=True):
        try:
            folder = _folder_inside(outdir, path, create=False)
        except BakeError:
            continue
        if folder is None:
            continue  # a link or a file on the way: what is behind it is not the bake's to remove
        target = folder / Path(path).name
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != outdir:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
