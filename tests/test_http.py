"""HTTP as the web expects it on every public response: validators derived from the dataset
version (304 for a request that names them), caching a CDN may follow, gzip where safe, CORS on
the API (positions/site/http_cache.py, compression.py; django-cors-headers)."""

import gzip

import pytest
from django.test import Client

from positions.curation import review
from positions.models import Stance
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

EVERY_KIND = {
    "page": "/issues/nato-enlargement/",
    "table": "/",
    "api list": "/api/v1/stances/",
    "api detail": "/api/v1/issues/nato-enlargement/",
    "csv": "/table.csv",
    "json": "/claims.json",
    "feed": "/feeds/claims.atom",
    "zip": "/data/parley-data.zip",
    "openapi": "/api/v1/openapi.json",
}
TEXT = set(EVERY_KIND) - {"zip"}


@pytest.mark.parametrize("kind", EVERY_KIND)
def test_every_kind_of_public_url_answers_its_validator_with_304(client, kind, dataset):
    url = EVERY_KIND[kind]
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, no-cache"
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    other = client.get(url, HTTP_IF_NONE_MATCH='"not-this-one"')
    assert other.status_code == 200 and other.content == first.content


@pytest.mark.parametrize("kind", sorted(TEXT))
def test_text_responses_come_gzipped_to_a_client_that_asks(client, kind, dataset):
    url = EVERY_KIND[kind]
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content)


def test_a_change_to_the_data_changes_the_validator(
    client, dataset, django_capture_on_commit_callbacks
):
    url = "/api/v1/stances/"
    tag = client.get(url)["ETag"]
    stance = Stance.objects.published().first()
    with django_capture_on_commit_callbacks(execute=True), review.acting_as(None):
        stance.summary = "Read again."
        stance.save()
    fresh = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert fresh.status_code == 200 and b"Read again." in fresh.content
    assert fresh["ETag"] != tag


def test_a_feed_answers_if_modified_since(client, dataset):
    first = client.get("/feeds/claims.atom")
    again = client.get("/feeds/claims.atom", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_the_admin_and_signed_in_pages_are_neither_cached_publicly_nor_compressed(dataset):
    client = Client()
    client.force_login(make_user("editor", "Editor"))
    for url in ("/admin/", "/issues/nato-enlargement/"):
        page = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert page.status_code == 200
        assert "public" not in page.get("Cache-Control", "")
        assert not page.has_header("ETag") and not page.has_header("Content-Encoding")
    login = Client().get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert b"csrfmiddlewaretoken" in login.content  # a token: never compressed (BREACH)
    assert not login.has_header("Content-Encoding")


def test_the_api_is_readable_from_any_origin_and_the_site_is_not(client, dataset):
    preflight = client.options(
        "/api/v1/stances/",
        HTTP_ORIGIN="https://newsroom.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    api = client.get("/api/v1/stances/", HTTP_ORIGIN="https://newsroom.example")
    assert api["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in api["Access-Control-Expose-Headers"]
    page = client.get("/", HTTP_ORIGIN="https://newsroom.example")
    assert not page.has_header("Access-Control-Allow-Origin")


def test_a_new_release_retires_every_validator_and_kept_page(client, dataset, monkeypatch):
    from positions.site import http_cache

    first = client.get("/issues/nato-enlargement/")
    monkeypatch.setattr(http_cache, "release", lambda: "another-release")
    again = client.get("/issues/nato-enlargement/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
