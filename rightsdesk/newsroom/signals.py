"""Keep the cached parts of public pages (Latest news, Must read) fresh when pages change."""

from django.core.cache import cache
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

CACHE_VERSION_KEY = "rightsdesk:public-version"


def public_version():
    """A number that changes whenever public content changes; part of every fragment cache key."""
    version = cache.get(CACHE_VERSION_KEY)
    if version is None:
        version = 1
        cache.set(CACHE_VERSION_KEY, version, None)
    return version


def bump_public_version(**kwargs):
    try:
        cache.incr(CACHE_VERSION_KEY)
    except ValueError:
        cache.set(CACHE_VERSION_KEY, 2, None)


page_published.connect(bump_public_version, dispatch_uid="rightsdesk-published")
page_unpublished.connect(bump_public_version, dispatch_uid="rightsdesk-unpublished")
post_delete.connect(
    lambda sender, **kw: bump_public_version() if sender.__module__.startswith("rightsdesk.newsroom") else None,
    weak=False,
    dispatch_uid="rightsdesk-deleted",
)
