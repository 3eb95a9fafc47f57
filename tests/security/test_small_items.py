"""Issue 21's smaller items: a DATABASE_URL that is not a database is a one-line error; a
symbolic link inside the baked folder never makes the bake write (or delete) outside it; direction
controls (right-to-left override…) never reach a title."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).parent / "rightsdesk")


def _run(args, tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RIGHTSDESK_", "DATABASE_"))}
    environment.update({"RIGHTSDESK_DATA_DIR": str(tmp_path / "data"), **env})
    return subprocess.run([CLI, *args], env=environment, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("verb", [["verify"], ["demo", "--no-serve"], ["search"]])
def test_a_database_url_that_names_no_database_is_a_one_line_error(tmp_path, verb):
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("minutes of the meeting, not a database\n")
    for target in (not_a_database, tmp_path):
        done = _run(verb, tmp_path, DATABASE_URL=f"sqlite:///{target}")
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "DATABASE_URL" in done.stderr and str(target) in done.stderr
    # Nothing was written into the file that is not a database.
    assert not_a_database.read_text() == "minutes of the meeting, not a database\n"


# --- symbolic links in the baked folder -------------------------------------------------------------


@pytest.fixture
def folders(tmp_path):
    outdir, outside = tmp_path / "baked", tmp_path / "outside"
    (outdir / "news").mkdir(parents=True)
    outside.mkdir()
    (outside / "index.html").write_text("someone else's file")
    return outdir, outside


def test_the_bake_replaces_a_linked_folder_instead_of_writing_through_it(folders):
    from rightsdesk.mirror.bake import write_file

    outdir, outside = folders
    (outdir / "news" / "first-report").symlink_to(outside, target_is_directory=True)
    assert write_file(outdir, "news/first-report/index.html", b"<p>the report</p>")
    assert (outside / "index.html").read_text() == "someone else's file"
    assert sorted(p.name for p in outside.iterdir()) == ["index.html"]
    assert not (outdir / "news" / "first-report").is_symlink()
    assert (outdir / "news" / "first-report" / "index.html").read_bytes() == b"<p>the report</p>"


def test_the_bake_replaces_a_linked_file_instead_of_writing_through_it(folders):
    from rightsdesk.mirror.bake import move_file, write_file

    outdir, outside = folders
    (outdir / "news" / "index.html").symlink_to(outside / "index.html")
    write_file(outdir, "news/index.html", b"<p>news</p>")
    assert (outside / "index.html").read_text() == "someone else's file"
    assert not (outdir / "news" / "index.html").is_symlink()
    # The same for files moved into place (the search index).
    (outdir / "pagefind").symlink_to(outside, target_is_directory=True)
    source = outdir / "chunk.tmp"
    source.write_bytes(b"index chunk")
    move_file(outdir, "pagefind/index.html", source)
    assert (outside / "index.html").read_text() == "someone else's file"
    assert (outdir / "pagefind" / "index.html").read_bytes() == b"index chunk"


def test_removing_old_files_never_follows_a_link_out_of_the_folder(folders):
    from rightsdesk.mirror.bake import remove_files

    outdir, outside = folders
    (outdir / "news" / "old-report").symlink_to(outside, target_is_directory=True)
    remove_files(outdir, ["news/old-report/index.html"])
    assert (outside / "index.html").read_text() == "someone else's file"


def test_a_path_out_of_the_folder_is_refused(folders):
    from rightsdesk.mirror.bake import BakeError, write_file

    outdir, outside = folders
    with pytest.raises(BakeError):
        write_file(outdir, "../outside/index.html", b"x")
    assert (outside / "index.html").read_text() == "someone else's file"


# --- direction controls in titles --------------------------------------------------------------------

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
ZWNJ = "\u200c"


def test_an_article_title_keeps_no_direction_override(make_article, client):
    page = make_article(f"Report {RLO}fdp.exe{PDF} on detentions", body_text="Body.")
    page.refresh_from_db()
    assert page.title == "Report fdp.exe on detentions" and page.draft_title == page.title
    html = client.get(page.url).content.decode()
    assert RLO not in html and "Report fdp.exe on detentions" in html


def test_a_persian_title_keeps_its_zero_width_non_joiner(make_article):
    title = f"گزارش{ZWNJ}ها {LRI}UN{PDI} درباره بازداشت"
    page = make_article(title, language="fa", body_text="متن.")
    page.refresh_from_db()
    assert page.title == f"گزارش{ZWNJ}ها UN درباره بازداشت"


def test_a_wire_item_title_from_a_feed_keeps_no_direction_override():
    from rightsdesk.wire.entries import read_feed

    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Agency</title>
    <item><title>Minister {RLO}deifed{PDF} resigns</title><link>https://agency.example/1</link>
    <description>Text.</description></item></channel></rss>""".encode()
    entries, _ = read_feed(feed, "application/rss+xml")
    assert entries[0].title == "Minister deifed resigns"
