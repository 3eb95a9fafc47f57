"""The admin asks a second factor of those who must have one (secondfactor.required_for)."""

from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from . import secondfactor


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: a signed-in user who must pass a second factor and has not
    (no authenticator yet, or a session from before one was enrolled) reaches no admin page but
    the second-factor page and signing out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and request.path.startswith(self._admin_prefix()) and secondfactor.required_for(user) \
                and not user.is_verified():
            open_paths = {reverse("wagtailadmin_login"), reverse("wagtailadmin_logout"),
                          reverse("rightsdesk_second_factor")}
            if request.path not in open_paths:
                if secondfactor.has_device(user):
                    # Signed in before the authenticator was enrolled: sign in again, with the code.
                    logout(request)
                    return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
                return redirect("rightsdesk_second_factor")
        return self.get_response(request)

    @staticmethod
    def _admin_prefix():
        return reverse("wagtailadmin_home")


class AdminHostMiddleware:
    """With RIGHTSDESK_ADMIN_HOST set (deploy/nginx-admin-host.conf), the admin answers on that
    host name only: on the public name its addresses are not found, whatever the proxy in front
    passes on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.http import Http404

        admin_host = getattr(settings, "RIGHTSDESK_ADMIN_HOST", "")
        if admin_host and request.path.startswith(SecondFactorMiddleware._admin_prefix()):
            if request.get_host().split(":")[0].lower() != admin_host.lower():
                raise Http404("The admin is on another host name.")
        return self.get_response(request)
