"""The facts desk's background work (tasks of newsroom/background.py)."""

from rightsdesk.newsroom.background import task

from .linking import relink_all


@task()
def relink_everything():
    """Relink every article after the registry changed (safe to run twice). Returns the number
    of mentions."""
    return relink_all()
