"""A page about one round or actor shows the first of its claims, says how many there are and
links to the rest: its cost follows what it shows, not what is stored."""

import pytest
from django.core.management import call_command

from positions import queries
from positions.models import Stance

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(monkeypatch):
    call_command("load_dataset", verbosity=0)
    monkeypatch.setattr(queries, "SHOWN", 3)


def test_a_round_page_shows_the_first_stances_and_links_to_all(client, dataset):
    total = Stance.objects.published().filter(talk_round__slug="geneva-talks-2022").count()
    assert total > 3
    page = client.get("/rounds/geneva-talks-2022/").content.decode()
    stances = page.split("<h2>Stances stated here</h2>", 1)[1]
    assert stances.count('<article class="claim" id="stance-') == 3
    assert f"All {total} stances stated at this round, with their quotes" in stances
    assert 'href="/claims/?round=geneva-talks-2022"' in stances


def test_an_actor_page_shows_the_first_stances_and_links_to_all(client, dataset):
    total = (
        Stance.objects.published().filter(actor__slug="russia").count()
        + Stance.objects.published().filter(actor__affiliation__slug="russia").count()
    )
    page = client.get("/actors/russia/").content.decode()
    table = page.split('id="stances-caption"', 1)[1].split("</table>", 1)[0]
    assert table.count('<th scope="row">') == 3
    assert f"All {total} stances, with their quotes" in page


def test_a_short_list_has_no_more_link(client):
    call_command("load_dataset", verbosity=0)
    page = client.get("/rounds/geneva-talks-2022/").content.decode()
    assert "stances stated at this round, with their quotes" not in page
