"""Who a client is, by address: one rule for the admin's login lockout (django-axes) and the
API's throttle (positions/api/throttling.py).

Not behind a proxy (PROXY_COUNT 0, BEHIND_PROXY off), the client is REMOTE_ADDR: an
X-Forwarded-For header is the client's own word and is never read. Behind PROXY_COUNT proxies,
each appends the address it took the request from to X-Forwarded-For, so the client is the
PROXY_COUNT-th address from the end; whatever a client wrote before it is ignored.
"""

from django.conf import settings


def client_address(request):
    count = settings.PROXY_COUNT
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if count and forwarded:
        return forwarded[-min(count, len(forwarded))]
    return request.META.get("REMOTE_ADDR")
