"""Keep mentions current and public pages fresh when articles or the registry change."""

from functools import partial

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from rightsdesk.newsroom.signals import bump_public_version

_CONTENT_FIELDS = {"title", "dek", "body"}


def _article_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    """A full save of an article (creation, publication, the demo loader) relinks it; the
    partial saves Wagtail makes when storing a draft revision of a live page do not, so mentions
    follow what readers see."""
    if raw or (update_fields is not None and not (_CONTENT_FIELDS & set(update_fields))):
        return
    page_id = instance.pk
    # A page saved several times in one transaction (created, then published) is linked once.
    if any(getattr(callback, "relink_page_id", None) == page_id for _, callback, _ in connection.run_on_commit):
        return
    callback = partial(_relink_by_id, page_id)
    callback.relink_page_id = page_id
    transaction.on_commit(callback)


def _relink_by_id(page_id):
    from rightsdesk.newsroom.models import ArticlePage

    from .linking import relink

    page = ArticlePage.objects.filter(pk=page_id).first()
    if page is not None:
        relink(page)


def _registry_changed(sender, **kwargs):
    bump_public_version()


post_save.connect(_article_saved, sender="newsroom.ArticlePage", dispatch_uid="facts-article-saved")
for _model in ("facts.Entity", "facts.Alias", "facts.Figure", "facts.FigureSource", "facts.Source",
               "facts.FactsSettings"):
    post_save.connect(_registry_changed, sender=_model, dispatch_uid=f"facts-saved-{_model}")
    post_delete.connect(_registry_changed, sender=_model, dispatch_uid=f"facts-deleted-{_model}")
