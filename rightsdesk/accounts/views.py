"""The second-factor page of the admin, and the page of a sign-in locked out by django-axes."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import secondfactor
from .forms import EnrolForm

SESSION_KEY = "rightsdesk_enrolling_device"


def second_factor(request):
    """Enrol an authenticator app (editors), or say how an administrator gets one (on the server)."""
    user = request.user
    context = {"has_device": secondfactor.has_device(user), "required": secondfactor.required_for(user),
               "may_enrol": secondfactor.may_enrol_in_browser(user), "username": user.get_username()}
    if not context["may_enrol"]:
        return TemplateResponse(request, "accounts/second_factor.html", context)
    device = None
    pending = request.session.get(SESSION_KEY)
    if pending:
        device = TOTPDevice.objects.filter(pk=pending, user=user, confirmed=False).first()
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        if secondfactor.verify(user, form.cleaned_data["otp_token"], device=device):
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            request.session.pop(SESSION_KEY, None)
            otp_login(request, device)
            messages.success(request, _("Second factor enrolled: from now on, signing in asks for its code."))
            return redirect("wagtailadmin_home")
        form.add_error("otp_token", _("That code is wrong or too old: enter the code the app shows now."))
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=secondfactor.DEVICE_NAME, confirmed=False)
        request.session[SESSION_KEY] = device.pk
    context.update(form=form, otpauth_url=device.config_url,
                   qr_svg=mark_safe(secondfactor.qr_svg(device.config_url)),  # segno's SVG, no user text
                   secret=device.config_url.split("secret=", 1)[1].split("&", 1)[0])
    return TemplateResponse(request, "accounts/second_factor.html", context)


def locked_out(request, original_response=None, credentials=None, *args, **kwargs):
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): HTTP 429, one sentence."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else None
    # Answered from django-axes' middleware: rendered here (no template-response phase after it).
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
