"""Test settings: fast hashing, in-memory cache, media in a temporary folder."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "test-only-key-" + "x" * 40
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = os.environ.get("RIGHTSDESK_TEST_MEDIA") or tempfile.mkdtemp(prefix="rightsdesk-test-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rightsdesk-test"},
    "rightsdesk": {"BACKEND": "rightsdesk.newsroom.hotcache.HotCache", "LOCATION": "rightsdesk-test-hot"},
}
WHITENOISE_AUTOREFRESH = True  # no collectstatic before tests
RIGHTSDESK_PAGE_CACHE_SECONDS = 0  # tests that need it turn it on
RIGHTSDESK_EVIDENCE_DIR = Path(tempfile.mkdtemp(prefix="rightsdesk-test-evidence-"))
RIGHTSDESK_FETCH_ALLOW_LOOPBACK = True  # tests serve pages from 127.0.0.1 (never other private ranges)
RIGHTSDESK_CAPTURE_SCREENSHOTS = False  # tests that check screenshots turn them on
RIGHTSDESK_CAPTURE_BROWSER = False  # tests of the browser capture turn it on

# Background tasks (the mirror's sitemap, recommendations file and search index after a publish)
# run at once, in the test's own transaction: a worker's database connection would not see the
# test's uncommitted data. Tests of the worker itself start one on a database of their own.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "rightsdesk": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]},
}

# `make test-redis`: the public version through a Redis every server shares (REDIS_URL).
if os.environ.get("REDIS_URL"):
    CACHES["shared"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"],
                        "TIMEOUT": None, "KEY_PREFIX": "rightsdesk-test-shared"}
RIGHTSDESK_TIMESTAMP_BACKGROUND = False  # stamped right after the capture, inside the test's transaction
RIGHTSDESK_TSA_URLS = ""

# The second factor is asked of the tests that are about it (tests/security/); the others sign
# editors in with force_login.
RIGHTSDESK_SECOND_FACTOR = "off"
