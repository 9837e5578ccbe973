"""Curators' notes on public pages: a slug a note names becomes a link labelled as the public
knows the record; plain words and unknown slugs stay as written; one query at most per page."""

import pytest
from django.core.management import call_command

from positions.models import Demand, Response, Status
from positions.site import notes
from tests.factories import make_world

pytestmark = pytest.mark.django_db


def test_known_slugs_become_labelled_links_and_the_rest_is_escaped():
    known = {
        "us-rejects-key-proposals": ("response", "United States' rejection"),
        "way-out-of-impasse": ("source", "Is There a Way Out of the Russia-NATO Talks Impasse?"),
    }
    html = notes.render(
        "way-out-of-impasse reports <it>; the U.S. side is us-rejects-key-proposals. "
        "A long-term view of sanctions, not-a-slug.",
        known,
    )
    assert html == (
        '<a href="/sources/way-out-of-impasse/">Is There a Way Out of the Russia-NATO Talks '
        "Impasse?</a> reports &lt;it&gt;; the U.S. side is "
        '<a href="/responses/us-rejects-key-proposals/">United States&#x27; rejection</a>. '
        "A long-term view of sanctions, not-a-slug."
    )


def test_single_words_are_never_taken_for_slugs():
    assert notes.mentions("sanctions and russia, see demand-0 (answer-0).") == {
        "demand-0",
        "answer-0",
    }


def test_labels_name_claims_by_speaker_and_kind_and_skip_drafts(django_assert_num_queries):
    make_world(1)
    Demand.objects.filter(slug="demand-0").update(status=Status.DRAFT)
    with django_assert_num_queries(1):  # one UNION over demands, responses, issues, sources...
        known = notes.labels()
    assert known["answer-0"] == ("response", "Official 0's rejection")
    assert known["issue-0"] == ("issue", "Issue 0")
    assert known["round-0"] == ("round", "Round 0")
    assert "demand-0" not in known  # a draft is not linked: the slug stays as the curator wrote it


def test_no_slug_of_the_shipped_notes_reaches_a_public_page(client):
    call_command("load_dataset", verbosity=0)
    page = client.get("/responses/nato-rejects-key-demands/").content.decode()
    assert "us-rejects-key-proposals." not in page and "way-out-of-impasse reports" not in page
    assert (
        'the U.S. side is <a href="/responses/us-rejects-key-proposals/">United States&#x27; '
        "rejection</a>." in page
    )
    for claim in [*Demand.objects.published(), *Response.objects.published()]:
        page = client.get(claim.get_absolute_url()).content.decode()
        note = page.split("Curator’s note: ", 1)[1].split("</p>", 1)[0] if claim.note else ""
        linked = notes.labels()
        for slug in notes.mentions(claim.note):
            if slug in linked:
                assert f">{slug}<" not in note and f" {slug}" not in note, (claim.slug, slug)
