"""The mirror's steps in the publish pipeline (newsroom/publishing.py): the baked folder
(`RIGHTSDESK_MIRROR_DIR`, when set) brought in line with each change; see incremental.py.

- "mirror-journal", in the editor's transaction: the task that follows the change (tasks.py) is
  written with it, when tasks live in the site's database: a process that exits right after the
  commit loses nothing, the worker does it.
- "mirror", last after the commit (the Related lists are current by then): the change's pages
  re-baked before the publish is reported done. When the change takes something off the public
  site, its files, the links to it, the sitemap entry and the search index entry go before too;
  the rest (sitemap, recommendations, search index after a publish; whole re-bakes) is the task's.
"""

import logging

from rightsdesk.newsroom import background, publishing

from . import incremental, tasks

log = logging.getLogger(__name__)


def _concerns(change):
    return bool(change.published or change.retracted or change.subtrees or change.apps)


def journal(change):
    """One task per transaction, holding everything it changed so far."""
    outdir = incremental.configured_dir()
    if outdir is None or not background.in_database() or not _concerns(change):
        return
    everything = publishing.pending()
    notes = everything.notes.setdefault("mirror", {})
    if "task" in notes:
        tasks.update_change(notes["task"], tasks.data_of(everything))
    else:
        notes["task"] = background.enqueue(tasks.follow_change, str(outdir), tasks.data_of(everything)).id


def follow(change):
    outdir = incremental.configured_dir()
    if outdir is None or not _concerns(change):
        return
    whole = incremental.rebake_change(change)
    retracted = change.retracted | change.deleted
    if retracted or change.apps:
        # Off the public site: gone from the folder, its sitemap and its search index now.
        if whole:
            incremental.retract_pages(outdir, retracted, change.subtrees)
        incremental.follow_up(outdir, incremental.later_addresses())
        if not whole:
            _finished(change)
            return
    task_id = change.notes.get("mirror", {}).get("task")
    if task_id is not None:
        tasks.mark_pages_done(task_id, whole)
    else:
        background.enqueue(tasks.follow_change, str(outdir), tasks.data_of(change), pages_done=True, whole=whole)


def _finished(change):
    """Everything is in the folder already: the journal's task has nothing left to do."""
    task_id = change.notes.get("mirror", {}).get("task")
    if task_id is not None:
        tasks.mark_finished(task_id)


def steps():
    return [publishing.Step("mirror-journal", journal, phase="during"), publishing.Step("mirror", follow)]
