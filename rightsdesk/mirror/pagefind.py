"""The baked folder's search index: Pagefind reads the baked article and brief pages (both
languages) into a temporary folder; the new index then replaces the old one file by file."""

import contextlib
import json
import posixpath
import subprocess
import tempfile
import time
from pathlib import Path

from rightsdesk.newsroom import selectors

from . import links
from .files import STATE_DIR, BakeError, move_file, write_file


def pagefind_executable():
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise BakeError("pagefind-bin is not installed: run `make demo` or `pip install -r requirements.lock`") from None
    return str(get_executable())


def search_glob():
    """The pages Pagefind reads: those one level below a public section (articles and briefs,
    the only pages marked `data-pagefind-body`), not the thousands of listing pages. None (every
    page) when there is no public article or brief yet: Pagefind refuses to build from no file."""
    if not (selectors.published_articles().exists() or selectors.published_briefs().exists()):
        return None
    prefixes = set()
    for home, _ in selectors.public_homes():
        for section in selectors.language_frame(home.locale_id)["sections"]:
            url = selectors.page_url(section)
            if url:
                prefixes.add(posixpath.dirname(links.output_path(url)))
    if not prefixes:
        return None
    return "{" + ",".join(sorted(prefixes)) + "}/*/index.html"


class SearchIndexBuild:
    """Pagefind indexing the baked pages (both languages) into a temporary folder, started in the
    background; `finish()` waits for it and puts the new index in place."""

    def __init__(self, outdir, glob=None):
        """Index the pages of `outdir` that match `glob` (all when None)."""
        self.outdir = Path(outdir)
        (self.outdir / STATE_DIR).mkdir(parents=True, exist_ok=True)
        self.tmp = tempfile.TemporaryDirectory(prefix="pagefind-", dir=self.outdir / STATE_DIR)
        command = [pagefind_executable(), "--site", str(self.outdir), "--output-path", self.tmp.name, "--quiet"]
        if glob:
            command += ["--glob", glob]
        self.started = time.perf_counter()
        self.seconds = None
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def cancel(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.tmp.cleanup()

    def finish(self, lock=None, then=None):
        """Wait for Pagefind, then (holding `lock`, a context manager, when given) install the new
        index and run `then(files)`. Returns the files of the index (relative to the folder)."""
        try:
            output, _ = self.process.communicate()
            self.seconds = time.perf_counter() - self.started
            if self.process.returncode != 0:
                raise BakeError(f"Pagefind could not index the pages: {output.strip()[-500:]}")
            with lock if lock is not None else contextlib.nullcontext():
                written = _install_index(self.outdir, Path(self.tmp.name))
                if then is not None:
                    then(written)
                return written
        finally:
            self.cancel()


def build_search_index(outdir, lock=None, then=None):
    """Index the baked pages with Pagefind (both languages; only the article and brief bodies,
    marked `data-pagefind-body`) into OUTDIR/pagefind/, replacing the old index file by file.
    Pagefind reads the folder into a temporary one first; `lock` (a context manager), when given,
    is held only while the new files are put in place (and `then(files)` runs), so a publish's
    re-bake never waits for Pagefind. Returns the files of the index (relative to the folder)."""
    return SearchIndexBuild(outdir, search_glob()).finish(lock, then)


def _install_index(outdir, tmp):
    written = []
    entry_files = []
    for source in sorted(tmp.rglob("*")):
        if source.is_file():
            rel = "pagefind/" + source.relative_to(tmp).as_posix()
            if source.name.startswith("pagefind-entry") or source.suffix in (".js", ".css"):
                entry_files.append((rel, source))  # written last: they point at the rest
            else:
                move_file(outdir, rel, source)
            written.append(rel)
    for rel, source in entry_files:
        data = source.read_bytes()
        if source.name == "pagefind-entry.json":
            # Pagefind lists the languages in no fixed order: sort them, so bakes are identical.
            data = json.dumps(json.loads(data), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        write_file(outdir, rel, data)
    return written
