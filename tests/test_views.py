"""The public pages: what they show, what they must not show, and how many queries they make."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from positions.models import Citation, Demand, Stance, Status
from tests.conftest import ensure_roles
from tests.factories import StanceFactory, cite, make_world

pytestmark = pytest.mark.django_db


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def results(page):
    """The page below its filter form, whose choices name every actor and issue."""
    return page.split('<form class="filters"', 1)[1].split("</form>", 1)[1]


# --------------------------------------------------------------------------- paging

# Every paged list, site and API, with a query that shows its first page: one paging rule
# (positions/site/paging.py; the API's DRF pagination) answers 404 for a page that does not exist.
PAGED = [
    "/?",
    "/claims/?",
    "/changes/?",
    "/issues/nato-enlargement/?",
    "/sources/trenin-week-of-talks/?",
    "/api/v1/stances/?",
    "/api/v1/demands/?",
    "/api/v1/responses/?",
    "/api/v1/actors/?",
    "/api/v1/issues/?",
    "/api/v1/rounds/?",
    "/api/v1/sources/?",
    "/api/v1/citations/?",
]


@pytest.mark.parametrize("url", PAGED)
def test_every_paged_list_answers_404_for_a_page_that_does_not_exist(client, dataset, url):
    """The site: anything but an existing page is a 404. The API: a page past the last is a 404,
    a value that is no page number at all a 400 that names the parameter (its OpenAPI says so)."""
    assert client.get(url).status_code == 200
    assert client.get(url + "page=1").status_code == 200
    assert client.get(url + "page=9999").status_code == 404
    for missing in ("0", "-1", "abc", "1.5", "%20"):
        response = client.get(url + "page=" + missing)
        if url.startswith("/api/"):
            assert response.status_code == 400, (url, missing, response.status_code)
            assert list(response.json()) == ["page"]
        else:
            assert response.status_code == 404, (url, missing, response.status_code)


# --------------------------------------------------------------------------- the cache


def test_reloading_the_dataset_retires_cached_tables(
    client, dataset_dirs, django_capture_on_commit_callbacks
):
    from positions.dataset.write import load_dataset

    fixtures, seeds = dataset_dirs
    load_dataset(fixtures, seeds, log=lambda m: None)
    before = client.get("/").content
    stances = fixtures / "stances.yaml"
    text = stances.read_text(encoding="utf-8")
    stances.write_text(
        text.replace("Russia regards NATO", "Moscow regards NATO", 1), encoding="utf-8"
    )
    with django_capture_on_commit_callbacks(execute=True):  # the version moves on commit
        load_dataset(fixtures, seeds, log=lambda m: None)
    after = client.get("/").content
    assert after != before and b"Moscow regards NATO" in after


# --------------------------------------------------------------------------- the comparison table


def test_table_rolls_officials_up_to_their_party_and_keeps_analysis_apart(client):
    make_world(2)
    page = results(html(client, "/"))
    parties_table, analysis_section = page.split('id="analysis-heading"')
    assert "Party 0" in parties_table and "Official 0" not in parties_table
    assert "Analyst 0" not in parties_table
    assert "Analyst 0" in analysis_section and "Party 0</a></th>" not in analysis_section
    # Party 0's own stance and its official's: two claims in one cell
    assert "2 claims, 2 citations" in parties_table


def test_officials_can_be_shown_separately(client):
    make_world(1)
    page = html(client, "/?officials=separate")
    assert 'name="officials" value="separate" id="id_officials" checked' in page
    assert "Official 0" in results(page).split('id="analysis-heading"')[0]
    assert "Official 0" not in results(html(client, "/")).split('id="analysis-heading"')[0]


def test_a_bad_officials_value_is_the_forms_error_not_a_silent_yes(client):
    make_world(1)
    page = html(client, "/?officials=bogus")
    assert "bogus is not one of the available choices" in page
    assert "No claims match these filters." in page and "Official 0" not in results(page)


def test_claims_are_paginated_and_the_pages_keep_the_filters(client, monkeypatch):
    from positions.site import views

    monkeypatch.setattr(views, "CLAIMS_PER_PAGE", 2)
    make_world(2)  # 6 stances
    first = html(client, "/claims/?analysis=exclude")  # 4 party and official stances
    assert "4 claims, page 1 of 2" in first
    assert 'href="?analysis=exclude&amp;page=2"' in first
    second = html(client, "/claims/?analysis=exclude&page=2")
    assert "page 2 of 2" in second and 'rel="prev"' in second
    for missing in ("99", "zzz", "0", "-1"):  # no such page: a 404, as on every paged list
        assert client.get(f"/claims/?analysis=exclude&page={missing}").status_code == 404


def test_an_empty_cell_says_no_stated_position(client):
    make_world(2)
    page = results(html(client, "/?analysis=exclude"))
    assert "no stated position" in page  # party 0 says nothing on issue 1
    assert "Analyst 0" not in page


def party_0_softens_at_round_1(world):
    """Party 0 moves on issue 0 at round 1: open to discuss, cited."""
    stance = StanceFactory(
        actor=world["parties"][0],
        issue=world["issues"][0],
        talk_round=world["rounds"][1],
        code="open",
        summary="Party 0 softens",
    )
    cite(world["source"], "Passage 0", stance=stance)


def test_filter_by_round_shows_only_that_round(client):
    make_world(3)
    page = html(client, "/?round=round-1")
    assert "Party 1 on issue 1" in page
    assert "Party 0 on issue 0" not in page and "Party 2 on issue 2" not in page
    assert "Analyst" not in results(page)  # analysts speak at no round


def test_as_of_keeps_the_latest_stance_up_to_the_round(client):
    world = make_world(2)
    party_0_softens_at_round_1(world)
    assert "Party 0 softens" in html(client, "/?as_of=round-1")
    as_of_first = html(client, "/?as_of=round-0")
    assert "Party 0 softens" not in as_of_first and "Party 0 on issue 0" in as_of_first


def test_filter_by_issue_includes_sub_issues(client):
    make_world(2)
    # The cluster has no stances of its own: all it shows comes from its sub-issues.
    page = results(html(client, "/?issue=cluster"))
    assert "Party 0 on issue 0" in page and "Party 1 on issue 1" in page
    assert "Analyst 0 on issue 0" in page and "Analyst 1 on issue 1" in page
    page = results(html(client, "/?issue=issue-1"))
    assert "Party 1 on issue 1" in page and "Analyst 1 on issue 1" in page
    assert "Party 0 on issue 0" not in page and "Analyst 0 on issue 0" not in page


def test_filter_by_stance_and_actor_kind(client):
    make_world(4)  # codes cycle: demands, rejects, open, conditional
    page = html(client, "/?stance=rejects&stance=open&analysis=exclude")
    assert "Party 1 on issue 1" in page and "Party 2 on issue 2" in page
    assert "Party 0 on issue 0" not in page and "Party 3 on issue 3" not in page
    page = results(html(client, "/?actor_kind=analyst"))
    assert "Analyst 0" in page and "Party 0 on issue 0" not in page


@pytest.mark.parametrize(
    "query",
    [
        "round=atlantis",
        "as_of=9999",
        "issue=%3Cscript%3E",
        "stance=adores",
        "actor_kind=god",
        "analysis=maybe",
        "source=nope",
        "actor=" + "x" * 1500,
    ],
)
def test_an_invalid_filter_shows_a_form_error_and_no_claims(client, query):
    make_world(2)
    response = client.get("/?" + query)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error" role="alert"' in page
    assert "No claims match these filters." in page
    assert "Party 0 on issue 0" not in page
    claims = client.get("/claims/?" + query)
    assert claims.status_code == 200 and "Party 0 on issue 0" not in claims.content.decode()


@pytest.mark.parametrize(
    "url", ["/", "/claims/", "/table.csv", "/claims.json", "/search/", "/issues/"]
)
def test_an_oversized_query_string_is_refused_cleanly(client, url):
    response = client.get(url + "?q=" + "x" * 3000)
    assert response.status_code == 400
    assert b"too long" in response.content or b"longer than" in response.content


def test_a_cell_leads_to_its_claims_and_quotes(client):
    make_world(2)
    page = html(client, "/?round=round-1")
    assert 'href="/claims/?actor=party-1&amp;issue=issue-1&amp;round=round-1"' in page
    claims = html(client, "/claims/?actor=party-1&issue=issue-1&round=round-1")
    assert "Party 1 on issue 1" in claims and "Official 1 on issue 1" in claims
    assert "“Passage 1: party 1 says its piece on issue 1.”" in claims
    assert "Party 0 on issue 0" not in claims
    citation = Citation.objects.filter(stance__actor__slug="party-1").first()
    assert f'href="/sources/source/#c{citation.start}-{citation.end}"' in claims


# --------------------------------------------------------------------------- entity pages


def test_unknown_slugs_are_404(client):
    make_world(1)
    for url in [
        "/issues/nope/",
        "/actors/nope/",
        "/rounds/nope/",
        "/demands/nope/",
        "/responses/nope/",
        "/sources/nope/",
        "/stances/999999/",
    ]:
        assert client.get(url).status_code == 404, url


def test_drafts_never_reach_a_public_page_or_a_download(client):
    world = make_world(2)
    Stance.objects.filter(actor=world["parties"][0], talk_round__isnull=False).update(
        status=Status.DRAFT
    )
    draft = Stance.objects.get(actor=world["parties"][0])
    for url in [
        "/",
        "/claims/",
        "/issues/issue-0/",
        "/actors/party-0/",
        "/rounds/round-0/",
        "/search/?q=Party+0",
        "/table.csv",
        "/claims.json",
    ]:
        assert "Party 0 on issue 0" not in client.get(url).content.decode(), url
    assert client.get(draft.get_absolute_url()).status_code == 404
    # The source page names a claim by a link, not by its summary: the draft's link is gone,
    # while the published stance and demand citing the same passage keep theirs.
    Demand.objects.filter(slug="demand-0").update(status=Status.DRAFT)
    page = html(client, "/sources/source/").split("Cited passages and the claims", 1)[1]
    official = Stance.objects.get(actor__slug="official-0")
    assert f'<a href="{official.get_absolute_url()}">Official 0 — for: insists — Issue 0' in page
    assert f'href="{draft.get_absolute_url()}"' not in page
    assert "Party 0 — for: insists — Issue 0" not in page
    assert '<a href="/demands/demand-1/">Party 1: Demand 1</a>' in page
    assert "/demands/demand-0/" not in page and "Party 0: Demand 0" not in page


def test_issue_page_shows_movement_between_rounds(client):
    world = make_world(2)
    party_0_softens_at_round_1(world)
    page = html(client, "/issues/issue-0/")
    assert "Party 0 softens" in page and "toward agreement" in page
    assert "Demand 0" in page and "Answer 0" in page


def test_demand_page_shows_the_chain_of_answers(client):
    make_world(2)
    page = html(client, "/demands/demand-0/")
    assert "Answers to the demand" in page and "Answer 0" in page
    assert "Replies to those answers" in page and "Reply 0" in page
    assert "Answer 1" not in page and "Demand 1" not in page


def test_source_page_highlights_every_cited_passage_with_its_claims(client):
    make_world(2)
    page = html(client, "/sources/source/")
    citation = Citation.objects.filter(stance__isnull=False).first()
    span = f"c{citation.start}-{citation.end}"
    assert f'<span class="anchor" id="{span}"></span><mark data-passages="{span}">' in page
    assert "Party 0 on issue 0" not in page  # claims are listed by actor, stance and issue
    assert "Stance: <a href=" in page and "Demand: <a href=" in page


def test_only_a_curator_gets_the_select_to_cite_control_on_a_source_page(client):
    make_world(1)
    page = html(client, "/sources/source/")
    assert "cite-bar" not in page and "cite.js" not in page and "/admin/" not in page
    # Staff without the right to add claims, or a signed-in user who is not staff: the same.
    ensure_roles()
    for user in (
        User.objects.create_user("clerk", is_staff=True),
        User.objects.create_user("reader"),
    ):
        client.force_login(user)
        assert "cite-bar" not in html(client, "/sources/source/"), user
    curator = User.objects.create_user("curator", is_staff=True)
    curator.groups.add(Group.objects.get(name="Curator"))
    client.force_login(curator)
    page = html(client, "/sources/source/")
    assert '<div class="cite-bar" id="cite-bar"' in page and 'data-cite-source="source"' in page
    for model, label in (
        ("stance", "on a new stance"),
        ("demand", "on a new demand"),
        ("response", "on a new counterproposal / response"),
    ):
        assert f'href="{reverse(f"admin:positions_{model}_add")}">{label}</a>' in page
    assert '<script src="/static/positions/cite.js" defer></script>' in page


def test_search_finds_claims_quotes_and_entities(client):
    make_world(2)
    page = html(client, "/search/?q=piece+on+issue+1")  # "piece" is only in a quote
    page = page.replace("<mark>", "").replace("</mark>", "")  # the words found are marked
    assert "Party 1 on issue 1" in page and "Party 0 on issue 0" not in page
    page = html(client, "/search/?q=Round+1")
    assert '<h2 id="rounds">Rounds (1)</h2>' in page
    assert '<li><a href="/rounds/round-1/">' in page
    too_long = client.get("/search/?q=" + "x" * 500)
    assert too_long.status_code == 200 and "at most 200 characters" in too_long.content.decode()


# --------------------------------------------------------------------------- downloads


def test_table_csv_honours_the_filters(client):
    make_world(3)
    response = client.get("/table.csv?round=round-1")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["issue"], r["actor"], r["stance"]) for r in rows] == [
        ("issue-1", "party-1", "rejects")
    ]
    assert rows[0]["claims"] == "2"


def test_claims_json_gives_each_quote_with_its_source_and_offsets(client):
    world = make_world(2)
    data = json.loads(client.get("/claims.json?actor=party-0&analysis=exclude").content)
    assert {c["actor"] for c in data["claims"]} == {"party-0", "official-0"}
    citation = data["claims"][0]["citations"][0]
    text = world["source"].text
    assert text[citation["start"] : citation["end"]] == citation["quote"]
    assert data["filters"] == {"actor": ["party-0"], "analysis": ["exclude"]}


def test_csv_neutralises_formulas(client):
    world = make_world(1)
    Stance.objects.filter(actor=world["parties"][0]).update(summary='=HYPERLINK("http://x")')
    body = client.get("/claims.csv").content.decode()
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


# --------------------------------------------------------------------------- the real dataset


def test_the_questions_parley_exists_to_answer(client, dataset):
    """What does Russia demand on NATO enlargement, and how did the U.S. and NATO answer?"""
    page = html(client, "/?issue=nato-enlargement&analysis=exclude")
    assert "NATO rules out expanding into former Soviet states" in page
    assert ">Russia</a>" in page and ">United States</a>" in page and ">NATO</a>" in page
    demand = html(client, "/demands/russia-no-nato-expansion/")
    assert "Russia insisted that the talks focus on its" in demand
    assert "United States" in demand and "NATO" in demand and "rejection" in demand


def test_home_about_page_shows_the_dataset_as_the_sources_give_it(client, dataset):
    page = html(client, reverse("positions:home"))
    assert "U.S.-Russia talks in Geneva" in page
    assert "21 January 2022" in page  # the Lavrov-Blinken meeting, the one exact date
    assert "Is There a Way Out of the Russia-NATO Talks Impasse?" in page
    assert "Author: unknown" in page  # the article names none: never guessed


def test_about_page_on_an_empty_database_says_how_to_load(client):
    assert "load_dataset" in html(client, reverse("positions:home"))


# --------------------------------------------------------------------------- finding one's way


def test_the_menu_names_each_view_by_what_it_shows_and_marks_the_one_open(client):
    make_world(1)
    page = html(client, "/moved/")
    nav = page[page.index('<nav aria-label="Site">') : page.index("</nav>")]
    for path, words in [
        ("/", "Who stands where"),
        ("/compare/", "Compare parties"),
        ("/moved/", "What moved"),
        ("/agreement/", "Agreement"),
        ("/sources/", "Sources"),
        ("/about/#data-heading", "Data"),
    ]:
        assert f'<a href="{path}"' in nav and f">{words}</a>" in nav, words
    assert '<a href="/moved/" aria-current="page">What moved</a>' in nav
    assert 'aria-current="page">Who stands where' not in nav
    assert ">Analysis<" not in nav and ">Compare</a>" not in nav  # the old, misleading names


def test_what_moved_opens_on_the_two_latest_rounds_with_a_position(client, dataset):
    page = html(client, "/moved/")
    assert '<option value="russian-draft-treaties" selected>' in page  # from
    assert '<option value="geneva-talks-2022" selected>' in page  # to
    assert 'class="moved-summary"' in page and "Pick the round to start from" not in page
    # Named rounds are taken as given.
    picked = html(client, "/moved/?from=geneva-summit-2021&to=lavrov-blinken-2022")
    assert '<option value="geneva-summit-2021" selected>' in picked


def test_the_demands_list_says_who_answered_each_demand_and_how(client, dataset):
    page = html(client, "/demands/")
    answered = Demand.objects.published().filter(responses__status=Status.PUBLISHED).first()
    response = answered.responses.published().first()
    row = page[page.index(answered.get_absolute_url()) :]
    row = row[: row.index("</tr>")]
    said = f'<a href="{response.get_absolute_url()}">{response.actor.name}: {response.get_kind_display()}</a>'
    assert said in row
    unanswered = Demand.objects.published().exclude(responses__status=Status.PUBLISHED).first()
    row = page[page.index(unanswered.get_absolute_url()) :]
    assert "no answer recorded" in row[: row.index("</tr>")]
    assert "Demands by round" not in page  # most demands have no round


def test_the_footer_names_the_parties_and_not_a_venue_as_one(client, dataset):
    page = html(client, "/about/")
    footer = page[page.index('<footer class="site">') :]
    assert "NATO and the OSCE" not in footer and "at the OSCE in Vienna" in footer
