"""The folder's own record (`.rightsdesk-bake/record.sqlite3`): what the bake wrote, and which
articles and briefs each file links to."""

import contextlib
import sqlite3
from pathlib import Path

from .files import STATE_DIR, STATE_FILE, BakeError

STATE_FORMAT = 1


class Record:
    """The folder's own record (`.rightsdesk-bake/record.sqlite3`): every file the bake wrote, the
    address it shows and the page it is (for articles and briefs), and the articles and briefs
    each file links to, so that a publish finds the pages to re-bake with one indexed query and
    writes only their rows (a JSON record was slower: bench/RESULTS.md, "Design measurements")."""

    def __init__(self, outdir, create=False):
        self.path = Path(outdir) / STATE_DIR / STATE_FILE
        if not create and not self.path.exists():
            raise FileNotFoundError(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.executescript(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
                "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, url TEXT, page INTEGER, kind TEXT NOT NULL);"
                "CREATE INDEX IF NOT EXISTS files_page ON files (page);"
                "CREATE INDEX IF NOT EXISTS files_url ON files (url);"
                "CREATE TABLE IF NOT EXISTS links (path TEXT NOT NULL, page INTEGER NOT NULL);"
                "CREATE INDEX IF NOT EXISTS links_page ON links (page);"
                "CREATE INDEX IF NOT EXISTS links_path ON links (path);"
            )
            found = self.meta("format")
        except sqlite3.DatabaseError as exc:
            raise BakeError(f"{self.path} is damaged ({exc}): delete the folder {outdir} and bake it again") from None
        if found is None and create:
            self.set_meta(format=str(STATE_FORMAT))
        elif found != str(STATE_FORMAT):
            raise BakeError(f"{outdir} was baked by another version of rightsdesk: bake into a new folder")

    def meta(self, key):
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, **values):
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [(k, v) for k, v in values.items()])

    def paths(self, kind=None):
        query, args = "SELECT path FROM files", ()
        if kind:
            query, args = query + " WHERE kind = ?", (kind,)
        return {row[0] for row in self.db.execute(query, args)}

    def linking(self, page_id):
        """(path, url) of the files that link to the page, or are the page."""
        return set(self.db.execute(
            "SELECT path, url FROM files WHERE page = ? UNION "
            "SELECT files.path, files.url FROM links JOIN files ON files.path = links.path WHERE links.page = ?",
            (page_id, page_id),
        ))

    def with_prefix(self, prefix):
        """(path, url) of the files whose address starts with `prefix`."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return list(self.db.execute("SELECT path, url FROM files WHERE url LIKE ? ESCAPE '\\'", (escaped + "%",)))

    def page_ids(self, urls):
        """{url: page id} of the given addresses that are articles or briefs."""
        found = {}
        urls = list(urls)
        for i in range(0, len(urls), 500):
            chunk = urls[i:i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(
                f"SELECT url, page FROM files WHERE page IS NOT NULL AND url IN ({marks})", chunk))
        return found

    def put(self, entries):
        """Record files: (path, url, page, kind, links) each."""
        entries = list(entries)
        paths = [(e[0],) for e in entries]
        self.db.executemany("DELETE FROM links WHERE path = ?", paths)
        self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", [e[:4] for e in entries])
        self.db.executemany("INSERT INTO links VALUES (?, ?)",
                            [(e[0], page) for e in entries for page in e[4]])

    def remove(self, paths):
        rows = [(p,) for p in paths]
        self.db.executemany("DELETE FROM files WHERE path = ?", rows)
        self.db.executemany("DELETE FROM links WHERE path = ?", rows)

    @contextlib.contextmanager
    def transaction(self):
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self):
        self.db.close()


def open_record(outdir):
    """The record of a baked folder, or None when the folder has not been baked."""
    try:
        return Record(outdir)
    except FileNotFoundError:
        return None


def open_record(outdir):
    """The record of a baked folder, or None when the folder has not been baked."""
    try:
        return Record(outdir)
    except FileNotFoundError:
        return None
