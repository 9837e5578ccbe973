"""The comparison's cache: one entry per meaning, not per spelling, and none for an invalid
filter (a stream of junk parameters must not fill the cache)."""

from unittest import mock

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def stored_keys(client, *urls):
    keys = []
    real_set = cache.set

    def spy(key, *args, **kwargs):
        keys.append(key)
        return real_set(key, *args, **kwargs)

    with mock.patch.object(cache, "set", side_effect=spy):
        for url in urls:
            assert client.get(url).status_code == 200, url
    return keys


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
