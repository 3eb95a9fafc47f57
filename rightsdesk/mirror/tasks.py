"""The mirror's background work (tasks of newsroom/background.py): what follows a change's pages
(the sitemap, the recommendations files, the search index) and whole re-bakes. Each is safe to
run twice; one killed half-way runs again from the start (files are replaced atomically)."""

import logging

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from rightsdesk.newsroom.background import task
from rightsdesk.newsroom.publishing import Change

from . import incremental

log = logging.getLogger(__name__)


def change_of(data):
    return Change(published=set(data.get("published", ())), retracted=set(data.get("retracted", ())),
                  deleted=set(data.get("deleted", ())), subtrees=set(data.get("subtrees", ())),
                  apps=set(data.get("apps", ())))


def data_of(change):
    return {name: sorted(getattr(change, name)) for name in ("published", "retracted", "deleted", "subtrees", "apps")}


@task()
def follow_change(outdir, change, pages_done=False, whole=False):
    """Bring the folder in line with `change` (see publishing.Change, as data): its pages (unless
    the web process re-baked them already: `pages_done`), then the whole site when the change
    needs it, or else the sitemap, recommendations files and search index."""
    if not pages_done:
        whole = incremental.rebake_change(change_of(change)) or whole
    if whole:
        report = incremental.bake_whole_site(outdir)
        return {"whole": True, "pages": report["pages"], "problems": len(report["problems"])}
    incremental.follow_up(outdir, incremental.later_addresses())
    return {"whole": False}


def update_change(result_id, data):
    """The task not started yet follows everything its transaction changed (database backend)."""
    row = DBTaskResult.objects.filter(pk=result_id, status=TaskResultStatus.READY).first()
    if row is not None:
        row.args_kwargs["args"][1] = data
        DBTaskResult.objects.filter(pk=result_id).update(args_kwargs=row.args_kwargs)


def mark_pages_done(result_id, whole):
    """The web process re-baked the change's pages: the task, when no worker has started it yet,
    does only what follows them (database backend only)."""
    row = DBTaskResult.objects.filter(pk=result_id, status=TaskResultStatus.READY).first()
    if row is None:
        return
    row.args_kwargs["kwargs"].update(pages_done=True, whole=whole)
    DBTaskResult.objects.filter(pk=result_id, status=TaskResultStatus.READY).update(args_kwargs=row.args_kwargs)


def mark_finished(result_id):
    """Nothing left for the task to do (the web process did it all): it is not run."""
    DBTaskResult.objects.filter(pk=result_id, status=TaskResultStatus.READY).delete()
