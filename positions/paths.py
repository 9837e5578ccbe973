"""An object's page address, remembered: a page of claims links the same actors, rounds, issues
and sources hundreds of times, and reverse() costs more than the rest of a link."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@functools.lru_cache(maxsize=10_000)
def remembered_path(prefix, urlconf, name, arg):
    return reverse(name, args=[arg], urlconf=urlconf)


def page_path(name, arg):
    """reverse() of an object's page, remembered: a page of claims links the same actors, rounds,
    issues and sources hundreds of times, and reverse() costs more than the rest of a link. The
    key holds the script prefix and the URLconf, so a change of either is never served stale."""
    return remembered_path(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, name, arg)


def page_paths():
    """``page_path`` with the script prefix and the URLconf read once: for a response that
    writes thousands of links."""
    return functools.partial(
        remembered_path, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    )
