"""People working at once, on PostgreSQL, with real threads (each its own database connection)
released together: each race is decided by row locks and the version each user saw, so exactly
one wins and nothing is lost. SQLite takes one writer at a time, so these run on PostgreSQL (CI
runs the suite on it)."""

import threading

import pytest
from django.db import connection, connections

from positions.curation import review
from positions.models import Stance, Status
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
