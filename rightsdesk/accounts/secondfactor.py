"""The second factor: time-based one-time codes (TOTP, RFC 6238) from an authenticator app.

Who must have one: administrators (superusers) always; every editor when
RIGHTSDESK_SECOND_FACTOR=everyone. An administrator's authenticator is enrolled on the server
(`rightsdesk otp USERNAME`, also done by `rightsdesk init` and `rightsdesk demo`), never in the
browser: whoever learns an administrator's password cannot enrol a phone of their own. Other
editors may enrol in the browser, once signed in (Account › Second factor).
"""

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator app"


def required_for(user):
    """Whether `user` must pass a second factor to use the admin."""
    policy = getattr(settings, "RIGHTSDESK_SECOND_FACTOR", "administrators")
    if not user.is_authenticated or policy == "off":
        return False
    return user.is_superuser or policy == "everyone"


def may_enrol_in_browser(user):
    """Administrators enrol on the server only (see the module's docstring)."""
    return user.is_authenticated and not user.is_superuser


def confirmed_devices(user):
    return list(devices_for_user(user, confirmed=True))


def has_device(user):
    return bool(confirmed_devices(user))


@transaction.atomic
def enrol(user, confirmed=True):
    """A new authenticator for `user`, replacing any they had (a lost phone). Returns the device;
    its `config_url` is the otpauth:// address an authenticator app reads (as a QR code)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=confirmed)


def verify(user, token, device=None):
    """The device of `user` that accepts `token` now, or None. Failures slow further tries down
    (django-otp's throttling: 1 s, 2 s, 4 s… per failure in a row)."""
    token = "".join((token or "").split())
    if not token.isdigit():
        return None
    devices = [device] if device is not None else confirmed_devices(user)
    for candidate in devices:
        allowed, _ = candidate.verify_is_allowed()
        if allowed and candidate.verify_token(token):
            return candidate
    return None


def throttled(user):
    """Seconds until the next code may be tried (0 when it may be now)."""
    from django.utils import timezone

    waits = []
    for device in confirmed_devices(user):
        allowed, extra = device.verify_is_allowed()
        if not allowed and extra and extra.get("locked_until"):
            waits.append(max(0, int((extra["locked_until"] - timezone.now()).total_seconds()) + 1))
    return max(waits, default=0)


def qr_svg(url):
    """The otpauth:// address as an inline SVG QR code (no script, no style, no other host)."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=5, dark="#000", light="#fff")


def qr_text(url):
    """The otpauth:// address as a QR code of block characters, for a terminal."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="l").terminal(out=out, compact=True, border=2)
    return out.getvalue()
