"""The site's addresses with the media serving of `rightsdesk serve` and the demo
(RIGHTSDESK_SERVE_MEDIA / DEBUG), built by the same function rightsdesk/urls.py calls."""

from rightsdesk.newsroom.views import media_urlpatterns
from rightsdesk.urls import urlpatterns as site_urlpatterns

urlpatterns = media_urlpatterns() + site_urlpatterns
