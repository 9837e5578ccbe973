"""Search by words, on the shipped dataset: whole words in any of their forms, every term in any
order, phrases in quotes; matches are marked, drafts never found, and the query stays in the box.

CI runs this file on SQLite (FTS5) and on PostgreSQL (full-text search) alike, with the same
expectations: each result set is compared with one worked out here from the text itself.
"""

import re

import pytest
from django.db.models import Q

from positions import search_index
from positions.models import (
    Actor,
    Attribution,
    Issue,
    SearchEntry,
    Stance,
    StanceCode,
    Status,
    TalkRound,
)

pytestmark = pytest.mark.django_db

ENLARGEMENT = Q(issue__slug="nato-enlargement") | Q(issue__parent__slug="nato-enlargement")
AT_GENEVA = Q(talk_round__slug="geneva-talks-2022")


def search(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200, q
    return response.content.decode()


def found_stances(page):
    return {int(pk) for pk in re.findall(r'<article class="claim" id="stance-(\d+)"', page)}


def found(page):
    """Every result, in the order shown: claims by their id, the rest by their link."""
    results = page.split('id="stances">Stances', 1)[1]
    return re.findall(r'id="((?:stance|demand|response)-[\w-]+)"|<li><a href="([^"]+)"', results)


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
    assert '<li><a href="/issues/nato-enlargement/">' in search(client, "NATO enlargement")
    page = search(client, "NATO enlargement", kind="stances")  # all of them, not the first ten
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
    stances = found_stances(search(client, "enlargement Geneva", kind="stances"))
    # The U.S. at Geneva on NATO expansion: "Geneva" is in its round, "enlargement" in its issue.
    both = Stance.objects.published().filter(ENLARGEMENT, AT_GENEVA)
    assert both.exists() and set(both.values_list("pk", flat=True)) <= stances
    # Claims that match only one of the words are not found.
    geneva_only = Stance.objects.published().filter(AT_GENEVA).exclude(mentioning("enlarg"))
    enlargement_only = Stance.objects.published().filter(ENLARGEMENT).exclude(mentioning("geneva"))
    for one_word in (geneva_only, enlargement_only):
        pks = set(one_word.values_list("pk", flat=True))
        assert pks and not pks & stances
    assert '<h2 id="rounds">Rounds (0)</h2>' in page  # no round is about enlargement


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
    assert '<li><a href="/actors/antony-blinken/">Antony <mark>Blinken</mark></a>' in page
    assert '<li><a href="/rounds/lavrov-blinken-2022/">Lavrov-<mark>Blinken</mark>' in page
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
    assert marked + " &amp; &quot;<mark>quoted</mark>&quot;" in page  # a form of "quot"
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
    assert "Nothing contains every term of" in page
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
        ("qwertyuiop asdfgh", "Nothing contains every term of"),
        ("NATO\x00", "Null characters are not allowed"),
    ],
    ids=["empty", "no word", "too many words", "too long", "nothing found", "null"],
)
def test_a_query_that_cannot_be_answered_gets_a_friendly_page(client, dataset, q, message):
    page = search(client, q)
    assert message in page
    assert 'id="stances"' not in page


# --------------------------------------------------------------------------- words, forms, phrases


def all_stances(client, q):
    return found_stances(search(client, q, kind="stances"))


def with_word(pattern):
    """Published stances whose searched texts (as written, before stemming) have a whole word
    matching ``pattern``: the answer worked out without the search index."""
    regex = re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)
    return {
        pk
        for pk, *parts in search_index.stance_entries()
        if regex.search("\n".join(text for part in parts for text in part if text))
    }


def test_a_word_is_found_whole_never_inside_another(client, dataset):
    assert with_word(r"infrastructure")  # the trap: "inf" is inside it
    found = all_stances(client, "INF")
    assert found == with_word("INF") and found  # the INF Treaty, and nothing else
    assert not with_word("infrastructure") - with_word("INF") & found
    page = search(client, "INF", kind="stances")
    assert "<mark>INF</mark>" in page and "<mark>inf</mark>rastructure" not in page.lower()


def test_every_form_of_a_word_finds_the_same(client, dataset):
    singular, plural = all_stances(client, "missile"), all_stances(client, "missiles")
    assert singular == plural == with_word("missiles?")
    assert with_word("missile") and with_word("missiles")  # both forms are in the data


