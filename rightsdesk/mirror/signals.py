"""Re-bake the mirror folder (`RIGHTSDESK_MIRROR_DIR`, when set) after a publish or unpublish
commits; see incremental.py. Registered after the related app's callbacks (INSTALLED_APPS order),
so the Related lists are already updated when the pages are re-baked."""

from functools import partial

from django.db import connection, transaction
from wagtail.signals import page_published, page_unpublished


def _schedule(sender, instance, **kwargs):
    from .incremental import configured_dir, on_publish_change

    if configured_dir() is None:
        return
    # A page published several times in one transaction is re-baked once (tests run callbacks
    # and keep them in the list: one that has run does not count).
    for _, callback, _ in connection.run_on_commit:
        if getattr(callback, "mirror_page_id", None) == instance.pk and not callback.mirror_done[0]:
            return
    done = [False]

    def run(page_id):
        done[0] = True
        on_publish_change(page_id)

    callback = partial(run, instance.pk)
    callback.mirror_page_id = instance.pk
    callback.mirror_done = done
    transaction.on_commit(callback)


page_published.connect(_schedule, dispatch_uid="mirror-published")
page_unpublished.connect(_schedule, dispatch_uid="mirror-unpublished")
