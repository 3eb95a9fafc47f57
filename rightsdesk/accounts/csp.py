"""The Content-Security-Policy middleware (django-csp's, with the admin's own policy below the
admin's address); the policies themselves are in policy.py."""

import contextvars

from csp.middleware import CSPMiddleware
from django.conf import settings

_request = contextvars.ContextVar("rightsdesk_csp_request", default=None)


def current_nonce():
    """The nonce of the request being answered (for inline scripts of overridden templates
    rendered where the request is not in the context, e.g. form widgets); "" outside a request."""
    request = _request.get()
    nonce = getattr(request, "csp_nonce", None) if request is not None else None
    # str() makes the nonce (django-csp's lazy object is false until it is made).
    return str(nonce) if nonce is not None else ""


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's policy below the admin's address."""

    def process_request(self, request):
        super().process_request(request)
        request._rightsdesk_csp_token = _request.set(request)

    def process_response(self, request, response):
        response = super().process_response(request, response)
        token = getattr(request, "_rightsdesk_csp_token", None)
        if token is not None:
            try:
                _request.reset(token)
            except ValueError:
                _request.set(None)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path.startswith(_admin_prefix()):
            parts.config = settings.RIGHTSDESK_ADMIN_CSP
        return parts


def _admin_prefix():
    from django.urls import reverse

    return reverse("wagtailadmin_home")



def nonce_wagtail_choosers():
    """Wagtail 8's chooser widgets (page, image, document, snippet) end their HTML with an inline
    start-up script written in Python (BaseChooser.render), out of reach of a template: give that
    one script the request's nonce. Only the script Wagtail appended is touched (the last
    `<script>` of the widget's output; the widget's own HTML is escaped and holds none)."""
    from django.utils.safestring import mark_safe
    from wagtail.admin.widgets.chooser import BaseChooser

    if getattr(BaseChooser.render, "_rightsdesk_nonce", False):
        return
    original = BaseChooser.render

    def render(self, *args, **kwargs):
        out = original(self, *args, **kwargs)
        nonce = current_nonce()
        head, tag, tail = str(out).rpartition("<script>")
        if not nonce or not tag:
            return out
        return mark_safe(f'{head}<script nonce="{nonce}">{tail}')  # noqa: S308 (Wagtail's own output)

    render._rightsdesk_nonce = True
    BaseChooser.render = render
