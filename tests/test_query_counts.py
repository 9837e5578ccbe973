"""The query-count pins: every page, download, feed and endpoint asks the database the same
number of questions with 1 and with 10 of everything. Each world is built once (per size) for
this whole module; each test runs in a savepoint inside it and is rolled back."""

import pytest

from positions.models import ActorKind, Demand, Response, Stance, StanceCode
from tests.conftest import kept
from tests.factories import ActorFactory, RoundFactory, StanceFactory, make_world
from tests.test_datapackage import PACKAGE, tables, unzip
from tests.test_feeds import SITE_FEED

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def later_round_and_party(world):
    """A round after every other and a party with a stance at it on every issue, so that each
    analysis page has something to compare whatever the size of the world."""
    late = RoundFactory(slug="round-late", title="Late round", format="osce", order=99)
    party = ActorFactory(slug="party-late", name="Late party", kind=ActorKind.STATE)
    for issue in world["issues"]:
        StanceFactory(actor=party, issue=issue, talk_round=late, code=StanceCode.SUPPORTS)


@pytest.fixture(scope="module", params=[1, 10], ids=["1", "10"])
def world(request, django_db_setup, django_db_blocker):
    with kept(django_db_blocker):
        with django_db_blocker.unblock():
            built = make_world(request.param)
            later_round_and_party(built)
        built["n"] = request.param
        yield built


# Every public GET reads the dataset version once, for its ETag (positions/site/http_cache.py),
# whatever else it does: the pins below count the page's own queries, and this one is added.
VALIDATOR = 1


@pytest.fixture
def get_counted(world, db, client, django_assert_num_queries):
    """GET a URL, holding it to its number of queries (and the validator's) and a 200."""

    def get(url, expected):
        with django_assert_num_queries(expected + VALIDATOR):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return get


