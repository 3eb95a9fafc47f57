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
