"""The public pages."""

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_the_rounds_and_sources_as_the_dataset_gives_them(client):
    call_command("load_dataset", verbosity=0)
    response = client.get(reverse("positions:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "U.S.-Russia talks in Geneva" in html
    assert "NATO-Russia Council in Brussels" in html
    assert "21 January 2022" in html  # the Lavrov-Blinken meeting, the one exact date
    assert "January 2022" in html
    # The unnamed article is shown as such, never with a guessed author.
    assert "Is There a Way Out of the Russia-NATO Talks Impasse?" in html
    assert "author not named" in html


def test_home_on_an_empty_database_says_how_to_load(client):
    html = client.get(reverse("positions:home")).content.decode()
    assert "load_dataset" in html
