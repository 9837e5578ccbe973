"""Reference records are reviewed too (models.Curated.public): a round, source, actor or issue a
curator adds is on no public route (page, list, filter, search, API, package, feed) until an editor
publishes it, or approves a claim that uses it (positions/curation/publishing.py)."""

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from positions.curation import review
from positions.models import Actor, Source, Stance, StanceCode, Status, TalkRound
from tests.admin_forms import form_data
from tests.factories import cite, make_source

pytestmark = pytest.mark.django_db

TITLE = "Zyzzyva consultations in Oslo"


def add_round(client):
    add = reverse("admin:positions_talkround_add")
    data = form_data(
        client.get(add),
        slug="oslo-consultations",
        title=TITLE,
        format="bilateral",
        date_precision="unknown",
        order=50,
        public="on",  # a curator cannot set it: ignored
    )
    return client.post(add, data, follow=True)


def everywhere(client, slug, title):
    """Where the public could meet the round: {route: True if it is there}."""
    package = zipfile.ZipFile(io.BytesIO(client.get("/data/parley-data.zip").content))
    rounds_csv = next(n for n in package.namelist() if n.endswith("rounds.csv"))
    api_list = client.get("/api/v1/rounds/?page_size=500").json()["results"]
    return {
        "list": title in client.get("/rounds/").content.decode(),
        "page": client.get(f"/rounds/{slug}/").status_code == 200,
        "filter": "error" not in client.get(f"/?round={slug}").content.decode(),
        "search": f"/rounds/{slug}/" in client.get("/search/", {"q": "Zyzzyva"}).content.decode(),
        "api list": any(r["slug"] == slug for r in api_list),
        "api item": client.get(f"/api/v1/rounds/{slug}/").status_code == 200,
        "package": slug in package.read(rounds_csv).decode(),
    }


def test_a_curators_new_round_is_on_no_public_route_until_an_editor_publishes_it(
    client, curator_user, editor_user, dataset, django_capture_on_commit_callbacks
):
    client.force_login(curator_user)
    said = [str(m) for m in add_round(client).context["messages"]]
    talk_round = TalkRound.objects.get(slug="oslo-consultations")
    assert talk_round.public is False
    assert any("not yet public" in m for m in said), said
    public = Client()
    assert everywhere(public, talk_round.slug, TITLE) == dict.fromkeys(
        ["list", "page", "filter", "search", "api list", "api item", "package"], False
    )

    client.force_login(editor_user)
    with django_capture_on_commit_callbacks(execute=True):  # kept pages retire on commit
        client.post(
            reverse("admin:positions_talkround_changelist"),
            {"action": "publish_records", "_selected_action": [talk_round.pk]},
        )
    talk_round.refresh_from_db()
    assert talk_round.public is True
    assert all(everywhere(public, talk_round.slug, TITLE).values())


def test_approving_a_claim_publishes_what_it_uses(client, curator_user, editor_user, dataset):
    client.force_login(curator_user)
    add_round(client)
    talk_round = TalkRound.objects.get(slug="oslo-consultations")
    actor = Actor.objects.create(
        slug="new-envoy", name="A new envoy", kind="official", public=False
    )
    source = make_source(slug="oslo-report", title="Oslo report", text="The envoy wants talks.\n")
    Source.objects.filter(pk=source.pk).update(public=False)
    stance = Stance.objects.create(
        actor=actor,
        issue=Stance.objects.published().first().issue,
        talk_round=talk_round,
        code=StanceCode.OPEN,
        summary="The envoy is open to talks.",
        attribution="reported",
        status=Status.DRAFT,
    )
    cite(source, "The envoy wants talks.", stance=stance)
    public = Client()
    assert public.get("/actors/new-envoy/").status_code == 404
    assert public.get("/sources/oslo-report/").status_code == 404

    review.approve(stance, editor_user)
    for url in ("/actors/new-envoy/", "/sources/oslo-report/", "/rounds/oslo-consultations/"):
        assert public.get(url).status_code == 200, url
    assert Actor.objects.get(slug="new-envoy").public and Source.objects.get(pk=source.pk).public


def test_only_an_editor_sets_public(client, curator_user, editor_user, dataset):
    round_ = TalkRound.objects.first()
    client.force_login(curator_user)
    change = reverse("admin:positions_talkround_change", args=[round_.pk])
    assert 'name="public"' not in client.get(change).content.decode()
    client.force_login(editor_user)
    assert 'name="public"' in client.get(change).content.decode()
    page = client.get(reverse("admin:positions_talkround_changelist")).content.decode()
    assert "publish_records" in page
    client.force_login(curator_user)
    page = client.get(reverse("admin:positions_talkround_changelist")).content.decode()
    assert "publish_records" not in page


def test_the_api_never_links_a_record_that_is_not_public(dataset):
    hidden = Actor.objects.filter(kind="official").first()
    Actor.objects.filter(pk=hidden.pk).update(public=False)
    party = Actor.objects.get(pk=hidden.affiliation_id)
    client = Client()
    members = client.get(f"/api/v1/actors/{party.slug}/").json()["members"]
    assert hidden.slug not in json.dumps(members)
    assert client.get(f"/api/v1/actors/{hidden.slug}/").status_code == 404
    assert client.get(f"/actors/{hidden.slug}/feed.atom").status_code == 404
