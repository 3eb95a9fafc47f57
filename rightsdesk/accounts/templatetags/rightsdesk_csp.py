from django import template

from ..csp import current_nonce

register = template.Library()


@register.simple_tag
def csp_nonce():
    """The Content-Security-Policy nonce of the request being answered (see accounts/csp.py)."""
    return current_nonce()
