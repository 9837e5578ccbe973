"""The review workflow on every route: nothing reaches the public unreviewed, a published claim
stays live while a change to it waits, every decision is a recorded save, and a claim's history
shows its evidence change."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape

from positions import models
from positions.curation import review
from tests.conftest import make_user
from tests.test_admin import RIGHT, stance_form

pytestmark = pytest.mark.django_db


def change_data(stance, **changes):
    """The change form of a stance as the browser posts it, with its citations inline."""
    citations = list(stance.citations.all())
    data = {
        "actor": stance.actor_id,
        "issue": stance.issue_id,
        "talk_round": stance.talk_round_id or "",
        "code": stance.code,
        "summary": stance.summary,
        "attribution": stance.attribution,
        "confidence": stance.confidence,
        "note": stance.note,
        "citations-TOTAL_FORMS": str(len(citations)),
        "citations-INITIAL_FORMS": str(len(citations)),
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    for i, c in enumerate(citations):
        data.update(
            {
                f"citations-{i}-id": c.pk,
                f"citations-{i}-stance": stance.pk,
                f"citations-{i}-source": c.source_id,
                f"citations-{i}-quote": c.quote,
                f"citations-{i}-prefix": c.prefix,
                f"citations-{i}-suffix": c.suffix,
                f"citations-{i}-order": c.order,
            }
        )
    data.update(changes)
    return data


def public_claims(client, stance):
    return client.get(
        f"/claims/?actor={stance.actor.slug}&issue={stance.issue.slug}"
    ).content.decode()


def a_published_stance():
    return models.Stance.objects.published().filter(citations__isnull=False).order_by("pk").first()


# --------------------------------------------------------------------------- curators never publish


def test_a_curators_edit_of_a_published_claim_waits_while_the_published_version_stays(
    curator, client, dataset
):
    stance = a_published_stance()
    before = stance.summary
    url = reverse("admin:positions_stance_change", args=[stance.pk])
    assert "If you save a change, it is proposed for review" in curator.get(url).content.decode()
    page = curator.post(url, change_data(stance, summary="A curator's new reading."), follow=True)
    assert "The published version stays on the public site, unchanged" in page.content.decode()
    stance.refresh_from_db()
    assert stance.status == models.Status.PUBLISHED and stance.summary == before
    proposal = models.Stance.objects.get(revision_of=stance)
    assert proposal.summary == "A curator's new reading." and proposal.status == models.Status.DRAFT
    client.logout()
    listing = public_claims(client, stance)
    assert escape(before) in listing and "new reading" not in listing
    # Opening the published claim again leads to the pending change, not to a second one.
    client.force_login(make_user("curator2", "Curator"))
    again = client.get(url)
    assert again.status_code == 302
    assert again["Location"] == reverse("admin:positions_stance_change", args=[proposal.pk])


def test_a_curators_change_to_a_published_claims_citation_touches_only_the_proposal(
    curator, dataset
):
    stance = a_published_stance()
    quotes = [c.quote for c in stance.citations.all()]
    source = models.Source.objects.get(slug="way-out-of-impasse")
    data = change_data(stance)
    data.update({"citations-0-source": source.pk, "citations-0-quote": RIGHT})
    curator.post(reverse("admin:positions_stance_change", args=[stance.pk]), data)
    assert [c.quote for c in stance.citations.all()] == quotes  # the published evidence
    proposal = models.Stance.objects.get(revision_of=stance)
    assert RIGHT in [c.quote for c in proposal.citations.all()]
    assert RIGHT in proposal.evidence


def test_a_crafted_status_is_ignored_and_the_publish_action_refused(curator, dataset):
    curator.post(
        reverse("admin:positions_stance_add"),
        stance_form(
            models.Source.objects.get(slug="way-out-of-impasse"), RIGHT, status="published"
        ),
    )
    draft = models.Stance.objects.get(summary__startswith="Russia is open to separate")
    assert draft.status == models.Status.DRAFT
    curator.post(
        reverse("admin:positions_stance_change", args=[draft.pk]),
        change_data(draft, status="published", summary=draft.summary + "!"),
    )
    curator.post(
        reverse("admin:positions_stance_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == models.Status.DRAFT and draft.reviewed_by is None


def test_a_revert_by_a_curator_obeys_the_same_rules(curator, dataset):
    # A draft whose older version was published: reverting does not publish it.
    stance = a_published_stance()
    with review.acting_as(None):
        stance.status = models.Status.DRAFT
        stance._change_reason = "taken back for a fix"
        stance.save()
    published_version = stance.history.filter(status=models.Status.PUBLISHED).first()
    revert = reverse(
        "admin:positions_stance_simple_history", args=[stance.pk, published_version.history_id]
    )
    response = curator.post(revert, change_data(published_version.instance))
    assert response.status_code == 302
    stance.refresh_from_db()
    assert stance.status == models.Status.DRAFT

    # A published claim: reverting an older version proposes it; the published one stays.
    other = models.Stance.objects.published().exclude(pk=stance.pk).order_by("pk").first()
    loaded = other.history.earliest()
    with review.acting_as(None):
        other.summary = "Edited by an editor."
        other.save()
    revert = reverse("admin:positions_stance_simple_history", args=[other.pk, loaded.history_id])
    curator.post(revert, change_data(loaded.instance))
    other.refresh_from_db()
    assert other.status == models.Status.PUBLISHED and other.summary == "Edited by an editor."
    proposal = models.Stance.objects.get(revision_of=other)
    assert proposal.summary == loaded.summary and proposal.status == models.Status.DRAFT
    assert proposal.citations.count() == other.citations.count()


def test_the_guard_refuses_a_curator_on_every_other_route(curator_user, dataset):
    stance = a_published_stance()
    demand = models.Demand.objects.published().first()
    response = models.Response.objects.published().first()
    source = stance.citations.first().source
    other_issue = models.Issue.objects.exclude(demands=demand).first()
    new_claim = models.Stance.objects.get(pk=stance.pk)
    new_claim.pk, new_claim.status, new_claim.talk_round = None, models.Status.PUBLISHED, None
    new_claim.issue = models.Issue.objects.exclude(stances__actor=new_claim.actor).first()
    stance.summary = "Sneaked in."
    routes = [
        stance.save,
        lambda: models.Citation.objects.create(
            source=source, quote="x", start=0, end=1, stance=stance
        ),
        lambda: stance.citations.first().delete(),
        lambda: demand.issues.add(other_issue),
        lambda: response.answers.clear(),
        lambda: models.Stance.objects.filter(pk=stance.pk).delete(),
        new_claim.save,  # a new claim saved as published
    ]
    with review.acting_as(curator_user):
        for route in routes:
            with pytest.raises(PermissionDenied), transaction.atomic():
                route()
    assert models.Stance.objects.get(pk=stance.pk).summary != "Sneaked in."


# --------------------------------------------------------------------------- editors decide


def test_the_queue_shows_quotes_in_context_and_the_change_and_an_editor_approves(
    client, curator_user, editor_user, dataset, django_capture_on_commit_callbacks
):
    stance = a_published_stance()
    before = stance.summary
    client.force_login(curator_user)
    client.post(
        reverse("admin:positions_stance_change", args=[stance.pk]),
        change_data(stance, summary="A sharper reading."),
    )
    proposal = models.Stance.objects.get(revision_of=stance)
    citation = proposal.citations.first()
    text = citation.source.text

    queue = client.get(reverse("admin:review")).content.decode()
    item = queue.split(f'id="stance-{proposal.pk}"', 1)[1].split("</article>", 1)[0]
    assert f"<del>{escape(before)}</del>" in item and "<ins>A sharper reading.</ins>" in item
    quote = escape(text[citation.start : citation.end])
    context_before = escape(text[max(0, citation.start - 40) : citation.start].split(" ", 1)[-1])
    assert f"<mark>{quote}</mark>" in item and context_before in item
    assert "Approve change" not in item  # a curator sees the queue but cannot decide

    client.force_login(editor_user)
    version = models.DatasetVersion.current()
    item = client.get(reverse("admin:review")).content.decode()
    assert "Approve change" in item
    approve = reverse("admin:review-decide", args=["stance", proposal.pk, "approve"])
    with django_capture_on_commit_callbacks(execute=True):  # the version moves on commit
        page = client.post(approve, follow=True).content.decode()
    assert "Approved and published" in page
    stance.refresh_from_db()
    assert stance.summary == "A sharper reading." and stance.status == models.Status.PUBLISHED
    assert stance.reviewed_by == editor_user
    assert not models.Stance.objects.filter(revision_of=stance).exists()
    assert models.DatasetVersion.current() > version
    latest = stance.history.first()
    assert latest.history_user == editor_user
    assert latest.history_change_reason == "approved the change proposed by curator"
    client.logout()
    assert escape("A sharper reading.") in public_claims(client, stance)


def test_an_editor_sends_back_with_a_reason_and_the_curator_resubmits(
    client, curator_user, editor_user, dataset
):
    client.force_login(curator_user)
    client.post(
        reverse("admin:positions_stance_add"),
        stance_form(models.Source.objects.get(slug="way-out-of-impasse"), RIGHT),
    )
    draft = models.Stance.objects.get(summary__startswith="Russia is open to separate")
    client.force_login(editor_user)
    decide = reverse("admin:review-decide", args=["stance", draft.pk, "send-back"])
    page = client.post(decide, {"reason": ""}, follow=True).content.decode()
    assert "Say why it is sent back" in page
    client.post(decide, {"reason": "Which round is this?"})
    draft.refresh_from_db()
    assert draft.status == models.Status.RETURNED and draft.review_note == "Which round is this?"
    assert (
        draft.history.first().status == models.Status.RETURNED
    )  # a recorded save, not an update()
    assert draft.history.first().history_change_reason == "sent back: Which round is this?"
    queue = client.get(reverse("admin:review")).content.decode()
    returned = queue.split('id="returned"', 1)[1]
    assert "Which round is this?" in returned

    client.force_login(curator_user)
    page = client.post(
        reverse("admin:positions_stance_change", args=[draft.pk]),
        change_data(draft, summary=draft.summary + " At Geneva."),
        follow=True,
    ).content.decode()
    assert "resubmitted for review" in page
    draft.refresh_from_db()
    assert draft.status == models.Status.DRAFT


def test_the_send_back_action_is_a_recorded_save_with_its_reason(client, editor_user, dataset):
    client.force_login(editor_user)
    stance = a_published_stance()
    client.post(
        reverse("admin:positions_stance_changelist"),
        {"action": "send_back", "_selected_action": [stance.pk], "reason": "Quote too short"},
    )
    stance.refresh_from_db()
    record = stance.history.first()
    assert stance.status == models.Status.RETURNED and record.status == models.Status.RETURNED
    assert record.history_user == editor_user and stance.review_note == "Quote too short"


# --------------------------------------------------------------------------- evidence in history


def test_citation_and_link_changes_appear_in_the_claims_history(client, editor_user, dataset):
    client.force_login(editor_user)
    stance = a_published_stance()
    source = models.Source.objects.get(slug="way-out-of-impasse")
    data = change_data(stance, status=stance.status)
    n = int(data["citations-TOTAL_FORMS"])
    data.update(
        {
            "citations-TOTAL_FORMS": str(n + 1),
            f"citations-{n}-source": source.pk,
            f"citations-{n}-quote": RIGHT,
            f"citations-{n}-prefix": "",
            f"citations-{n}-suffix": "",
            f"citations-{n}-order": "5",
        }
    )
    versions = stance.history.count()
    client.post(reverse("admin:positions_stance_change", args=[stance.pk]), data)
    assert stance.history.count() == versions + 1  # one save, one version
    latest, previous = stance.history.all()[:2]
    assert [c.field for c in latest.diff_against(previous).changes] == ["evidence"]
    assert RIGHT in latest.evidence and RIGHT not in previous.evidence
    history_page = client.get(
        reverse("admin:positions_stance_history", args=[stance.pk])
    ).content.decode()
    assert escape(RIGHT) in history_page

    # A link changed outside the admin (the shell) is a version too.
    demand = models.Demand.objects.published().first()
    issue = models.Issue.objects.exclude(demands=demand).first()
    demand.issues.add(issue)
    record = demand.history.first()
    assert issue.slug in record.evidence and record.history_change_reason == "links changed"
    response = models.Response.objects.published().filter(answers__isnull=False).first()
    answered = response.answers.first()
    response.answers.remove(answered)
    assert answered.slug not in response.history.first().evidence


# --------------------------------------------------------------------------- sources


def test_a_cited_sources_text_cannot_change_by_upload_or_revert(client, editor_user, dataset):
    client.force_login(editor_user)
    source = models.Source.objects.get(slug="trenin-week-of-talks")
    text, digest = source.text, source.sha256
    url = reverse("admin:positions_source_change", args=[source.pk])
    assert 'name="upload"' not in client.get(url).content.decode()  # not offered
    form = {
        "slug": source.slug,
        "title": source.title,
        "kind": source.kind,
        "date_precision": source.date_precision,
        "published_on": source.published_on or "",
        "upload": SimpleUploadedFile("new.txt", b"Another text entirely."),
    }
    page = client.post(url, form).content.decode()
    assert "its text is fixed" in page
    # An (uncited) earlier version with other text, reverted to through the history page.
    with review.acting_as(None):
        models.Source.objects.filter(pk=source.pk).update(title="x")  # no history: set up only
    record = source.history.first()
    record.text = "Once upon a time."
    record.save()
    revert = reverse("admin:positions_source_simple_history", args=[source.pk, record.history_id])
    page = client.post(revert, {**form, "upload": ""}).content.decode()
    assert "its text is fixed" in page
    source.refresh_from_db()
    assert source.text == text and source.sha256 == digest
    call_command("check_citations", verbosity=0)


def test_an_uncited_sources_text_is_edited_and_its_hash_follows(client, editor_user, dataset):
    client.force_login(editor_user)
    source = models.Source.objects.create(
        slug="fresh",
        title="Fresh",
        kind="transcript",
        file_name="fresh.txt",
        text="One.",
        sha256="",
    )
    response = client.post(
        reverse("admin:positions_source_change", args=[source.pk]),
        {
            "slug": "fresh",
            "title": "Fresh",
            "kind": "transcript",
            "date_precision": "unknown",
            "file_name": "fresh.txt",
            "text": "Two.",
        },
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.text == "Two." and source.sha256 == review_sha("Two.")


def test_a_text_edit_to_a_source_cited_meanwhile_is_refused_out_loud(client, editor_user, dataset):
    client.force_login(editor_user)
    source = models.Source.objects.create(
        slug="fresh", title="Fresh", kind="transcript", file_name="fresh.txt", text="One."
    )
    form = {  # the form as it was opened, while the source was not cited: its text editable
        "slug": "fresh",
        "title": "Fresh",
        "kind": "transcript",
        "date_precision": "unknown",
        "file_name": "fresh.txt",
        "text": "Two.",
    }
    round_ = models.TalkRound.objects.first()
    models.Citation.objects.create(source=source, quote="One", start=0, end=3, talk_round=round_)
    response = client.post(reverse("admin:positions_source_change", args=[source.pk]), form)
    assert response.status_code == 200
    assert "It was cited while you edited it." in response.content.decode()
    source.refresh_from_db()
    assert source.text == "One."


def review_sha(text):
    from positions.citations import sha256_text

    return sha256_text(text)


def test_an_upload_is_kept_after_an_error_and_date_errors_sit_beside_their_field(
    client, editor_user, dataset
):
    client.force_login(editor_user)
    page = client.post(
        reverse("admin:positions_source_add"),
        {
            "slug": "kept",
            "title": "",
            "kind": "news_report",
            "date_precision": "day",
            "published_on": "",
            "upload": SimpleUploadedFile("a.txt", "Uploaded words — kept.".encode()),
        },
    ).content.decode()
    assert "Uploaded words — kept.</textarea>" in page
    field = re.search(r'<div class="[^"]*field-date_precision.*?</div>\s*</div>', page, re.S)
    assert field and "Give a date with its precision" in field.group(0)


# --------------------------------------------------------------------------- citing


def test_select_to_cite_prefills_the_citation_and_offers_no_delete_beside_the_source(
    curator, dataset
):
    page = curator.get(
        reverse("admin:positions_stance_add"),
        {"cite_source": "way-out-of-impasse", "cite_quote": RIGHT, "cite_prefix": "Moscow"},
    ).content.decode()
    source = models.Source.objects.get(slug="way-out-of-impasse")
    assert re.search(rf'<option value="{source.pk}" selected>', page)
    assert f"{escape(RIGHT)}</textarea>" in page
    assert 'name="citations-0-prefix" value="Moscow"' in page
    assert "delete_id_citations-0-source" not in page
    assert "change_id_citations-0-source" in page  # the wrapper is still there


def test_a_responses_text_comes_before_its_short_slug_and_sources_may_be_transcripts(
    curator, dataset
):
    page = curator.get(reverse("admin:positions_response_add")).content.decode()
    assert page.index('name="text"') < page.index('name="slug"')
    assert re.search(r'<input[^>]*name="slug"[^>]*maxlength="40"', page)
    assert (
        '<option value="transcript">'
        in curator.get(reverse("admin:positions_source_add")).content.decode()
    )
    demand = max(models.Demand.objects.published(), key=lambda d: len(d.text))
    assert len(demand.text) > 80
    label = curator.get(
        reverse("admin:autocomplete"),
        {
            "term": demand.slug,
            "app_label": "positions",
            "model_name": "response",
            "field_name": "answers",
        },
    ).json()
    assert any(r["text"].endswith(demand.text) for r in label["results"])  # never cut short


def test_public_counts_leave_out_drafts(client):
    from tests.factories import cite, make_world

    world = make_world(1)
    source = world["source"]
    draft = models.Stance.objects.create(
        actor=world["parties"][0],
        issue=world["parent"],
        code="open",
        summary="A draft reading.",
        attribution="reported",
        status=models.Status.DRAFT,
    )
    quote = "Passage 0: party 0 says its piece on issue 0."
    for _ in range(3):
        cite(source, quote, stance=draft)
    public = models.Citation.objects.published().count()
    assert public == models.Citation.objects.count() - 3
    listing = client.get(reverse("positions:sources")).content.decode()
    row = listing.split(source.get_absolute_url(), 1)[1].split("</tr>", 1)[0]
    assert row.endswith(f"<td>{public}</td>")
    about = client.get(reverse("positions:home")).content.decode()
    assert f"<strong>{public}</strong> verbatim citations" in about
    assert f"{public} citation{'s' if public != 1 else ''} ·" in about


def add_source(client, **fields):
    data = {
        "slug": "pasted",
        "title": "A pasted article",
        "kind": "news_report",
        "date_precision": "unknown",
        "published_on": "",
        **fields,
    }
    return client.post(reverse("admin:positions_source_add"), data, follow=True)


FILE_TEXT = "First line of the article.\nSecond line, and the last.\n"


def test_a_pasted_text_is_stored_as_the_file_is(client, editor_user, dataset):
    client.force_login(editor_user)
    # A browser sends a textarea's lines with Windows line endings.
    add_source(client, text=FILE_TEXT.replace("\n", "\r\n"))
    source = models.Source.objects.get(slug="pasted")
    assert source.text == FILE_TEXT  # "\n" line ends, the final newline kept
    assert source.sha256 == review_sha(FILE_TEXT)


def test_a_paste_and_an_upload_both_given_keeps_the_file_and_says_so(client, editor_user, dataset):
    client.force_login(editor_user)
    upload = SimpleUploadedFile("a.txt", FILE_TEXT.encode())
    differs = add_source(client, text="First line of the article.\r\nAnother line.", upload=upload)
    assert models.Source.objects.get(slug="pasted").text == FILE_TEXT
    said = [str(m) for m in differs.context["messages"]]
    assert any("the file's text was saved" in m and "first at line 2" in m for m in said), said
    upload = SimpleUploadedFile("b.txt", FILE_TEXT.encode())
    same = add_source(client, slug="pasted-again", text=FILE_TEXT, upload=upload)
    said = [str(m) for m in same.context["messages"]]
    assert any("the pasted text was the same" in m for m in said), said


def test_the_queue_shows_the_whole_claim(client, curator_user, editor_user, dataset):
    """What the editor judges without opening the claim: who, where, on what, how sure, the note;
    for a response what it answers."""
    stance = models.Stance.objects.published().filter(talk_round__isnull=False).first()
    response = models.Response.objects.published().filter(answers__isnull=False).first()
    models.Stance.objects.filter(pk=stance.pk).update(status=models.Status.DRAFT, note="Check it.")
    models.Response.objects.filter(pk=response.pk).update(status=models.Status.DRAFT)
    client.force_login(editor_user)
    queue = client.get(reverse("admin:review")).content.decode()
    item = queue.split(f'id="stance-{stance.pk}"', 1)[1].split("</article>", 1)[0]
    for label, value in [
        ("By", stance.actor.name),
        ("Round", stance.talk_round.title),
        ("Proposition", stance.issue.title),
        ("Stance", stance.get_code_display()),
        ("Summary", stance.summary),
        ("Attribution", stance.get_attribution_display()),
        ("Confidence", stance.get_confidence_display()),
        ("Note", "Check it."),
    ]:
        assert f"<dt>{label}</dt><dd>{escape(value)}" in item, label
    item = queue.split(f'id="response-{response.pk}"', 1)[1].split("</article>", 1)[0]
    answered = response.answers.first()
    assert f"<dt>Answers</dt><dd>{escape(str(answered))}" in item
    assert f"<dt>Kind</dt><dd>{escape(response.get_kind_display())}</dd>" in item


def test_a_draft_is_previewed_by_staff_only_as_its_public_page_would_look(
    client, curator_user, dataset
):
    stance = models.Stance.objects.published().first()
    demand = models.Demand.objects.published().first()
    models.Stance.objects.filter(pk=stance.pk).update(status=models.Status.DRAFT)
    models.Demand.objects.filter(pk=demand.pk).update(status=models.Status.DRAFT)
    for claim in (stance, demand):
        assert client.get(claim.get_absolute_url()).status_code == 404  # the public: nothing
    client.force_login(curator_user)
    for claim in (stance, demand):
        page = client.get(claim.get_absolute_url())
        assert page.status_code == 200
        text = page.content.decode()
        assert "Preview, for staff only:</strong> this claim is draft" in text
        assert escape(claim.actor.name) in text
    published = models.Stance.objects.published().first()
    assert (
        "Preview, for staff only" not in client.get(published.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("button", [{}, {"_continue": "Save and continue editing"}])
def test_a_curators_save_of_a_published_claim_says_one_thing(client, curator_user, dataset, button):
    stance = a_published_stance()
    client.force_login(curator_user)
    response = client.post(
        reverse("admin:positions_stance_change", args=[stance.pk]),
        {**change_data(stance, summary="A sharper reading."), **button},
        follow=True,
    )
    said = [str(m) for m in response.context["messages"]]
    assert len(said) == 1, said
    assert "saved as a proposed change awaiting an editor's review" in said[0]
    proposal = models.Stance.objects.get(revision_of=stance)
    if button:  # on the proposed change's own form, not the published claim's
        assert response.redirect_chain[-1][0].endswith(
            reverse("admin:positions_stance_change", args=[proposal.pk])
        )


def test_a_curators_new_claim_says_one_thing(client, curator_user, dataset):
    client.force_login(curator_user)
    stance = a_published_stance()
    models.Stance.objects.filter(pk=stance.pk).delete()
    data = change_data(stance, summary="New.")
    response = client.post(reverse("admin:positions_stance_add"), data, follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert said == ["Saved as a draft: it is not public until an editor approves it."], said


def test_the_admin_home_shows_what_was_sent_back_first(client, curator_user, editor_user, dataset):
    draft = a_published_stance()
    models.Stance.objects.filter(pk=draft.pk).update(status=models.Status.DRAFT)
    client.force_login(editor_user)
    client.post(
        reverse("admin:review-decide", args=["stance", draft.pk, "send-back"]),
        {"reason": "Cite the Geneva passage too.", "version": draft.version},
    )
    assert models.Stance.objects.get(pk=draft.pk).status == models.Status.RETURNED
    client.force_login(curator_user)
    home = client.get(reverse("admin:index")).content.decode()
    sent_back = home.index("Sent back for changes (1)")
    assert sent_back < home.index("<h2>Review</h2>")
    change = reverse("admin:positions_stance_change", args=[draft.pk])
    assert f'<a href="{change}">' in home and "Cite the Geneva passage too." in home


ROUND_ADD = "admin:positions_talkround_add"


def round_form(client, **changes):
    """What the add form of a round posts, with ``changes``."""
    from tests.admin_forms import form_data

    defaults = {"title": "Another round", "format": "bilateral", "date_precision": "unknown"}
    return form_data(client.get(reverse(ROUND_ADD)), **{**defaults, **changes})


def test_a_taken_place_among_the_rounds_names_its_round_and_the_next_free_one(
    client, editor_user, dataset
):
    client.force_login(editor_user)
    add = reverse(ROUND_ADD)
    data = round_form(client, slug="another-round", order=3)
    page = client.post(add, data).content.decode()
    holder = models.TalkRound.objects.get(order=3)
    last = max(models.TalkRound.objects.values_list("order", flat=True))
    assert escape(f"Place 3 is “{holder.title}”'s.") in page
    assert f"after the last round, {last + 1}" in page
    assert not models.TalkRound.objects.filter(slug="another-round").exists()


def test_a_new_records_slug_is_short_and_an_old_long_one_is_kept(client, editor_user, dataset):
    client.force_login(editor_user)
    page = client.get(reverse("admin:positions_demand_add")).content.decode()
    assert "&quot;maxLength&quot;: 40" in page  # what the slug made from the text is cut to
    assert 'maxlength="40"' in page
    source_page = client.get(reverse("admin:positions_source_add")).content.decode()
    assert "&quot;maxLength&quot;: 60" in source_page
    response = add_source(client, slug="s" * 61, text="A text.\n")
    assert "Ensure this value has at most 60 characters" in response.content.decode()
    assert not models.Source.objects.filter(slug="s" * 61).exists()
    # A record that has a longer slug keeps it when it is edited.
    source = models.Source.objects.first()
    models.Source.objects.filter(pk=source.pk).update(slug="x" * 80)
    change = client.get(reverse("admin:positions_source_change", args=[source.pk])).content.decode()
    assert 'maxlength="60"' not in change


def test_a_round_placed_after_another_moves_the_later_ones_down(client, editor_user, dataset):
    before = list(models.TalkRound.objects.order_by("order").values_list("slug", flat=True))
    geneva = models.TalkRound.objects.get(slug="geneva-talks-2022")
    client.force_login(editor_user)
    add = reverse(ROUND_ADD)
    data = round_form(client, slug="between-round", order="", place_after=geneva.pk)
    response = client.post(add, data)
    assert response.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S
    )
    after = list(models.TalkRound.objects.order_by("order").values_list("slug", flat=True))
    at = before.index("geneva-talks-2022") + 1
    assert after == [*before[:at], "between-round", *before[at:]]
    orders = list(models.TalkRound.objects.order_by("order").values_list("order", flat=True))
    assert len(set(orders)) == len(orders)
    page = client.post(add, {**data, "slug": "no-place", "place_after": ""}).content.decode()
    assert "Give its place, or choose the round it comes after." in page