# --------------------------------------------------------------------------- the site's pages
# The filter form's lookups (positions/site/lookups.py), each read once, whole: rounds, issues, actors
# and sources. A slug in the URL is found among them, at no query more.
LOOKUPS = 4
PAGES = {
    # the lookups, the propositions the stances name (for the page of them), the cells (one row
    # each, chosen in SQL), their citations (one grouped join), and the parties' positions on the propositions shown, for their
    # state of play; the dataset version in the cache key is the validator's
    "/": LOOKUPS + 4,
    "/?round=round-0": LOOKUPS + 4,
    "/?as_of=round-0&officials=separate": LOOKUPS + 4,
    "/?issue=cluster&stance=demands&analysis=exclude": LOOKUPS + 4,
    "/claims/": LOOKUPS + 3,  # + the count for the paginator, the page, its citations
    "/claims/?actor=party-0": LOOKUPS + 3,
    "/issues/": 1,  # issues with their parents
    # issue, sub-issues, stances counted by issue (the pages of sections), rounds, stances +
    # citations, demands + citations, responses + citations; the chart is drawn from them
    "/issues/cluster/": 10,
    "/issues/issue-0/": 10,
    "/issues/cluster/?page=1": 10,
    "/actors/": 1,  # actors with their affiliation
    # actor, stances + citations, demands + citations, given + citations, received (its
    # prefetch is skipped: none), members
    "/actors/party-0/": 9,
    "/rounds/": 1,
    # round, participants, round citations, stances + citations, demands + citations,
    # responses + citations
    "/rounds/round-0/": 9,
    "/demands/": 2,  # demands with who tabled them and their round; the responses to them
    # demand + issues + citations, the chain (drawn as a tree) + issues + citations + answers +
    # replies_to, issues
    "/demands/demand-0/": 9,
    # response + issues + citations + answers; issues; answers + issues + citations;
    # replies_to (none); replies + issues + citations + answers
    "/responses/answer-0/": 13,
    "/responses/reply-0/": 11,
    "/sources/": 1,  # sources with their citation counts
    # source, its cited spans with their counts, the page's citations with their claims, each
    # claim's passages here (to step through them)
    "/sources/source/": 4,
    # the matches of every kind (one query over the search entries), then the kinds found:
    # stances (+ citations), demands (+ issues, citations), responses (+ issues, citations,
    # answers), actors, issues, rounds; the words only change the query's terms
    "/search/?q=Party": 12,  # every kind found
    "/search/?q=party+issue": 11,
    "/search/?q=says+piece+round": 11,
    "/search/?q=party&kind=stances": 3,  # the matches, the stances, their citations
    '/search/?q="says+its+piece"&kind=stances&page=1': 3,  # a phrase of the quotes
    # the cells, their citations, the lookups of the issues, actors and rounds they name, and
    # the positions for the state of play
    "/table.csv": 6,
    "/table.json": 6,
    "/claims.csv": 2,
    "/claims.json": 2,
    # sources with counts, rounds, the last change (one UNION), actors, issues, stances, demands,
    # responses, citations
    "/about/": 9,
    # the analysis pages. The lookups of rounds, issues and parties (with a position); the
    # stances. A slug in the URL is found among them.
    "/agreement/": 3 + 1,
    "/agreement/?as_of=round-late&issue=cluster&a=party-0&b=party-late": 3 + 1,
    # the two latest rounds with a position (what it opens on), the lookups of rounds and issues,
    # the stances, their citations
    "/moved/": 1 + 2 + 2,
    "/moved/?from=round-0&to=round-late": 2 + 2,  # + the stances, their citations
    "/compare/": 3,  # the parties' choices; the lookups of rounds and issues
    # + the parties the slugs name; the stances
    "/compare/?party=party-0&party=party-late&as_of=round-late": 3 + 1 + 1,
    # the downloads. Last change (one UNION); sources, actors (+ affiliation), issues (+ parent),
    # rounds, round participants, stances, demands, responses, demand issues, response issues,
    # response answers, response replies, citations: one each; and the parties' positions, for
    # the issues' state of play
    PACKAGE: 1 + 14,
    "/demands.csv": 3,  # demands with actor and round, their issues, their citations
    "/demands.json": 3,
    # responses with actor and round, their issues, citations, answers, replies_to
    "/responses.csv": 5,
    "/responses.json": 5,
    # the feeds. The count of events (for the pages), the events (one UNION of three
    # histories, newest 50), the versions they show (stances, demands, responses, each with
    # actor, round and issue), the sources of quotes
    SITE_FEED: 1 + 1 + 3 + 1,
    "/issues/cluster/feed.atom": 1 + 1 + 1 + 3 + 1,  # + the issue
    "/issues/issue-0/feed.atom": 1 + 1 + 1 + 3 + 1,
    "/actors/party-0/feed.atom": 1 + 1 + 1 + 3 + 1,  # + the actor
    # the paginator's count, the page of events, the versions they show (no quotes)
    "/changes/": 1 + 1 + 3,
    "/changes/?page=1": 1 + 1 + 3,  # page 1 named (a page past the last is a 404)
}


@pytest.mark.parametrize("url, expected", PAGES.items(), ids=list(PAGES))
def test_a_page_makes_as_many_queries_whatever_the_size(get_counted, world, url, expected):
    response = get_counted(url, expected)
    content = response.content
    if url == PACKAGE:
        assert len(tables(unzip(content))["stances"]) == 4 * world["n"]  # + the late party's
    elif url.startswith("/search/"):
        assert b"<mark>" in content
    elif not url.endswith(".atom"):
        assert b'class="error"' not in content


