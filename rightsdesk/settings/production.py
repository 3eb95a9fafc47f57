"""Production settings: everything security-relevant on, the secret key from the environment.

`manage.py check --deploy` reports nothing under these settings (a test checks it).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool, env_list, secret_key_weakness

DEBUG = False

SECRET_KEY = os.environ.get("RIGHTSDESK_SECRET_KEY", "")
_weakness = secret_key_weakness(SECRET_KEY)
if _weakness:
    raise ImproperlyConfigured(
        f"RIGHTSDESK_SECRET_KEY {_weakness}: generate one with "
        "`python3 -c 'import secrets; print(secrets.token_urlsafe(64))'` and export it"
    )

ALLOWED_HOSTS = env_list("RIGHTSDESK_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("RIGHTSDESK_CSRF_TRUSTED_ORIGINS")

# HTTPS everywhere. Behind a TLS-terminating proxy (nginx), it sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("RIGHTSDESK_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("RIGHTSDESK_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("RIGHTSDESK_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("RIGHTSDESK_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("RIGHTSDESK_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("RIGHTSDESK_SECURE_COOKIES", True)

# Database connections kept open between requests (each gunicorn thread its own), checked before
# reuse: a new connection per request costs 1-2 ms on SQLite and 5-10 ms on PostgreSQL, whose first
# full-text query on a connection is slower again. RIGHTSDESK_DB_CONN_MAX_AGE=0 closes them.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("RIGHTSDESK_DB_CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("RIGHTSDESK_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
