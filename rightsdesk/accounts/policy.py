"""Content-Security-Policy of the public site and the admin (django-csp): the policies, as data
(settings read them; accounts/csp.py applies them).

Public pages (and so the baked mirror, whose nginx configurations send the same policy): scripts,
styles, images, fonts and requests from the site itself only; no inline script or style, no
plug-ins, no framing, forms post to the site only. Nothing in the public templates is inline but
structured data (`application/ld+json`, which browsers do not run).

The admin: the same, except that Wagtail 8 still writes a few inline scripts (the date pickers and
inline panels): they carry the request's nonce (templates of this app override Wagtail's for
exactly those), so no other inline script runs. Inline styles are allowed in the admin: Wagtail's
editor (Draftail and its other scripts) adds style elements while it runs, which cannot carry a
nonce; under this policy a style can neither run code nor load anything from another host.
Previews frame the site itself.
"""

import contextvars

from csp.constants import NONCE, NONE, SELF

PUBLIC_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "media-src": [SELF],
    "object-src": [NONE],
    "frame-src": [NONE],
    "base-uri": [NONE],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}

ADMIN_POLICY = {
    **PUBLIC_POLICY,
    "script-src": [SELF, NONCE],
    "style-src": [SELF, "'unsafe-inline'"],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "frame-src": [SELF],
    "worker-src": [SELF, "blob:"],
    "base-uri": [SELF],
    "frame-ancestors": [SELF],
}



def header_value(policy):
    """The policy as the header's text (for deploy/'s nginx files and the tests)."""
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())



# What nginx sends with the baked mirror (deploy/rightsdesk-nginx/headers.conf): the public policy,
# and WebAssembly for Pagefind's search (compiled by the browser; no JavaScript eval).
MIRROR_POLICY = {**PUBLIC_POLICY, "script-src": [SELF, "'wasm-unsafe-eval'"]}
