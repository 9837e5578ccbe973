"""The reading side's small things: a title per filtered view, a favicon, a skip link that lands
past the filters, and a "Copy link" that works without script."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests.factories import make_world

pytestmark = pytest.mark.django_db


def title(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def test_each_filtered_view_of_the_claims_has_its_own_title(client, monkeypatch):
    from positions.site import views

    make_world(2)
    assert title(client, "/claims/") == "Claims and their evidence · Parley"
    assert title(client, "/claims/?actor=party-0&issue=issue-0") == (
        "Claims: Issue 0, Party 0 · Parley"
    )
    assert title(client, "/claims/?actor=party-1&round=round-1") == (
        "Claims: Party 1, at Round 1 · Parley"
    )
    # An invalid filter shows nothing, and the title claims no filter.
    assert title(client, "/claims/?actor=nobody") == "Claims and their evidence · Parley"
    monkeypatch.setattr(views, "CLAIMS_PER_PAGE", 2)
    assert title(client, "/claims/?analysis=exclude&page=2") == (
        "Claims: parties’ positions only, page 2 · Parley"
    )


def test_every_page_links_a_favicon_and_favicon_ico_finds_it(client):
    make_world(1)
    page = client.get("/issues/").content.decode()
    assert '<link rel="icon" href="/static/positions/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("positions/favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/positions/favicon.svg"


def test_the_skip_link_lands_past_the_filter_form(client):
    make_world(1)
    page = client.get("/claims/?actor=party-0").content.decode()
    assert '<a class="skip" href="#results">' in page
    form_end = page.index("</form>", page.index('<form class="filters"'))
    assert page.index('id="results"') > form_end
    # A page without filters skips to the main content.
    assert '<a class="skip" href="#main">' in client.get("/issues/").content.decode()


def test_copy_link_is_a_plain_link_to_the_current_view_enhanced_by_a_script(client):
    make_world(1)
    page = client.get("/claims/?actor=party-0&issue=issue-0").content.decode()
    assert (
        '<a data-copy-link href="/claims/?actor=party-0&amp;issue=issue-0">'
        "Copy link to this view</a>" in page
    )
    assert '<script src="/static/positions/copy-link.js" defer></script>' in page
    assert finders.find("positions/copy-link.js")
