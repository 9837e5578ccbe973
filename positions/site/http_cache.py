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
response but a 200, and a response that sets its own validators or cache rules.

The same key serves the server: ``kept`` makes a public response once per dataset version and
what it is (its URL, or its filters as understood), and serves it from the cache until the data
changes (the comparison, the issue pages, the downloads, the API's JSON). Both also carry the
release (``release``: the code and templates), so a deploy retires them too."""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe

from positions.models import DatasetVersion

SAFE_METHODS = ("GET", "HEAD")
CACHE_CONTROL = {"public": True, "no_cache": True}


# What the site's own code and templates are: part of every validator and kept key, so that a
# deploy that changes a page is never answered with the page before it (a 304, or a kept copy in
# a shared cache). Read once per process from the files' sizes and times.
CODE = ("positions", "project", "templates", "static")


@functools.cache
def release():
    digest = hashlib.sha256()
    for folder in CODE:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def dataset_version(request):
    """The dataset version, read once per request whoever asks (this middleware, a cached page)."""
    if not hasattr(request, "_dataset_version"):
        request._dataset_version = DatasetVersion.current()
    return request._dataset_version


def etag(request):
    parts = [
        release(),
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


# What a kept response keeps besides its body.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Last-Modified")


def kept(request, name, build):
    """``build()``'s response, made once per dataset version and ``name`` (what it shows, for
    which host and format), then served from the cache: any change to the curated data retires
    every kept response at once (the version). Only a 200 is kept, never a signed-in user's page
    (it may show drafts), and nothing when settings.RESPONSE_CACHE_SECONDS is 0."""
    seconds = settings.RESPONSE_CACHE_SECONDS
    if not seconds or not cacheable(request):
        return build()
    digest = hashlib.sha256(name.encode()).hexdigest()
    key = f"kept:{release()}:{dataset_version(request)}:{digest}"
    stored = cache.get(key)
    if stored is None:
        response = build()
        if response.status_code != 200 or response.streaming:
            return response
        headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
        stored = (response.content, headers)
        cache.set(key, stored, seconds)
    content, headers = stored
    return HttpResponse(content, headers=headers)


def kept_page(view):
    """A view whose public page is ``kept`` by its URL: one whose content follows from its path
    and query alone (a bad parameter's 400 or 404 is made afresh each time, never kept)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        name = f"page\n{request.get_host()}\n{request.get_full_path()}"
        return kept(request, name, lambda: view(request, *args, **kwargs))

    return wrapper
