"""Search by words, on the shipped dataset: every word must appear somewhere in a result, in any
order; matches are marked, drafts never found, and the query stays in the box.

Run on SQLite (the fallback) and on PostgreSQL (full-text search):
DATABASE_URL=postgres://... pytest tests/test_search.py
"""

import re

import pytest
from django.db.models import Q

from positions.models import Actor, Attribution, Issue, Stance, StanceCode, Status, TalkRound

pytestmark = pytest.mark.django_db

ENLARGEMENT = Q(issue__slug="nato-enlargement") | Q(issue__parent__slug="nato-enlargement")
AT_GENEVA = Q(talk_round__slug="geneva-talks-2022")


def search(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200, q
    return response.content.decode()


def found_stances(page):
    return {int(pk) for pk in re.findall(r'<article class="claim" id="stance-(\d+)"', page)}


def found(page):
    """Every result, in the order shown: claims by their id, the rest by their link."""
    results = page.split("<h2>Stances", 1)[1]
    return re.findall(
        r'id="((?:stance|demand|response)-[\w-]+)"|<li>\w+: <a href="([^"]+)"', results
    )


def mentioning(word):
    """Stances in which no field searched mentions the word, by any ending (stemming included)."""
    return (
        Q(summary__icontains=word)
        | Q(issue__slug__icontains=word)
        | Q(issue__title__icontains=word)
        | Q(issue__parent__slug__icontains=word)
        | Q(issue__parent__title__icontains=word)
        | Q(talk_round__title__icontains=word)
        | Q(citations__quote__icontains=word)
        | Q(actor__name__icontains=word)
    )


def stance_by(actor, issue, talk_round, summary, status=Status.PUBLISHED):
    return Stance.objects.create(
        actor=Actor.objects.get(slug=actor),
        issue=Issue.objects.get(slug=issue),
        talk_round=TalkRound.objects.get(slug=talk_round),
        code=StanceCode.OPEN,
        summary=summary,
        attribution=Attribution.ON_RECORD,
        status=status,
    )


# --------------------------------------------------------------------------- what is found


def test_nato_enlargement_finds_the_issue_and_the_stances_about_it(client, dataset):
    page = search(client, "NATO enlargement")
    assert 'Issue: <a href="/issues/nato-enlargement/">' in page
    on_the_issue = set(
        Stance.objects.published()
        .filter(issue__slug="nato-enlargement")
        .values_list("pk", flat=True)
    )
    assert on_the_issue and on_the_issue <= found_stances(page)
    unrelated = Stance.objects.published().exclude(mentioning("nato") | mentioning("enlarg"))
    assert unrelated.exists()
    assert not found_stances(page) & set(unrelated.values_list("pk", flat=True))


def test_every_word_must_match_though_in_different_fields(client, dataset):
    page = search(client, "enlargement Geneva")
    stances = found_stances(page)
    # The U.S. at Geneva on NATO expansion: "Geneva" is in its round, "enlargement" in its issue.
    both = Stance.objects.published().filter(ENLARGEMENT, AT_GENEVA)
    assert both.exists() and set(both.values_list("pk", flat=True)) <= stances
    # Claims that match only one of the words are not found.
    geneva_only = Stance.objects.published().filter(AT_GENEVA).exclude(mentioning("enlarg"))
    enlargement_only = Stance.objects.published().filter(ENLARGEMENT).exclude(mentioning("geneva"))
    for one_word in (geneva_only, enlargement_only):
        pks = set(one_word.values_list("pk", flat=True))
        assert pks and not pks & stances
    assert "Round: " not in page  # no round is about enlargement


def test_word_order_does_not_matter(client, dataset):
    forward = found(search(client, "enlargement Geneva"))
    assert forward and found(search(client, "Geneva enlargement")) == forward
    assert found(search(client, "NATO enlargement")) == found(search(client, "enlargement nato"))


def test_a_name_finds_the_person_the_meeting_and_their_claims(client, dataset):
    claim = stance_by(
        "antony-blinken",
        "nato-enlargement",
        "lavrov-blinken-2022",
        "Washington will answer Moscow's proposals in writing.",
    )
    page = search(client, "Blinken")
    assert 'Actor: <a href="/actors/antony-blinken/">Antony <mark>Blinken</mark></a>' in page
    assert 'Round: <a href="/rounds/lavrov-blinken-2022/">Lavrov-<mark>Blinken</mark>' in page
    # Found by its speaker and round: "Blinken" is not in its summary.
    assert found_stances(page) == {claim.pk}


def test_the_best_match_comes_first(client, dataset):
    # Both have both words; the later one has "Blinken" in its own summary too, not only in its
    # speaker and round, and comes first.
    weaker = stance_by(
        "antony-blinken", "nato-enlargement", "lavrov-blinken-2022", "Zyzzyva, he said."
    )
    stronger = stance_by(
        "antony-blinken", "open-door-policy", "lavrov-blinken-2022", "Zyzzyva, Blinken said."
    )
    page = search(client, "zyzzyva blinken")
    assert re.findall(r'id="stance-(\d+)"', page) == [str(stronger.pk), str(weaker.pk)]


# --------------------------------------------------------------------------- how it is shown


def test_matched_words_are_marked_whatever_their_case(client, dataset):
    page = search(client, "nato ENLARGEMENT")
    assert "<mark>NATO</mark> pauses <mark>enlargement</mark>" in page
    assert "<mark>nato</mark>" not in page  # the text's own spelling is kept
    plain = search(client, "Geneva").split("</form>", 1)[1]
    assert "<mark>Geneva</mark>" in plain and "<mark>enlargement</mark>" not in plain


def test_marking_never_lets_html_through(client, dataset):
    stance_by(
        "antony-blinken",
        "nato-enlargement",
        "lavrov-blinken-2022",
        # PostgreSQL's parser skips what looks like a tag: the words are also given plainly.
        'Zyzzyva alert: <script>alert("zyzzyva")</script> & "quoted"',
    )
    page = search(client, "alert zyzzyva quot")
    assert "<script>alert" not in page
    marked = "&lt;script&gt;<mark>alert</mark>(&quot;<mark>zyzzyva</mark>&quot;)&lt;/script&gt;"
    assert marked + " &amp; &quot;<mark>quot</mark>ed&quot;" in page
    assert "&<mark>" not in page  # "quot" is never marked inside the escaped &quot;
    hostile = search(client, '<script>alert("q")</script>')
    assert "<script>alert" not in hostile
    assert 'value="&lt;script&gt;alert(&quot;q&quot;)&lt;/script&gt;"' in hostile


def test_drafts_are_never_found(client, dataset):
    stance_by(
        "antony-blinken",
        "nato-enlargement",
        "lavrov-blinken-2022",
        "Quixotically secret reading",
        status=Status.DRAFT,
    )
    page = search(client, "quixotically")
    assert "Quixotically" not in page.split("</form>", 1)[1]
    assert "Nothing contains all of the words" in page
    # Drafting a published claim takes it, and its quotes, out of the results.
    claim = Stance.objects.published().filter(AT_GENEVA).first()
    assert claim.pk in found_stances(search(client, claim.actor.name + " Geneva"))
    Stance.objects.filter(pk=claim.pk).update(status=Status.DRAFT)
    assert claim.pk not in found_stances(search(client, claim.actor.name + " Geneva"))


def test_the_query_stays_in_the_box(client, dataset):
    response = client.get("/search/", {"q": "enlargement Geneva"})
    page = response.content.decode()
    assert '<input type="text" name="q" value="enlargement Geneva"' in page
    assert response.context["search_q"] == "enlargement Geneva"  # for the header's box


@pytest.mark.parametrize(
    "q, message",
    [
        ("", "Type one or more words"),
        ("!!! ...", "Type a word to search for"),
        ("a b c d e f g h i j k", "at most 10 words"),
        ("x" * 201, "at most 200 characters"),
        ("qwertyuiop asdfgh", "Nothing contains all of the words"),
        ("NATO\x00", "Null characters are not allowed"),
    ],
    ids=["empty", "no word", "too many words", "too long", "nothing found", "null"],
)
def test_a_query_that_cannot_be_answered_gets_a_friendly_page(client, dataset, q, message):
    page = search(client, q)
    assert message in page
    assert "<h2>Stances" not in page
