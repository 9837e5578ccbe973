"""Gzip for text responses, never where it could leak a secret (BREACH): a response is left
uncompressed if it carries a CSRF token (the admin, any form that posts) or is made for a
signed-in user. What anyone else is sent (public pages, the API, downloads, feeds) holds no
secret. Static files are compressed ahead of time by WhiteNoise; a ZIP is compressed already."""

from django.middleware.gzip import GZipMiddleware

TEXT = ("text/", "json", "xml", "javascript")


class PublicGZip(GZipMiddleware):
    def process_response(self, request, response):
        if "CSRF_COOKIE" in request.META:  # a token was made for, or sent by, this client
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        if not any(kind in response.get("Content-Type", "") for kind in TEXT):
            return response
        return super().process_response(request, response)