def with_phrase(*words):
    """Published stances whose searched words include ``words`` one after the other, in any of
    their forms (their stems, as the index cuts the texts)."""
    wanted = [search_index.stem(word) for word in words]
    found = set()
    for pk, *parts in search_index.stance_entries():
        said = search_index.stems(" ".join(text for part in parts for text in part if text))
        n = len(wanted)
        if any(said[i : i + n] == wanted for i in range(len(said) - n + 1)):
            found.add(pk)
    return found


def test_words_in_quotes_are_found_as_a_phrase(client, dataset):
    phrase = all_stances(client, '"NATO Russia"')
    assert phrase == with_phrase("NATO", "Russia") and phrase
    words = all_stances(client, "NATO Russia")
    assert phrase < words  # both words, apart, in other stances: not the phrase
    assert all_stances(client, '"new sanctions"') == with_word(r"new\W+sanctions?")


def test_the_first_page_shows_the_first_of_each_kind_and_says_how_many(client, dataset):
    page = search(client, "NATO")
    total = len(with_word("NATO"))
    assert total > 50  # more than a page of one kind, too
    assert f'<h2 id="stances">Stances ({total})</h2>' in page
    assert len(found_stances(page)) == 10
    assert f'<a href="?q=NATO&amp;kind=stances">All {total} stances, 50 a page</a>' in page


def test_one_kind_is_paged_every_result_once(client, dataset, monkeypatch):
    from positions.site import search as searching

    monkeypatch.setattr(searching, "PER_PAGE", 7)
    every = with_word("Geneva")
    pages, number = [], 1
    while True:
        response = client.get("/search/", {"q": "Geneva", "kind": "stances", "page": number})
        if response.status_code == 404:
            break
        pages.append(found_stances(response.content.decode()))
        number += 1
    assert len(pages) >= 3 and all(len(p) == 7 for p in pages[:-1])
    assert set().union(*pages) == every and sum(map(len, pages)) == len(every)
    assert "Not a kind of result" in search(client, "Geneva", kind="nothing")


# --------------------------------------------------------------------------- kept current


def test_the_entries_follow_every_change_that_is_saved(client, dataset):
    russia = Actor.objects.get(slug="russia")
    claim = Stance.objects.published().filter(actor=russia).first()
    assert claim.pk in all_stances(client, "Russia")
    russia.name = "Zyzzyvia"  # renamed: found by the new name in every claim of theirs
    russia.save()
    renamed = all_stances(client, "Zyzzyvia")
    theirs = Stance.objects.published().by_party(russia)
    expected = set(theirs.values_list("pk", flat=True))
    total = re.search(r"Stances \((\d+)\)", search(client, "Zyzzyvia")).group(1)
    assert int(total) == len(expected) and renamed <= expected and claim.pk in renamed
    assert "russia" not in SearchEntry.objects.get(kind="stance", object_id=claim.pk).b.split()
    claim.status = Status.DRAFT  # taken back: no longer found
    claim.save()
    assert claim.pk not in all_stances(client, "Zyzzyvia")
    assert not SearchEntry.objects.filter(kind="stance", object_id=claim.pk).exists()
    claim.status = Status.PUBLISHED
    claim.summary = "A quixotic reading"
    claim.save()
    assert all_stances(client, "quixotic") == {claim.pk}


def test_a_load_makes_the_entries_of_what_it_wrote(dataset):
    entries = SearchEntry.objects.values_list("kind", flat=True)
    assert sorted(set(entries)) == ["actor", "demand", "issue", "response", "round", "stance"]
    published = Stance.objects.published().count()
    assert entries.filter(kind="stance").count() == published


def test_on_sqlite_the_full_text_match_drives_the_query(dataset):
    """The match runs once, as the outer loop: were SQLite to walk the entries of a kind (its
    index) and run the match for each, a search matching most records would grow with their
    square (10 s at 100x the curated data)."""
    from django.db import connection

    from positions.site import search as searching

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's planner")
    matches, params = searching.sqlite_matches([("parti",)])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {matches} AND e.kind = %s", [*params, "stance"])
        plan = [row[-1] for row in cursor.fetchall()]
    assert "VIRTUAL TABLE" in plan[0] and "positions_searchentry_fts" in plan[0], plan
