"""The recommendations file of the current language, at `recommendations.json` below its home
page (`/recommendations.json`, `/fa/recommendations.json`)."""

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from wagtail.models import Locale

from rightsdesk.newsroom import selectors
from rightsdesk.newsroom.cache import versioned

from .recommend import recommendations_json


def recommendations(request):
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        raise Http404("No such language") from None
    home = selectors.language_frame(locale.pk)["home"]
    if home is None:
        raise Http404("No home page in this language")
    body = versioned(f"recommendations:{home.pk}", lambda: recommendations_json(home))
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    patch_cache_control(response, public=True, max_age=300)
    return response
