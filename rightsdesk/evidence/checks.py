"""System checks of the evidence desk's settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def loopback_fetches(app_configs, **kwargs):
    if getattr(settings, "RIGHTSDESK_FETCH_ALLOW_LOOPBACK", False):
        return [checks.Error(
            "RIGHTSDESK_FETCH_ALLOW_LOOPBACK (or the older RIGHTSDESK_CAPTURE_ALLOW_PRIVATE) is on: captures and the "
            "wire monitor may reach this server's own services on 127.0.0.1",
            hint="Unset it in production; it exists for the tests and the demo.", id="rightsdesk.E101")]
    return []
