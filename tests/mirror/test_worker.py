"""Background work survives its worker: a worker killed half-way through a whole re-bake of the
mirror leaves the task to the next worker, and the folder is complete after it (the embedded
database backend, with `rightsdesk worker` processes of their own)."""

import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).parent / "rightsdesk")
TASKS = "django_tasks_database_dbtaskresult"
NEW_TITLE = "Reports and findings"


@pytest.fixture
def site(tmp_path):
    """A demo site of its own (SQLite file), baked once, with the mirror folder configured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RIGHTSDESK_", "DATABASE_URL"))}
    db = tmp_path / "db.sqlite3"
    env.update({
        "RIGHTSDESK_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": f"sqlite:///{db}",
        "RIGHTSDESK_ADMIN_PASSWORD": secrets.token_urlsafe(16),
        "RIGHTSDESK_TASKS_BACKEND": "database",
    })
    done = subprocess.run([CLI, "demo", "--no-serve"], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    outdir = tmp_path / "mirror"
    done = subprocess.run([CLI, "bake", str(outdir), "--quiet", "--workers", "1"], env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    env["RIGHTSDESK_MIRROR_DIR"] = str(outdir)
    return env, db, outdir


def tasks(db):
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT status, task_path FROM {TASKS} ORDER BY enqueued_at").fetchall()


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def english_pages(outdir):
    """The texts of the baked English pages with the site's navigation (it lists the sections)."""
    texts = (p.read_text(encoding="utf-8", errors="replace") for p in outdir.rglob("index.html")
             if not p.relative_to(outdir).as_posix().startswith("fa/"))
    return [t for t in texts if ">Statements<" in t]


def pages_showing(outdir, text):
    return sum(1 for t in english_pages(outdir) if text in t)


def test_a_worker_killed_during_a_rebake_leaves_it_to_the_next_and_the_mirror_is_complete(site):
    env, db, outdir = site
    html_pages = len(english_pages(outdir))
    assert html_pages > 100
    # An editor renames a section: every page's navigation shows it, so the mirror is baked again
    # whole, by the worker (the task is written in the publish's own transaction).
    code = (
        "from rightsdesk.newsroom.models import SectionPage; "
        "s = SectionPage.objects.get(slug='reports', locale__language_code='en'); "
        f"s.title = {NEW_TITLE!r}; s.save_revision().publish()"
    )
    done = subprocess.run([CLI, "manage", "shell", "--no-imports", "-c", code], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert [status for status, _ in tasks(db)] == ["READY"], "the publish queued the re-bake"
    assert pages_showing(outdir, NEW_TITLE) < html_pages / 2, "the whole re-bake is the worker's"

    worker = subprocess.Popen([CLI, "worker", "--interval", "0.2"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: tasks(db)[0][0] == "RUNNING", 120, "the worker to start the re-bake")
        # Half-way: some pages re-baked, not all.
        wait_for(lambda: pages_showing(outdir, NEW_TITLE) > 5, 300, "the first re-baked pages")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert tasks(db)[0][0] == "RUNNING", "killed half-way, the task is left as it was"
    assert pages_showing(outdir, NEW_TITLE) < html_pages, "the folder is incomplete"

    # The next worker (here: run what is waiting, then exit) takes the task up again.
    done = subprocess.run([CLI, "worker", "--batch", "--interval", "0"], env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert "will run again" in done.stdout
    assert [status for status, _ in tasks(db)] == ["SUCCESSFUL"]
    # Complete: every English page shows the new title, and the folder's search index is there.
    assert pages_showing(outdir, NEW_TITLE) == len(english_pages(outdir)) >= html_pages
    assert (outdir / "pagefind" / "pagefind-entry.json").is_file()
    assert not list(outdir.rglob(".tmp-*")), "no half-written file is left"
