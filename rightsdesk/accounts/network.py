"""The reader's address for django-axes (AXES_CLIENT_IP_CALLABLE).

Behind nginx every request comes from 127.0.0.1: locking that address out would lock everyone
out. When the request comes from a proxy the organisation runs (RIGHTSDESK_FORWARDED_ALLOW_IPS,
the same list `rightsdesk serve` gives gunicorn), the address is the last one that proxy added to
X-Forwarded-For (nginx's `$proxy_add_x_forwarded_for`); earlier entries are the client's own
claims and are not believed.
"""

import os


def trusted_proxies():
    value = os.environ.get("RIGHTSDESK_FORWARDED_ALLOW_IPS", "127.0.0.1")
    return {item.strip() for item in value.split(",") if item.strip()}


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and (remote in trusted_proxies() or "*" in trusted_proxies()):
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return remote
