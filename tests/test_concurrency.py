"""People working at once, on PostgreSQL, with real threads (each its own database connection)
released together: each race is decided by row locks and the version each user saw, so exactly
one wins and nothing is lost. SQLite takes one writer at a time, so these run on PostgreSQL (CI
runs the suite on it)."""

import threading
import time

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from positions import citations
from positions.curation import review
from positions.models import Citation, Source, Stance, Status
from tests.admin_forms import form_data
from tests.conftest import make_user
from tests.factories import make_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL"),
]


def at_once(*calls):
    """Run each call in a thread of its own, all released together; what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 -- the outcome under test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_editors_approving_one_proposal_at_once_one_wins_and_nothing_is_lost():
    world = make_world(1)
    first, second = make_user("editor", "Editor"), make_user("editor2", "Editor")
    curator = make_user("curator", "Curator")
    original = Stance.objects.get(actor=world["parties"][0], talk_round__isnull=False)
    quotes = list(original.citations.values_list("quote", flat=True))
    assert quotes
    for attempt in range(20):
        changed = Stance.objects.get(pk=original.pk)
        changed.summary = f"Reading {attempt}"
        proposal = review.propose(original, curator, changed)
        # Each editor's screen: the proposal as it was when each loaded it.
        screens = [(editor, Stance.objects.get(pk=proposal.pk)) for editor in (first, second)]
        results = at_once(
            *(
                lambda editor=editor, seen=seen: review.approve(seen, editor, seen.version)
                for editor, seen in screens
            )
        )
        won = [r for r in results if isinstance(r, Stance)]
        stale = [r for r in results if isinstance(r, review.Stale)]
        assert len(won) == 1 and len(stale) == 1, (attempt, results)
        original.refresh_from_db()
        assert original.status == Status.PUBLISHED and original.summary == f"Reading {attempt}"
        assert list(original.citations.values_list("quote", flat=True)) == quotes, attempt
        assert not Stance.objects.filter(revision_of=original).exists()


def signed_in(name, group):
    client = Client()
    client.force_login(make_user(name, group))
    return client


def test_two_curators_saving_one_record_at_the_same_moment_one_saves_the_other_sees_a_conflict():
    world = make_world(1)
    actor = world["parties"][0]
    url = reverse("admin:positions_actor_change", args=[actor.pk])
    first, second = signed_in("curator", "Curator"), signed_in("curator2", "Curator")
    for attempt in range(10):
        forms = [
            form_data(client.get(url), description=f"{name} {attempt}")
            for client, name in ((first, "First"), (second, "Second"))
        ]
        results = at_once(
            *(
                lambda c=c, data=data: c.post(url, data)
                for c, data in zip((first, second), forms, strict=True)
            )
        )
        codes = sorted(r.status_code for r in results)
        assert codes == [200, 302], (attempt, results)
        conflict = next(r for r in results if r.status_code == 200).content.decode()
        assert "Edit conflict" in conflict, attempt
        actor.refresh_from_db()
        winner = forms[[r.status_code for r in results].index(302)]["description"]
        assert actor.description == winner, attempt


def test_an_edit_made_while_a_load_writes_waits_for_it_and_the_next_load_refuses(settings):
    from positions.dataset.write import CuratedChanges, load_dataset

    def load(log=lambda message: None):
        return load_dataset(settings.PARLEY_FIXTURES_DIR, settings.PARLEY_SEEDS_DIR, log=log)

    load()
    stance = Stance.objects.published().filter(citations__isnull=False).order_by("pk").first()
    editor = signed_in("editor", "Editor")
    url = reverse("admin:positions_stance_change", args=[stance.pk])
    data = form_data(editor.get(url), summary="An editor's reading, saved during a load.")
    writing = threading.Event()

    def loader_log(message):
        if message.startswith("Writing") and not writing.is_set():
            writing.set()
            time.sleep(1.0)  # the editor saves now, while the load is writing

    def edit():
        writing.wait(30)
        return editor.post(url, data)

    report, saved = at_once(lambda: load(loader_log), edit)
    assert not isinstance(report, Exception), report
    assert saved.status_code == 302, saved
    stance.refresh_from_db()
    assert stance.summary == "An editor's reading, saved during a load."  # not overwritten
    with pytest.raises(CuratedChanges, match="by editor"):
        load()  # and the next load does not overwrite it either
    stance.refresh_from_db()
    assert stance.summary == "An editor's reading, saved during a load."


@pytest.mark.parametrize("first", ["citation", "text"])
def test_a_citation_and_a_text_change_at_once_never_both_commit(first):
    world = make_world(1)
    claim = Stance.objects.filter(talk_round__isnull=False).first()
    source = Source.objects.create(
        slug="notes", title="Notes", kind="opinion", file_name="notes.txt", text="alpha beta gamma"
    )

    def cite():
        with transaction.atomic():
            if first == "text":
                time.sleep(0.2)
            Citation.objects.create(source=source, quote="beta", start=6, end=10, stance=claim)
            if first == "citation":
                time.sleep(0.4)  # the text change runs while this is uncommitted

    def change_text():
        with transaction.atomic():
            if first == "citation":
                time.sleep(0.2)
            Source.objects.filter(pk=source.pk).update(text="zzzz alpha beta gamma")
            if first == "text":
                time.sleep(0.4)

    results = at_once(cite, change_text)
    refused = [r for r in results if isinstance(r, IntegrityError)]
    assert len(refused) == 1, results
    source.refresh_from_db()
    for citation in Citation.objects.filter(source=source):
        assert citations.verify(source.text, citation.quote, citation.start, citation.end)
    assert world  # the claim cited is the world's


def test_a_cited_source_cannot_be_deleted_and_put_back_with_another_text():
    world = make_world(1)
    source = world["source"]
    row = Source.objects.filter(pk=source.pk).values().get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.filter(pk=source.pk)._raw_delete(Source.objects.db)
        Source.objects.create(**{**row, "text": "Another text altogether."})
    source.refresh_from_db()
    assert source.text == row["text"]


def test_the_database_folds_white_space_as_the_application_does():
    text = "\t a\u00a0b\u2003\u2003c\u3000\x1cd\x85e\u2028 f \n"
    with connection.cursor() as cursor:
        cursor.execute("SELECT positions_fold(%s)", [text])
        assert cursor.fetchone()[0] == citations.normalise(text) == "a b c d e f"


def test_twelve_source_edits_at_once_each_save_or_see_a_conflict_and_none_fails():
    sources = [
        Source.objects.create(
            slug=f"notes-{i}", title=f"Notes {i}", kind="opinion", file_name=f"n{i}.txt", text="x"
        )
        for i in range(6)
    ]
    clients = [signed_in(f"curator{i}", "Curator") for i in range(12)]
    posts = []
    for i, client in enumerate(clients):
        source = sources[i % 6]
        url = reverse("admin:positions_source_change", args=[source.pk])
        data = form_data(client.get(url), metadata_note=f"Note by curator {i}.")
        posts.append(lambda client=client, url=url, data=data: client.post(url, data))
    results = at_once(*posts)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.status_code for r in results) == [200] * 6 + [302] * 6
