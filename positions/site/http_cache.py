"""HTTP caching for every public response (pages, the API, downloads, feeds, the data package),
written once: what a public GET shows is fixed by its URL, the format asked for and the dataset
version (models.DatasetVersion, bumped when curated data changes), so

- its ``ETag`` is derived from those three, before any view runs: a request that names it
  (``If-None-Match``) is answered ``304 Not Modified`` at the cost of one query;
- a response that says when it last changed (``Last-Modified``, the feeds) answers
  ``If-Modified-Since`` too;
- ``Cache-Control: public, no-cache`` lets a browser, a shared cache or a CDN keep it and serve it
  again after a revalidation, until the data changes.

Left alone: the admin, and a signed-in user's pages (they may show what the public does not), any
response but a 200, and a response that sets its own validators or cache rules."""

import hashlib

from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe

from positions.models import DatasetVersion

SAFE_METHODS = ("GET", "HEAD")
CACHE_CONTROL = {"public": True, "no_cache": True}


def dataset_version(request):
    """The dataset version, read once per request whoever asks (this middleware, a cached page)."""
    if not hasattr(request, "_dataset_version"):
        request._dataset_version = DatasetVersion.current()
    return request._dataset_version


def etag(request):
    parts = [
        str(dataset_version(request)),
        request.get_full_path(),
        request.META.get("HTTP_ACCEPT", ""),  # the API's format may follow it
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f'"{digest}"'


def cacheable(request):
    if request.method not in SAFE_METHODS:
        return False
    if request.path_info.startswith(reverse("admin:index")):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PublicCaching:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable(request):
            return self.get_response(request)
        tag = etag(request)
        not_modified = get_conditional_response(request, etag=tag)
        if not_modified is not None:
            patch_cache_control(not_modified, **CACHE_CONTROL)
            return not_modified
        response = self.get_response(request)
        if response.status_code != 200 or response.has_header("Cache-Control"):
            return response
        if not response.has_header("ETag"):
            response["ETag"] = tag
        patch_cache_control(response, **CACHE_CONTROL)
        if response.has_header("Last-Modified"):
            changed = parse_http_date_safe(response["Last-Modified"])
            return get_conditional_response(
                request, etag=response["ETag"], last_modified=changed, response=response
            )
        return response
