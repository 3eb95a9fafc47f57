"""The admin's sign-in form (WAGTAILADMIN_USER_LOGIN_FORM): Wagtail's, with the authenticator
code of accounts that have one, checked after the password."""

from django import forms
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from . import secondfactor


class LoginForm(WagtailLoginForm):
    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        max_length=12,
        help_text=_("The 6 digits your authenticator app shows now, if your account has a second factor."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    error_messages = {
        **WagtailLoginForm.error_messages,
        # The same words whether the password or the code was wrong: the answer never tells whether
        # a guessed password was right.
        "invalid_login": _(
            "Please enter a correct username and password and, if your account has a second factor, "
            "the code your authenticator app shows now. Note that both fields may be case-sensitive."
        ),
    }

    def clean(self):
        cleaned = super().clean()  # the password (and django-axes' lockout) first
        user = self.get_user()
        if user is None or not secondfactor.has_device(user):
            return cleaned
        device = secondfactor.verify(user, cleaned.get("otp_token"))
        if device is None:
            # Counted by django-axes like a wrong password: guessing codes locks the account out too.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": cleaned.get("username")},
                request=self.request,
            )
            self.user_cache = None
            raise self.get_invalid_login_error()
        # django-otp's user_logged_in receiver keeps the device in the session: the user is verified.
        user.otp_device = device
        return cleaned


class EnrolForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from the app"), max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
