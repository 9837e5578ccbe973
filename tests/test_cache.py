"""The kept responses (positions/site/http_cache.py ``kept``): the comparison keeps one entry per
meaning, not per spelling, and none for an invalid filter (a stream of junk parameters must not
fill the cache); nothing but a public 200 is kept."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client

from positions.models import Stance
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def stored_keys(client, *urls, status=200):
    """The keys of the responses kept while ``client`` fetched ``urls``."""
    keys = []
    real_set = cache.set

    def spy(key, *args, **kwargs):
        keys.append(key)
        return real_set(key, *args, **kwargs)

    with mock.patch.object(cache, "set", side_effect=spy):
        for url in urls:
            assert client.get(url).status_code == status, url
    return [key for key in keys if key.startswith("kept:")]  # not the API throttle's


def test_order_and_unknown_parameters_share_one_cache_entry(client, dataset):
    keys = stored_keys(
        client,
        "/?issue=nato-enlargement&round=geneva-talks-2022",
        "/?round=geneva-talks-2022&issue=nato-enlargement",
        "/?issue=nato-enlargement&round=geneva-talks-2022&junk=x",
        "/?junk=y&round=geneva-talks-2022&issue=nato-enlargement&analysis=",
    )
    assert len(keys) == 1  # the first request stored it; the others were hits


def test_repeated_choices_in_any_order_share_one_entry(client, dataset):
    keys = stored_keys(client, "/?stance=rejects&stance=demands", "/?stance=demands&stance=rejects")
    assert len(keys) == 1


def test_an_invalid_filter_stores_nothing_and_different_filters_store_apart(client, dataset):
    assert stored_keys(client, "/?issue=atlantis", "/?round=nowhere&junk=1") == []
    assert len(set(stored_keys(client, "/?issue=nato-enlargement", "/?issue=arms-control"))) == 2


def test_a_hit_serves_links_built_from_the_filters_not_from_the_first_spelling(client, dataset):
    client.get("/?issue=nato-enlargement&junk=x")
    page = client.get("/?issue=nato-enlargement").content.decode()
    assert "junk" not in page
    assert 'href="/?issue=nato-enlargement"' in page  # the link to share this view


KEPT_PAGES = ["/issues/nato-enlargement/", "/api/v1/stances/?issue=nato-enlargement"]


@pytest.mark.parametrize("url", KEPT_PAGES)
def test_a_public_page_is_kept_once_until_the_data_changes(client, dataset, url):
    assert len(stored_keys(client, url, url)) == 1
    Stance.objects.filter(issue__slug="nato-enlargement").update(summary="Changed by hand")
    assert b"Changed by hand" not in client.get(url).content  # no version bump: still kept


def test_a_signed_in_page_is_made_for_them_and_never_kept(client, dataset):
    url = KEPT_PAGES[0]
    client.get(url)
    Stance.objects.filter(issue__slug="nato-enlargement").update(summary="Changed by hand")
    editor = Client()
    editor.force_login(make_user("editor", "Editor"))  # their pages may show drafts
    assert stored_keys(editor, url) == []
    assert b"Changed by hand" in editor.get(url).content
    assert b"Changed by hand" not in client.get(url).content


@pytest.mark.parametrize(
    "url", ["/issues/atlantis/", "/api/v1/stances/999999/", "/api/v1/stances/?page=99"]
)
def test_a_missing_page_is_never_kept(client, dataset, url):
    assert stored_keys(client, url, url, status=404) == []


def test_an_invalid_filter_of_the_api_is_never_kept(client, dataset):
    assert stored_keys(client, "/api/v1/stances/?issue=atlantis", status=400) == []


def test_with_no_cache_time_each_response_is_made_afresh(client, dataset, settings):
    settings.RESPONSE_CACHE_SECONDS = 0
    assert stored_keys(client, "/", "/table.csv", *KEPT_PAGES) == []
    Stance.objects.filter(issue__slug="nato-enlargement").update(summary="Changed by hand")
    assert b"Changed by hand" in client.get(KEPT_PAGES[1]).content
