"""The one paging rule for every paged list of the site (the API's DRF pagination follows the
same: a page that does not exist is a 404).

``?page=`` absent is page 1; anything but 1, 2, 3... that names an existing page is a 404, never a
guess. Page 1's address is the one without ``page``. ``links`` gives what
templates/positions/_pages.html shows, the one page-links partial.
"""

import re

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404


def page_number(request):
    """``?page=`` as a number: absent is 1; anything but 1, 2, 3... is a 404."""
    raw = request.GET.get("page", "")
    if raw == "":
        return 1
    if not re.fullmatch(r"[1-9][0-9]{0,5}", raw):
        raise Http404("A page is a number: 1, 2, 3...")
    return int(raw)


def page_of(items, per_page, number, what="list"):
    """Page ``number`` of ``items``; a 404 past the last (an empty list has one, empty, page)."""
    try:
        return Paginator(items, per_page).page(number)
    except InvalidPage as error:
        raise Http404(f"This {what} has no page {number}.") from error


def with_page(query, number):
    """A query string with ``page=number`` added (page 1 is the address without it)."""
    if number == 1:
        return query
    return f"{query}&page={number}" if query else f"page={number}"


def without_page(request):
    """The request's query string without ``page``, as the page links keep it."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def page_url(request, query):
    """The address of page n of this view, keeping the other parameters (``query``)."""

    def url(number):
        shared = with_page(query, number)
        return f"?{shared}" if shared else request.path

    return url


def links(shown, url):
    """What templates/positions/_pages.html shows of a django.core.paginator Page: None when
    everything is on one page."""
    if shown is None or shown.paginator.num_pages == 1:
        return None
    return {
        "page": shown,
        "first": shown.start_index(),
        "last": shown.end_index(),
        "links": [
            (n, None if n == shown.paginator.ELLIPSIS else url(n))
            for n in shown.paginator.get_elided_page_range(shown.number)
        ],
        "previous": url(shown.number - 1) if shown.has_previous() else None,
        "next": url(shown.number + 1) if shown.has_next() else None,
    }
