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
RIGHTSDESK_CAPTURE_ALLOW_PRIVATE = True  # tests serve pages from 127.0.0.1
RIGHTSDESK_CAPTURE_SCREENSHOTS = False  # tests that check screenshots turn them on

# The mirror's follow-up work after a publish (sitemap, recommendations file, search index) runs
# at once instead of in a thread: the thread's own database connection would not see the test's
# uncommitted data.
RIGHTSDESK_MIRROR_BACKGROUND = False
RIGHTSDESK_TIMESTAMP_BACKGROUND = False  # stamped right after the capture, inside the test's transaction
RIGHTSDESK_TSA_URLS = ""
