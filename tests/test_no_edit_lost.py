"""No edit lost, no claim removed unreviewed, no load that overwrites curators' work: each through
the admin's real forms or the command line."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from positions.curation import review
from positions.models import Citation, Demand, Issue, Source, Stance, Status
from tests.admin_forms import form_data
from tests.conftest import make_user
from tests.test_admin import stance_form
from tests.test_review import a_published_stance, change_data, public_claims

pytestmark = pytest.mark.django_db

RLO = "\u202e"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(editor_user):
    return signed_in(editor_user)


def change_url(claim):
    return reverse(f"admin:positions_{claim._meta.model_name}_change", args=[claim.pk])


def edit_token(client, claim):
    """The version the change form was opened at, as the browser would post it back."""
    page = client.get(change_url(claim))
    assert page.status_code == 200
    match = re.search(r'name="edit_token" value="([^"]+)"', page.content.decode())
    assert match, "the change form carries no edit token"
    return match.group(1)


def a_draft(curator):
    """A never-published stance a curator made in the admin."""
    from tests.test_admin import RIGHT

    source = Source.objects.get(slug="way-out-of-impasse")
    curator.post(reverse("admin:positions_stance_add"), stance_form(source, RIGHT))
    return Stance.objects.get(summary="Russia is open to separate strategic arms talks.")


# --------------------------------------------------------------------------- no deletion by curators


def test_a_curator_cannot_delete_a_published_claim_by_its_delete_page(curator, dataset):
    stance = a_published_stance()
    url = reverse("admin:positions_stance_delete", args=[stance.pk])
    assert curator.get(url).status_code == 403
    assert curator.post(url, {"post": "yes"}).status_code == 403
    assert Stance.objects.filter(pk=stance.pk, status=Status.PUBLISHED).exists()
    page = curator.get(change_url(stance)).content.decode()
    assert 'class="deletelink"' not in page


def test_a_curator_cannot_bulk_delete_a_published_demand(curator, dataset):
    demand = Demand.objects.published().first()
    listing = reverse("admin:positions_demand_changelist")
    action = {"action": "delete_selected", "_selected_action": [demand.pk]}
    confirm = curator.post(listing, action).content.decode()
    assert "your account doesn't have permission to delete the following" in confirm
    assert curator.post(listing, {**action, "post": "yes"}).status_code == 403
    assert Demand.objects.filter(pk=demand.pk, status=Status.PUBLISHED).exists()


def test_a_curator_deletes_a_draft_that_was_never_public_but_not_one_that_was(
    curator, editor_user, dataset
):
    draft = a_draft(curator)
    assert curator.post(
        reverse("admin:positions_stance_delete", args=[draft.pk]), {"post": "yes"}
    ).status_code in (302, 200)
    assert not Stance.objects.filter(pk=draft.pk).exists()

    # Published once, then sent back to draft by an editor: it has been public, so it stays.
    draft = a_draft(curator)
    review.approve(draft, editor_user)
    draft.refresh_from_db()
    review.mark(draft, editor_user, Status.DRAFT, "unpublished")
    url = reverse("admin:positions_stance_delete", args=[draft.pk])
    assert curator.post(url, {"post": "yes"}).status_code == 403
    assert Stance.objects.filter(pk=draft.pk).exists()


# --------------------------------------------------------------------------- withdrawal, reviewed


def test_a_curator_proposes_a_withdrawal_and_an_editor_approves_it(curator, editor, dataset):
    stance = a_published_stance()
    listing = reverse("admin:positions_stance_changelist")
    curator.post(
        listing,
        {"action": "withdraw", "_selected_action": [stance.pk], "reason": "Misread the source."},
    )
    stance.refresh_from_db()
    assert stance.status == Status.PUBLISHED  # still public until an editor decides
    proposal = Stance.objects.get(revision_of=stance)
    assert proposal.proposes_withdrawal and proposal.withdrawal_reason == "Misread the source."
    visitor = Client()
    assert visitor.get(stance.get_absolute_url()).status_code == 200

    queue = editor.get(reverse("admin:review")).content.decode()
    assert "Proposed withdrawal" in queue and "Misread the source." in queue
    editor.post(
        reverse("admin:review-decide", args=["stance", proposal.pk, "approve"]),
        {"version": proposal.version},
    )
    stance.refresh_from_db()
    assert stance.status == Status.WITHDRAWN
    assert stance.withdrawal_reason == "Misread the source."
    assert not Stance.objects.filter(revision_of=stance).exists()
    assert visitor.get(stance.get_absolute_url()).status_code == 404
    assert escape(stance.summary) not in public_claims(visitor, stance)
    latest = stance.history.first()
    assert latest.status == Status.WITHDRAWN
    assert latest.history_change_reason == "approved the withdrawal proposed by curator"
    assert stance.history.filter(status=Status.PUBLISHED).exists()  # it stays in history


def test_a_withdrawal_needs_a_reason_and_only_an_editor_withdraws_directly(
    curator, editor, curator_user, dataset
):
    stance = a_published_stance()
    listing = reverse("admin:positions_stance_changelist")
    page = curator.post(
        listing, {"action": "withdraw", "_selected_action": [stance.pk], "reason": ""}, follow=True
    )
    assert "Say why the claim should be withdrawn" in page.content.decode()
    assert not Stance.objects.filter(revision_of=stance).exists()
    with pytest.raises(review.PermissionDenied):
        review.withdraw(stance, curator_user, "no")

    editor.post(
        listing, {"action": "withdraw", "_selected_action": [stance.pk], "reason": "Duplicate."}
    )
    stance.refresh_from_db()
    assert stance.status == Status.WITHDRAWN and stance.withdrawal_reason == "Duplicate."


# --------------------------------------------------------------------------- a cited text is fixed


def test_the_database_refuses_to_change_a_cited_sources_text(dataset):
    cited = Source.objects.filter(citations__isnull=False).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.filter(pk=cited.pk).update(text=cited.text + " and more")
    assert Source.objects.get(pk=cited.pk).text == cited.text
    Source.objects.filter(pk=cited.pk).update(title="A new title")  # the rest may change
    uncited = Source.objects.create(slug="notes", title="Notes", text="first", file_name="n.txt")
    Source.objects.filter(pk=uncited.pk).update(text="second")
    assert Source.objects.get(pk=uncited.pk).text == "second"


# --------------------------------------------------------------------------- lost updates


def test_two_curators_editing_one_draft_the_second_gets_a_conflict_and_nothing_is_lost(
    curator, curator_user, dataset
):
    draft = a_draft(curator)
    other = signed_in(make_user("curator2", "Curator"))
    first_token, second_token = edit_token(curator, draft), edit_token(other, draft)
    assert first_token == second_token

    curator.post(change_url(draft), change_data(draft, summary="First.", edit_token=first_token))
    draft.refresh_from_db()
    assert draft.summary == "First."

    page = other.post(
        change_url(draft), change_data(draft, summary="Second.", edit_token=second_token)
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Edit conflict: saved meanwhile by curator" in html
    assert "First." in html and "Second." in html  # both versions shown
    assert "Russia is open to separate strategic arms talks." in html  # as it was when opened
    draft.refresh_from_db()
    assert draft.summary == "First."  # the first edit is kept

    # Saving again, from the conflict page, is a deliberate choice and goes through.
    token = re.search(r'name="edit_token" value="([^"]+)"', html).group(1)
    assert token != second_token
    other.post(change_url(draft), change_data(draft, summary="Second.", edit_token=token))
    draft.refresh_from_db()
    assert draft.summary == "Second."


def test_a_stale_editor_form_does_not_republish_a_claim_sent_back_meanwhile(
    editor, editor_user, curator, dataset
):
    draft = a_draft(curator)
    token = edit_token(editor, draft)
    review.send_back(draft, make_user("editor2", "Editor"), "Check the quote.")
    page = editor.post(
        change_url(draft), change_data(draft, status=Status.PUBLISHED, edit_token=token)
    )
    assert "Edit conflict" in page.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.RETURNED


def test_a_second_proposal_to_a_published_claim_does_not_replace_the_first_silently(
    curator, dataset
):
    stance = a_published_stance()
    other = signed_in(make_user("curator2", "Curator"))
    first_token, second_token = edit_token(curator, stance), edit_token(other, stance)
    curator.post(
        change_url(stance), change_data(stance, summary="Proposal one.", edit_token=first_token)
    )
    page = other.post(
        change_url(stance), change_data(stance, summary="Proposal two.", edit_token=second_token)
    )
    assert "Edit conflict" in page.content.decode()
    assert Stance.objects.get(revision_of=stance).summary == "Proposal one."


def test_a_decision_from_a_stale_queue_is_not_taken(curator, editor, dataset):
    draft = a_draft(curator)
    version = draft.version
    curator.post(change_url(draft), change_data(draft, summary="Reworded."))
    editor.post(
        reverse("admin:review-decide", args=["stance", draft.pk, "approve"]), {"version": version}
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


# --------------------------------------------------------------------------- the loader


def test_the_loader_refuses_to_overwrite_admin_changes_unless_forced(curator, dataset, tmp_path):
    stance = a_published_stance()
    curator.post(change_url(stance), change_data(stance, summary="Kept, not overwritten."))
    draft = a_draft(curator)
    with pytest.raises(CommandError) as refused:
        call_command("load_dataset", verbosity=0)
    message = str(refused.value)
    assert "changes made in the admin since the last load or export" in message
    assert "by curator" in message and "export_dataset" in message and "--force" in message
    assert f"stance russia / {draft.issue.slug}: added by curator" in message
    assert Stance.objects.filter(pk=draft.pk).exists()
    assert Stance.objects.get(revision_of=stance).summary == "Kept, not overwritten."

    # Exported, the changes are in the fixtures: loading them again keeps them.
    call_command("export_dataset", out=str(tmp_path), verbosity=0)
    call_command(
        "load_dataset",
        fixtures=str(tmp_path / "fixtures"),
        seeds=str(tmp_path / "seeds"),
        verbosity=0,
    )
    assert Stance.objects.filter(pk=draft.pk, status=Status.DRAFT).exists()

    # --force overwrites, as documented: with --prune, the draft the fixtures lack goes too.
    curator.post(change_url(draft), change_data(draft, summary="Changed again."))
    with pytest.raises(CommandError):
        call_command("load_dataset", verbosity=0)
    call_command("load_dataset", "--force", "--prune", verbosity=0)
    assert not Stance.objects.filter(pk=draft.pk).exists()


# --------------------------------------------------------------------------- invisible characters


def test_an_invisible_control_character_in_a_quote_or_summary_is_refused_and_named(
    curator, dataset
):
    from tests.test_admin import RIGHT

    source = Source.objects.get(slug="way-out-of-impasse")
    data = stance_form(source, RIGHT, summary=f"Russia {RLO}stpecca talks.")
    page = curator.post(reverse("admin:positions_stance_add"), data).content.decode()
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in page and "after “Russia”" in page
    assert RLO not in page.split('class="errorlist')[1][:300]  # named, not printed raw
    assert not Stance.objects.filter(summary__contains=RLO).exists()


def test_a_source_upload_with_an_invisible_control_character_is_refused(curator, dataset):
    upload = SimpleUploadedFile("new.txt", f"Plain text{RLO} reversed.".encode())
    page = curator.post(
        reverse("admin:positions_source_add"),
        {
            "slug": "new-source",
            "title": "New source",
            "kind": "article",
            "date_precision": "unknown",
            "upload": upload,
            "file_name": "new.txt",
        },
    ).content.decode()
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in page
    assert not Source.objects.filter(slug="new-source").exists()


def test_the_loader_refuses_an_invisible_control_character_naming_file_record_and_field(
    dataset_dirs,
):
    from positions.dataset.fixtures import DatasetError
    from positions.dataset.write import load_dataset

    fixtures, seeds = dataset_dirs
    path = fixtures / "actors.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: Russia", f"name: Rus{RLO}sia", 1), encoding="utf-8")
    with pytest.raises(DatasetError) as refused:
        load_dataset(fixtures, seeds, log=lambda m: None)
    assert "actors.yaml, record" in str(refused.value)
    assert "field name: contains an invisible control character, U+202E" in str(refused.value)


def test_a_revert_never_brings_back_a_version_a_stale_form_could_match(dataset):
    stance = Stance.objects.published().filter(version=1).first()
    stance.summary = "Read again."
    stance.save()
    seen = stance.version  # a change form opened now carries this version
    stance.history.order_by("history_date").first().instance.save()  # History: revert
    stance.refresh_from_db()
    assert stance.summary != "Read again." and stance.version > seen


# --------------------------------------------------------------------------- every curated record


REFERENCE = [
    ("actor", "russia", "description"),
    ("issue", "nato-enlargement", "description"),
    ("talkround", "geneva-talks-2022", "outcome"),
    ("source", "trenin-week-of-talks", "metadata_note"),
]


@pytest.mark.parametrize("model_name, slug, field", REFERENCE)
def test_two_curators_editing_one_record_the_second_gets_a_conflict(
    curator, model_name, slug, field, dataset
):
    from django.apps import apps

    model = apps.get_model("positions", model_name)
    record = model.objects.get(slug=slug)
    url = reverse(f"admin:positions_{model_name}_change", args=[record.pk])
    other = signed_in(make_user("curator2", "Curator"))
    first, second = curator.get(url), other.get(url)
    saved = curator.post(url, form_data(first, **{field: "The first curator's words."}))
    assert saved.status_code == 302
    page = other.post(url, form_data(second, **{field: "The second curator's words."}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Edit conflict: saved meanwhile by curator" in html
    assert "The first curator&#x27;s words." in html and "The second curator&#x27;s words." in html
    assert getattr(model.objects.get(pk=record.pk), field) == "The first curator's words."
    # Saving again from the conflict page is deliberate, and goes through.
    token = re.search(r'name="edit_token" value="([^"]+)"', html).group(1)
    data = form_data(second, **{field: "The second curator's words.", "edit_token": token})
    assert other.post(url, data).status_code == 302
    assert getattr(model.objects.get(pk=record.pk), field) == "The second curator's words."


def test_a_proposal_approved_while_its_curator_edits_it_comes_back_as_a_conflict(
    curator, editor, dataset
):
    stance = a_published_stance()
    curator.post(change_url(stance), change_data(stance, summary="First proposal."))
    proposal = Stance.objects.get(revision_of=stance)
    opened = curator.get(change_url(proposal))
    approve = reverse("admin:review-decide", args=["stance", proposal.pk, "approve"])
    editor.post(approve, {"version": proposal.version})
    assert not Stance.objects.filter(pk=proposal.pk).exists()

    page = curator.post(change_url(proposal), form_data(opened, summary="Second thoughts."))
    assert page.status_code == 200  # not a redirect to the admin's home: "doesn't exist"
    html = page.content.decode()
    assert "was decided meanwhile" in html and "Edit conflict" in html
    assert "Second thoughts." in html  # what the curator typed is kept
    assert f'action="{change_url(stance)}"' in html  # saving again goes to the claim itself
    stance.refresh_from_db()
    assert stance.summary == "First proposal." and not stance.revisions.exists()
    token = re.search(r'name="edit_token" value="([^"]+)"', html).group(1)
    again = form_data(opened, summary="Second thoughts.", edit_token=token)
    for key in [k for k in again if k.startswith("citations-") and k.endswith("-stance")]:
        again[key] = stance.pk
    assert curator.post(change_url(stance), again).status_code == 302
    assert Stance.objects.get(revision_of=stance).summary == "Second thoughts."


def history_form_url(claim, record):
    name = claim._meta.model_name
    return reverse(f"admin:positions_{name}_simple_history", args=[claim.pk, record.history_id])


def test_a_revert_over_a_proposal_made_meanwhile_is_a_conflict(curator, dataset):
    stance = a_published_stance()
    curator.post(change_url(stance), change_data(stance, summary="A reading to revert to."))
    Stance.objects.get(revision_of=stance).delete()
    record = stance.history.first()
    url = history_form_url(stance, record)
    other = signed_in(make_user("curator2", "Curator"))
    opened = other.get(url)
    assert 'name="edit_token"' in opened.content.decode()  # the revert form carries it
    curator.post(change_url(stance), change_data(stance, summary="Proposed meanwhile."))
    page = other.post(url, form_data(opened))
    assert "Edit conflict" in page.content.decode()
    assert Stance.objects.get(revision_of=stance).summary == "Proposed meanwhile."


def test_a_withdrawal_never_replaces_another_curators_pending_change(curator, dataset):
    stance = a_published_stance()
    curator.post(change_url(stance), change_data(stance, summary="Pending change."))
    other = signed_in(make_user("curator2", "Curator"))
    page = other.post(
        reverse("admin:positions_stance_changelist"),
        {"action": "withdraw", "_selected_action": [stance.pk], "reason": "Misread."},
        follow=True,
    ).content.decode()
    assert "Not proposed for withdrawal" in page and "change proposed by curator" in page
    proposal = Stance.objects.get(revision_of=stance)
    assert proposal.summary == "Pending change." and not proposal.withdrawal_reason


def test_a_bulk_decision_on_a_claim_changed_after_the_list_was_loaded_is_not_taken(
    curator, editor, dataset
):
    draft = a_draft(curator)
    changelist = editor.get(reverse("admin:positions_stance_changelist")).content.decode()
    seen = re.search(r'name="seen" value="([^"]+)"', changelist).group(1)
    curator.post(change_url(draft), change_data(draft, summary="Reworded after the list."))
    page = editor.post(
        reverse("admin:positions_stance_changelist"),
        {"action": "publish", "_selected_action": [draft.pk], "seen": seen},
        follow=True,
    ).content.decode()
    assert "changed after you loaded this list" in page
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


# --------------------------------------------------------------------------- colliding claims


def test_a_duplicate_stance_saved_as_new_is_the_forms_message_naming_the_existing_one(
    editor, dataset
):
    stance = a_published_stance()
    opened = editor.get(change_url(stance))
    data = form_data(opened, _saveasnew="Save as new")
    page = editor.post(change_url(stance), data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "already has a stance on this issue" in html
    assert f"href='{change_url(stance)}'" in html  # the existing one, linked
    assert Stance.objects.filter(actor=stance.actor, issue=stance.issue).count() == 1


def test_approving_a_proposal_that_would_repeat_another_claim_names_it_and_changes_nothing(
    curator, editor, dataset
):
    stance = a_published_stance()
    taken = Stance.objects.filter(actor=stance.actor, talk_round=stance.talk_round)
    free = Issue.objects.exclude(pk__in=taken.values("issue")).first()
    curator.post(change_url(stance), change_data(stance, issue=free.pk))
    proposal = Stance.objects.get(revision_of=stance)
    # Meanwhile the same actor's stance on that issue at that round is recorded otherwise.
    other = Stance.objects.create(
        actor=stance.actor,
        issue=free,
        talk_round=stance.talk_round,
        code=stance.code,
        summary="Recorded meanwhile.",
        attribution=stance.attribution,
    )
    for route in ("queue", "action"):
        if route == "queue":
            url = reverse("admin:review-decide", args=["stance", proposal.pk, "approve"])
            page = editor.post(url, {"version": proposal.version}, follow=True)
        else:
            url = reverse("admin:positions_stance_changelist")
            data = {"action": "publish", "_selected_action": [proposal.pk]}
            page = editor.post(url, data, follow=True)
        assert page.status_code == 200, route
        html = page.content.decode()
        assert "which exists already" in html and f"href='{change_url(other)}'" in html, route
        stance.refresh_from_db()
        assert stance.issue_id != other.issue_id and Stance.objects.filter(pk=proposal.pk).exists()


# --------------------------------------------------------------------------- what the public sees


def test_a_curators_draft_moves_neither_the_last_change_nor_the_package_version(
    curator, client, dataset
):
    from positions.exports.datapackage import files
    from positions.site.queries import last_change

    before = last_change()
    package = files(absolute=lambda path: path)[1]["datapackage.json"]
    a_draft(curator)
    stance = a_published_stance()
    curator.post(change_url(stance), change_data(stance, summary="A proposal, not public."))
    assert last_change() == before
    assert files(absolute=lambda path: path)[1]["datapackage.json"] == package


def test_an_editors_revert_to_a_published_version_without_citations_stays_a_draft(editor, dataset):
    stance = a_published_stance()
    record = stance.history.filter(status=Status.PUBLISHED).first()
    opened = editor.get(history_form_url(stance, record))
    data = change_data(stance, status=Status.PUBLISHED)
    for key in [k for k in data if re.match(r"citations-\d+-id", k)]:
        data[key.replace("-id", "-DELETE")] = "on"
    editor.post(change_url(stance), data)  # every citation deleted: kept as a draft
    stance.refresh_from_db()
    assert stance.status == Status.DRAFT and not stance.citations.exists()
    page = editor.post(history_form_url(stance, record), form_data(opened, edit_token=""))
    assert page.status_code == 302
    stance.refresh_from_db()
    assert stance.status == Status.DRAFT, "a revert made a claim without citations public"
    assert not Stance.objects.published().filter(pk=stance.pk).exists()


def test_a_write_the_database_refuses_is_a_message_and_nothing_is_saved(
    curator, dataset, monkeypatch
):
    """Say a text change committed between a citing form's check and its save: the database's
    trigger refuses the citation (test_concurrency.py); the curator reads why, nothing is half
    saved, and no route answers 500."""
    from tests.test_admin import RIGHT

    def refused(self, *args, **kwargs):
        raise IntegrityError("the quote of citation 7 is not the text of source 3 at 6-10")

    monkeypatch.setattr(Citation, "save", refused)
    source = Source.objects.get(slug="way-out-of-impasse")
    page = curator.post(reverse("admin:positions_stance_add"), stance_form(source, RIGHT))
    assert page.status_code == 302
    shown = curator.get(page.url).content.decode()
    assert "Nothing was saved: the database refused it (the quote of citation 7" in shown
    assert not Stance.objects.filter(summary="Russia is open to separate strategic arms talks.")


def test_an_answer_added_under_a_demand_is_recorded_in_the_responses_history(editor, dataset):
    from positions.models import Response

    demand = Demand.objects.published().order_by("pk").first()
    response = Response.objects.published().exclude(answers=demand).order_by("pk").first()
    before = response.history.count()
    data = form_data(editor.get(change_url(demand)))
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS") and "citations" not in k)
    prefix = prefix.removesuffix("-TOTAL_FORMS")
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(n + 1),
            f"{prefix}-{n}-response": str(response.pk),
            f"{prefix}-{n}-demand": str(demand.pk),
        }
    )
    assert editor.post(change_url(demand), data).status_code == 302
    assert response.answers.filter(pk=demand.pk).exists()
    latest = response.history.first()
    assert response.history.count() == before + 1
    assert "answers: " in latest.evidence and demand.slug in latest.evidence
    assert latest.history_user.username == "editor"
