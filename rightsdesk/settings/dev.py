"""Development and demo settings: DEBUG on, a throwaway secret key unless one is given."""

import os

from .base import *  # noqa: F401,F403
from .base import env_bool, env_list

DEBUG = env_bool("RIGHTSDESK_DEBUG", True)
# A key for local use only; production.py never falls back to it.
SECRET_KEY = os.environ.get("RIGHTSDESK_SECRET_KEY") or "dev-only-insecure-key-never-used-in-production"
ALLOWED_HOSTS = env_list("RIGHTSDESK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# While developing templates, see changes at once unless asked otherwise.
RIGHTSDESK_PAGE_CACHE_SECONDS = int(os.environ.get("RIGHTSDESK_PAGE_CACHE_SECONDS", "0"))
# The demo runs on this machine: capturing pages served locally is expected.
RIGHTSDESK_FETCH_ALLOW_LOOPBACK = env_bool("RIGHTSDESK_FETCH_ALLOW_LOOPBACK",
                                           env_bool("RIGHTSDESK_CAPTURE_ALLOW_PRIVATE", True))
