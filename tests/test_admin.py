"""Curating in the admin: pages for every model, validated quotes, roles, review and history."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from positions.citations import normalise
from positions.models import Actor, Citation, Demand, Issue, Source, Stance, Status
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

MODELS = ["source", "actor", "issue", "talkround", "stance", "demand", "response"]


@pytest.fixture
def editor(client):
    client.force_login(make_user("editor", "Editor"))
    return client


def stance_form(source, quote, status=None, **fields):
    data = {
        "actor": Actor.objects.get(slug="russia").pk,
        "issue": Issue.objects.get(slug="strategic-arms").pk,
        "talk_round": "",
        "code": "open",
        "summary": "Russia is open to separate strategic arms talks.",
        "attribution": "reported",
        "confidence": "high",
        "note": "",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
        "citations-0-source": source.pk,
        "citations-0-quote": quote,
        "citations-0-prefix": "",
        "citations-0-suffix": "",
        "citations-0-order": "0",
    }
    if status:
        data["status"] = status
    data.update(fields)
    return data


WRONG = "Negotiations between Moscow and Washington on nuclear issues follow their own rules"
RIGHT = "Negotiations between Moscow and Washington on nuclear issues follow their own logic and dynamics."


def test_every_admin_page_renders_for_a_curator(curator, dataset):
    for model in MODELS:
        changelist = curator.get(reverse(f"admin:positions_{model}_changelist"))
        assert changelist.status_code == 200, model
        assert curator.get(reverse(f"admin:positions_{model}_add")).status_code == 200, model
    stance = Stance.objects.first()
    page = curator.get(reverse("admin:positions_stance_change", args=[stance.pk])).content.decode()
    assert escape(stance.summary) in page and escape(stance.citations.first().quote[:40]) in page
    assert (
        curator.get(reverse("admin:positions_stance_history", args=[stance.pk])).status_code == 200
    )
    # Filters and search a curator uses
    filtered = curator.get(
        reverse("admin:positions_stance_changelist"), {"code__exact": "rejects", "q": "NATO"}
    )
    assert filtered.status_code == 200
    # The sidebar names every code: look at the result rows only, by their change links.
    rows = filtered.content.decode().split('id="result_list"', 1)[1].split("</table>", 1)[0]

    def listed(actor, issue, code):
        pk = Stance.objects.get(actor__slug=actor, issue__slug=issue, code=code).pk
        return reverse("admin:positions_stance_change", args=[pk]) in rows

    assert listed("russia", "open-door-policy", "rejects")  # "NATO's doors"
    assert not listed("russia", "nato-enlargement", "opposes")  # NATO, but not rejects
    assert not listed("united-states", "open-skies", "rejects")  # rejects, but no NATO


def test_a_duplicate_stance_or_a_taken_slug_is_the_forms_message_never_a_500(editor, dataset):
    editor.raise_request_exception = False
    taken = Stance.objects.published().filter(talk_round__isnull=False).first()
    source = Source.objects.get(slug="way-out-of-impasse")
    before = Stance.objects.count()
    response = editor.post(
        reverse("admin:positions_stance_add"),
        stance_form(
            source,
            RIGHT,
            actor=taken.actor_id,
            issue=taken.issue_id,
            talk_round=taken.talk_round_id,
        ),
    )
    assert response.status_code == 200
    assert (
        "This actor already has a stance on this issue at this round." in response.content.decode()
    )
    assert Stance.objects.count() == before
    demand = Demand.objects.published().first()
    data = {
        "slug": demand.slug,
        "actor": demand.actor_id,
        "text": "Another demand under a slug that is taken.",
        "bindingness": demand.bindingness,
        "outcome": demand.outcome,
        "issues": [demand.issues.first().pk],
        "note": "",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
        "citations-0-source": source.pk,
        "citations-0-quote": RIGHT,
        "citations-0-order": "0",
        "answers-TOTAL_FORMS": "0",
        "answers-INITIAL_FORMS": "0",
        "answers-MIN_NUM_FORMS": "0",
        "answers-MAX_NUM_FORMS": "1000",
    }
    response = editor.post(reverse("admin:positions_demand_add"), data)
    assert response.status_code == 200, response.status_code
    assert "This slug is taken." in response.content.decode()


def test_a_wrong_quote_is_refused_with_the_closest_passage_then_the_corrected_one_saves(
    curator, dataset
):
    source = Source.objects.get(slug="way-out-of-impasse")
    url = reverse("admin:positions_stance_add")
    response = curator.post(url, stance_form(source, WRONG))
    assert response.status_code == 200
    page = response.content.decode()
    assert "quote not found verbatim in the source" in page
    assert "the closest passage is" in page and "follow their own logic" in page
    assert not Stance.objects.filter(summary__startswith="Russia is open to separate").exists()

    response = curator.post(url, stance_form(source, RIGHT))
    assert response.status_code == 302
    stance = Stance.objects.get(summary__startswith="Russia is open to separate")
    assert stance.status == Status.DRAFT  # a curator's new claim waits for review
    citation = stance.citations.get()
    assert normalise(source.text[citation.start : citation.end]) == RIGHT
    assert citation.is_verified()


def test_an_ambiguous_quote_asks_for_a_prefix_or_suffix(curator, dataset):
    source = Source.objects.get(slug="trenin-week-of-talks")
    response = curator.post(reverse("admin:positions_stance_add"), stance_form(source, "NATO"))
    assert "add a prefix or suffix" in response.content.decode()


def test_a_curator_cannot_publish_and_a_correction_goes_back_to_draft(curator, dataset):
    source = Source.objects.get(slug="way-out-of-impasse")
    curator.post(
        reverse("admin:positions_stance_add"), stance_form(source, RIGHT, status="published")
    )
    stance = Stance.objects.get(summary__startswith="Russia is open to separate")
    assert stance.status == Status.DRAFT  # the status field is read-only for curators
    changelist = curator.get(reverse("admin:positions_stance_changelist")).content.decode()
    assert 'value="publish"' not in changelist
    published = Stance.objects.published().first()
    data = {
        "actor": published.actor_id,
        "issue": published.issue_id,
        "talk_round": published.talk_round_id or "",
        "code": published.code,
        "summary": published.summary + " (corrected)",
        "attribution": published.attribution,
        "confidence": published.confidence,
        "note": published.note,
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    original_summary = published.summary
    response = curator.post(
        reverse("admin:positions_stance_change", args=[published.pk]), data, follow=True
    )
    assert "proposed change awaiting an editor" in response.content.decode()
    published.refresh_from_db()
    # The published version stays live and unchanged; the correction waits as a proposed change.
    assert published.status == Status.PUBLISHED and published.summary == original_summary
    proposal = Stance.objects.get(revision_of=published)
    assert proposal.status == Status.DRAFT and proposal.summary == original_summary + " (corrected)"
    # The quotes were not touched by revising the reading, and the proposal carries them too.
    assert published.citations.exists()
    assert [c.quote for c in proposal.citations.all()] == [
        c.quote for c in published.citations.all()
    ]


def test_an_editor_publishes_and_the_review_is_recorded(editor, dataset):
    source = Source.objects.get(slug="way-out-of-impasse")
    editor.post(reverse("admin:positions_stance_add"), stance_form(source, RIGHT, status="draft"))
    stance = Stance.objects.get(summary__startswith="Russia is open to separate")
    assert stance.status == Status.DRAFT and stance.reviewed_by is None
    assert (
        "Russia is open to separate"
        not in editor.get("/claims/?actor=russia&issue=strategic-arms").content.decode()
    )
    response = editor.post(
        reverse("admin:positions_stance_changelist"),
        {"action": "publish", "_selected_action": [stance.pk]},
    )
    assert response.status_code == 302
    stance.refresh_from_db()
    assert stance.status == Status.PUBLISHED
    assert stance.reviewed_by.username == "editor" and stance.reviewed_at is not None
    assert (
        "Russia is open to separate"
        in editor.get("/claims/?actor=russia&issue=strategic-arms").content.decode()
    )


def test_an_uncited_claim_cannot_be_published(editor, dataset):
    source = Source.objects.get(slug="way-out-of-impasse")
    data = stance_form(source, RIGHT, status="published")
    data["citations-TOTAL_FORMS"] = "0"
    editor.post(reverse("admin:positions_stance_add"), data, follow=True)
    stance = Stance.objects.get(summary__startswith="Russia is open to separate")
    assert stance.status == Status.DRAFT


def test_nobody_deletes_a_cited_source_or_manages_users(client, dataset):
    source = Source.objects.get(slug="trenin-week-of-talks")
    for name in ("Curator", "Editor"):
        client.force_login(make_user(name.lower(), name))
        delete_url = reverse("admin:positions_source_delete", args=[source.pk])
        page = client.post(delete_url, {"post": "yes"}).content.decode()
        assert "would require deleting the following protected related objects" in page
        assert Source.objects.filter(pk=source.pk).exists()
        assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
        assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_a_new_source_can_be_added_from_the_admin_and_cited_at_once(curator, dataset):
    text = "Next round: NATO offers talks on missile limits.\nRussia says it will study them."
    response = curator.post(
        reverse("admin:positions_source_add"),
        {
            "slug": "next-round",
            "title": "Next round",
            "kind": "news_report",
            "date_precision": "unknown",
            "text": text,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    source = Source.objects.get(slug="next-round")
    assert source.file_name == "next-round.txt" and source.sha256 and source.text == text
    curator.post(
        reverse("admin:positions_stance_add"),
        stance_form(
            source, "Russia says it will study them.", summary="Russia will study NATO's offer."
        ),
    )
    assert Citation.objects.filter(source=source).count() == 1


def test_anonymous_visitors_cannot_write(client, dataset):
    response = client.get(reverse("admin:positions_stance_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    public = ["/", "/claims/", "/issues/nato-enlargement/", "/search/?q=x", "/table.csv"]
    public += ["/feeds/claims.atom", "/data/parley-data.zip", "/codebook/", "/no-such-page/"]
    for url in public:  # one rule for every public route (positions/site/middleware.py)
        assert client.post(url, {"status": "published"}).status_code == 405, url
        assert client.delete(url).status_code == 405, url


def test_history_records_an_edit_and_reverts_it(editor, dataset):
    stance = Stance.objects.published().first()
    original = stance.summary
    data = {
        "actor": stance.actor_id,
        "issue": stance.issue_id,
        "talk_round": stance.talk_round_id or "",
        "code": stance.code,
        "summary": "A hasty reading.",
        "attribution": stance.attribution,
        "confidence": stance.confidence,
        "note": stance.note,
        "status": stance.status,
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    editor.post(reverse("admin:positions_stance_change", args=[stance.pk]), data)
    stance.refresh_from_db()
    assert stance.summary == "A hasty reading."
    latest, previous = stance.history.all()[:2]
    assert latest.history_user.username == "editor"
    assert [c.field for c in latest.diff_against(previous).changes] == ["summary"]
    history_page = editor.get(
        reverse("admin:positions_stance_history", args=[stance.pk])
    ).content.decode()
    assert "A hasty reading." in history_page or "summary" in history_page.lower()
    # Revert to the version loaded from the fixtures.
    revert_url = reverse(
        "admin:positions_stance_simple_history", args=[stance.pk, previous.history_id]
    )
    form = {**data, "summary": previous.summary}
    response = editor.post(revert_url, form)
    assert response.status_code == 302
    stance.refresh_from_db()
    assert stance.summary == original
    assert stance.history.count() == 3
