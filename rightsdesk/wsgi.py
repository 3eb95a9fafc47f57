import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightsdesk.settings.production")

django_application = get_wsgi_application()

# Site-cache hits are answered before Django's middleware stack (see newsroom/cache.py).
from rightsdesk.newsroom.cache import PageCacheApp  # noqa: E402  (needs Django set up)

application = PageCacheApp(django_application)