def test_a_cached_table_costs_one_query_and_a_change_retires_it(
    client, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    first = client.get("/?analysis=exclude").content
    with django_assert_num_queries(1):  # the dataset version
        assert client.get("/?analysis=exclude").content == first
    stance = Stance.objects.get(actor=world["parties"][0], talk_round__slug="round-0")
    stance.summary = "A corrected reading"
    with django_capture_on_commit_callbacks(execute=True):  # the version moves on commit
        stance.save()
    assert b"A corrected reading" in client.get("/?analysis=exclude").content
    assert b"A corrected reading" not in first


KEPT = [
    "/table.csv",
    "/table.json?round=round-0",
    "/claims.csv",
    "/issues/issue-0/",
    API + "stances/",
    API + "stance-rows/?issue=issue-0",
]


@pytest.mark.parametrize("url", KEPT)
def test_a_kept_response_is_made_once_per_dataset_version_and_url(
    client, world, url, django_assert_num_queries, django_capture_on_commit_callbacks
):
    first = client.get(url).content
    # The dataset version, and the rounds to check a round filter against: the rest is cached.
    with django_assert_num_queries(VALIDATOR + ("round=" in url)):
        assert client.get(url).content == first
    stance = Stance.objects.get(actor=world["parties"][0], talk_round__slug="round-0")
    stance.summary = "A corrected reading"
    with django_capture_on_commit_callbacks(execute=True):
        stance.save()
    assert b"A corrected reading" in client.get(url).content


def test_a_claim_page_makes_two_queries(client, world, django_assert_num_queries):
    stance = Stance.objects.first()
    with django_assert_num_queries(
        2 + VALIDATOR
    ):  # the stance with its actor, issue, round; its citations
        assert client.get(stance.get_absolute_url()).status_code == 200


def test_a_page_of_notes_makes_one_query_more_whatever_their_number(
    client, world, django_assert_num_queries
):
    with django_assert_num_queries(PAGES["/actors/party-0/"] + VALIDATOR):  # no note names a slug
        client.get("/actors/party-0/")
    Demand.objects.update(note="Made in reply to nothing in particular.")
    Response.objects.update(note="See demand-0, on issue-0; reply-0 answers it.")
    with django_assert_num_queries(PAGES["/actors/party-0/"] + VALIDATOR + 1):  # + the labels
        page = client.get("/actors/party-0/").content.decode()
    assert "demand-0," not in page and "on issue-0" not in page
    assert 'See <a href="/demands/demand-0/">Party 0&#x27;s demand</a>, on ' in page
    assert '<a href="/issues/issue-0/">Issue 0</a>; <a href="/responses/reply-0/">' in page


# --------------------------------------------------------------------------- the API
ENDPOINTS = {
    "": 0,  # the API root: links only
    "sources/": 2,  # the count; the page, with each source's count of public citations
    "sources/source/": 1,  # the source with its count
    "actors/": 3,  # the count; the page with affiliations; members
    "actors/party-0/": 2,  # the actor with its affiliation; members
    "issues/": 4,  # the count; the page with parents; sub-issues; positions for the states
    "issues/cluster/": 3,  # the issue with its parent; sub-issues; positions for its state
    "rounds/": 4,  # the count; the page; participants; citations with their sources
    "rounds/round-0/": 3,  # the round; participants; citations
    "stances/": 3,  # the count; the page with actor, party, issue, round; citations
    "stances/?round=round-0&issue=cluster": 5,  # + the round and the issue the slugs name
    "stance-rows/": 2,  # the count; the page of flat rows, read as values
    "stance-rows/?round=round-0&issue=cluster": 4,  # + the round and the issue
    # + the as-of round, the actor and the source the slugs name
    "stances/?as_of=round-0&actor=party-0&stance=demands&analysis=exclude&source=source": 6,
    "demands/": 5,  # the count; the page with actor, party, round; issues; responses; citations
    "demands/?actor=party-0&issue=cluster&outcome=unknown": 7,  # + the actor and the issue
    "demands/demand-0/": 4,  # the demand; issues; responses; citations
    # the count; the page; issues; answers; replies to; replies; citations
    "responses/": 7,
    "responses/?answers=demand-0&kind=rejection": 8,  # + the demand the slug names
    "responses/answer-0/": 6,
    "citations/": 2,  # the count; the page with source and what each citation backs
    "citations/?source=source": 3,  # + the source
}


@pytest.mark.parametrize("path, expected", ENDPOINTS.items(), ids=list(ENDPOINTS))
def test_an_endpoint_makes_as_many_queries_whatever_the_size(get_counted, path, expected):
    response = get_counted(API + path, expected)
    if "count" in response.json():
        assert response.json()["count"] > 0


def test_a_detail_by_id_makes_as_many_queries_whatever_the_size(
    client, world, django_assert_num_queries
):
    stance = Stance.objects.first()
    citation = stance.citations.first()
    with django_assert_num_queries(
        2 + VALIDATOR
    ):  # the stance with actor, party, issue, round; citations
        assert client.get(f"{API}stances/{stance.pk}/").status_code == 200
    with django_assert_num_queries(1 + VALIDATOR):  # the row, all in one
        assert client.get(f"{API}stance-rows/{stance.pk}/").status_code == 200
    with django_assert_num_queries(1 + VALIDATOR):  # the citation with its source and what it backs
        assert client.get(f"{API}citations/{citation.pk}/").status_code == 200
