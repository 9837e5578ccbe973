"""The about page (/about/): the counts, the method, the sources, when the data last changed,
how to cite Parley and the licence of its data."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from positions import models
from positions.site import queries
from tests.factories import make_world

pytestmark = pytest.mark.django_db


def about(client):
    response = client.get(reverse("positions:home"))
    assert response.status_code == 200
    return response.content.decode()


def text(page):
    """The page as a reader sees it: tags dropped, white space collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_every_count_is_filled_in_and_matches_the_published_data(client, dataset):
    models.Stance.objects.filter(pk=models.Stance.objects.published().first().pk).update(
        status=models.Status.DRAFT
    )
    page = about(client)
    expected = {
        "stances": models.Stance.objects.published().count(),
        "demands": models.Demand.objects.published().count(),
        "counterproposals and responses": models.Response.objects.published().count(),
        "verbatim citations": models.Citation.objects.published().count(),
        "actors": models.Actor.objects.count(),
        "issues": models.Issue.objects.count(),
    }
    for label, number in expected.items():
        assert number > 0, label
        assert f"<li><strong>{number}</strong> {label}</li>" in page, label
    # The draft and its citations are not counted.
    assert expected["stances"] == models.Stance.objects.count() - 1
    assert expected["verbatim citations"] < models.Citation.objects.count()
    assert "<strong></strong>" not in page


def test_the_method_in_a_few_plain_sentences(client, dataset):
    page = text(about(client))
    assert (
        "Every claim (a stance, a demand, a counterproposal or response) cites a verbatim passage"
        in page
    )
    assert "An editor reviews every reading before it is published" in page
    assert f'href="{reverse("positions:codebook")}">codebook</a>' in about(client)


def test_each_source_links_to_its_page_and_its_original_and_unknowns_say_unknown(client, dataset):
    page = about(client)
    sources = page.split('id="sources-heading"', 1)[1].split("</ul>", 1)[0]
    items = sources.split("<li>")[1:]
    assert len(items) == models.Source.objects.count() == 3
    for source in models.Source.objects.all():
        (item,) = [i for i in items if source.title in i]
        assert f'<a href="{source.get_absolute_url()}"><cite>{source.title}</cite></a>' in item
        assert source.sha256 in item
        if source.url:
            assert f'<a href="{source.url}">{source.url}</a>' in item
        else:
            assert "Original: unknown" in text(item)
    impasse = text([i for i in items if "Impasse" in i][0])
    # The article names no author, no date and no publisher of this copy: none is invented.
    assert "Author: unknown" in impasse and "Published: unknown" in impasse
    assert "Publisher: unknown, first published by Carnegie Moscow Center" in impasse
    trenin = text([i for i in items if "Week of Talks" in i][0])
    assert "Author: Dmitry Trenin" in trenin and "Published: 21 January 2022" in trenin


def test_how_to_cite_and_the_licence_of_the_data(client, dataset):
    page = text(about(client))
    assert "How to cite Parley" in page
    assert "“[title of the page].” [address of the page], accessed [date]." in page
    assert (
        "published under the Creative Commons Attribution 4.0 International licence (CC BY 4.0)"
        in page
    )
    assert "The quoted articles are not Parley’s and are not under that licence." in page
    assert (
        "remains the copyright of their authors and publishers; Parley quotes it for commentary"
        in page
    )
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in about(client)


def test_the_last_change_is_the_latest_public_edit_or_load_in_one_query(
    client, django_assert_num_queries
):
    assert queries.last_change() is None
    assert "No data loaded yet." in about(client)
    make_world(1)
    stance = models.Stance.objects.first()
    long_ago = timezone.now() - datetime.timedelta(days=400)
    for model in models.CURATED:
        model.history.model.objects.update(history_date=long_ago)
    stance.summary = "A corrected reading"
    stance.save()  # a published claim: a public change
    latest = stance.history.latest().history_date
    with django_assert_num_queries(1):
        assert queries.last_change() == latest

    # A curator's draft changes nothing the public sees.
    draft = models.Stance.objects.create(
        actor=stance.actor,
        issue=models.Issue.objects.get(slug="cluster"),
        code="open",
        summary="Draft",
        attribution="reported",
    )
    assert draft.status == models.Status.DRAFT and queries.last_change() == latest

    # A load of the fixtures does.
    load = models.DatasetSync.objects.create(kind=models.DatasetSync.Kind.LOAD)
    assert queries.last_change() == load.at
    page = about(client)
    assert f'Data last changed on <time datetime="{load.at:%Y-%m-%d}">' in page
    assert f"{load.at.day} {load.at:%B %Y}</time>" in page
