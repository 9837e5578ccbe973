"""The read-only API (/api/v1/): published data only, the site's filters, stable links, a valid
OpenAPI schema, a fixed number of queries, no writes, throttled per client."""

from urllib.parse import urlencode

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from openapi_spec_validator import validate
from rest_framework.throttling import AnonRateThrottle

from positions.models import Attribution, Citation, Demand, Response, Stance, StanceCode, Status
from positions.site.filters import StanceFilter
from project.env import env_rate
from tests.conftest import screenshot
from tests.factories import RoundFactory, cite, make_source, make_world

pytestmark = pytest.mark.django_db

API = "/api/v1/"
RESOURCES = [
    "sources",
    "actors",
    "issues",
    "rounds",
    "stances",
    "demands",
    "responses",
    "citations",
]


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.json()


def everything(client, resource, **params):
    """Every item of a list endpoint, page after page."""
    items, url = [], f"{API}{resource}/"
    while url:
        page = get(client, url, **params)
        items += page["results"]
        url, params = page["next"], {}
    return items


# --------------------------------------------------------------------------- the site's filters


@pytest.fixture
def dataset(dataset):
    """The curated dataset, with a few stances made drafts and one withdrawn: the API must count
    what the site counts, which is not every stance."""
    russia = Stance.objects.filter(actor__slug="russia", issue__parent__slug="nato-enlargement")
    Stance.objects.filter(pk__in=russia.values("pk")[:2]).update(status=Status.DRAFT)
    Stance.objects.filter(pk__in=russia.values("pk")[2:3]).update(status=Status.WITHDRAWN)
    assert Stance.objects.exclude(status=Status.PUBLISHED).count() == 3


FILTERS = [
    {},
    {"issue": "nato-enlargement"},
    {"issue": "nato-enlargement", "actor": "russia"},
    {"round": "geneva-talks-2022"},
    {"as_of": "nato-russia-council-2022", "analysis": "exclude"},
    {"actor": "united-states", "stance": ["rejects", "opposes"]},
    {"source": "trenin-week-of-talks", "analysis": "only"},
    {"actor_kind": "official", "as_of": "osce-vienna-2022"},
    {"issue": "military-infrastructure", "round": "russian-draft-treaties", "stance": "demands"},
]


@pytest.mark.parametrize("params", FILTERS, ids=[str(p) for p in FILTERS])
def test_stances_filter_as_on_the_site(client, dataset, params):
    query = QueryDict(urlencode(params, doseq=True))  # the site binds request.GET
    site = StanceFilter(query, queryset=Stance.objects.published())
    assert site.is_valid(), site.errors
    expected = set(site.qs.values_list("pk", flat=True))
    page = get(client, f"{API}stances/", **params)
    assert page["count"] == len(expected)
    assert {s["id"] for s in everything(client, "stances", **params)} == expected


def test_the_filters_are_not_vacuous(client, dataset):
    """The filters above narrow the stances, and drafts are among the stances there are."""
    total = get(client, f"{API}stances/")["count"]
    assert total == Stance.objects.published().count() < Stance.objects.count()
    assert get(client, f"{API}stances/", issue="nato-enlargement", actor="russia")["count"] > 0
    assert get(client, f"{API}stances/", issue="nato-enlargement")["count"] < total


@pytest.mark.parametrize(
    "url, field",
    [
        ("stances/?round=atlantis", "round"),
        ("stances/?stance=adores", "stance"),
        ("stances/?as_of=1", "as_of"),
        ("stances/?analysis=maybe", "analysis"),
        ("demands/?issue=atlantis", "issue"),
        ("demands/?outcome=won", "outcome"),
        ("responses/?answers=atlantis", "answers"),
        ("citations/?stance=one", "stance"),
        ("citations/?source=atlantis", "source"),
        ("actors/?kind=deity", "kind"),
        ("rounds/?participant=atlantis", "participant"),
    ],
)
def test_an_invalid_filter_is_a_400_with_the_form_errors(client, url, field):
    make_world(1)
    response = client.get(API + url)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_other_resources_filter_as_the_site_does(client):
    world = make_world(3)
    party = world["parties"][1]
    demands = everything(client, "demands", actor=party.slug)
    assert [d["slug"] for d in demands] == ["demand-1"]
    # A party's responses include its officials': answer-1 is given by official-1.
    responses = {r["slug"] for r in everything(client, "responses", actor=party.slug)}
    assert responses == {"answer-1", "reply-1"}
    # An issue includes its sub-issues.
    assert len(everything(client, "demands", issue="cluster")) == 3
    assert [r["slug"] for r in everything(client, "responses", answers="demand-2")] == ["answer-2"]
    assert [a["slug"] for a in everything(client, "actors", affiliation="party-0")] == [
        "official-0"
    ]
    assert {i["slug"] for i in everything(client, "issues", parent="cluster")} == {
        "issue-0",
        "issue-1",
        "issue-2",
    }
    cited = everything(client, "citations", round="round-1")
    assert [c["round"]["slug"] for c in cited] == ["round-1"]


# --------------------------------------------------------------------------- published only


@pytest.fixture
def hidden():
    """A world of published claims, and beside them every kind of claim the public may not see,
    each cited, and each linked from published claims where it could be."""
    world = make_world(2)
    source = make_source(
        slug="hidden-source",
        text="HIDDEN draft quote. HIDDEN returned quote. HIDDEN reviewed quote. "
        "HIDDEN withdrawn quote. HIDDEN revision quote.",
    )
    party, issue, talk_round = world["parties"][0], world["issues"][0], world["rounds"][0]
    objects = [
        Stance.objects.create(
            actor=world["parties"][1],
            issue=issue,
            talk_round=at_round,
            code=StanceCode.SUPPORTS,
            summary=f"HIDDEN {status} stance",
            attribution=Attribution.REPORTED,
            status=status,
        )
        for status, at_round in (
            (Status.DRAFT, None),
            (Status.REVIEWED, world["rounds"][0]),
            (Status.WITHDRAWN, world["rounds"][1]),
        )
    ]
    cite(source, "HIDDEN draft quote.", stance=objects[0])
    cite(source, "HIDDEN reviewed quote.", stance=objects[1])
    cite(source, "HIDDEN withdrawn quote.", stance=objects[2])

    demand_0 = Demand.objects.get(slug="demand-0")
    draft_demand = Demand.objects.create(
        slug="hidden-demand", actor=party, talk_round=talk_round, text="HIDDEN draft demand"
    )
    draft_demand.issues.add(issue)
    cite(source, "HIDDEN draft quote.", demand=draft_demand)
    # A proposed change to demand-0: same slug, never public until approved.
    revision = Demand.objects.create(
        slug="demand-0",
        actor=party,
        talk_round=talk_round,
        text="HIDDEN revision of demand 0",
        revision_of=demand_0,
    )
    revision.issues.add(issue)
    cite(source, "HIDDEN revision quote.", demand=revision)
    returned = Response.objects.create(
        slug="hidden-response",
        actor=party,
        talk_round=talk_round,
        kind="offer",
        text="HIDDEN returned response",
        status=Status.RETURNED,
    )
    returned.issues.add(issue)
    returned.answers.add(demand_0)  # linked from a published demand
    returned.replies_to.add(Response.objects.get(slug="answer-0"))  # and a published response
    cite(source, "HIDDEN returned quote.", response=returned)
    # A published response that answers the draft demand and replies to the returned response.
    answer = Response.objects.get(slug="answer-1")
    answer.answers.add(draft_demand)
    answer.replies_to.add(returned)
    return world


def test_nothing_unpublished_appears_in_any_endpoint(client, hidden):
    seen = []
    for resource in RESOURCES:
        items = everything(client, resource, page_size=500)
        seen.append(items)
        for item in items:
            if resource != "sources":  # a source's detail holds its text, which is public
                seen.append(get(client, item["api_url"]))
    text = repr(seen)
    assert "HIDDEN" not in text
    for stance in Stance.objects.exclude(status=Status.PUBLISHED):
        assert f"{API}stances/{stance.pk}/" not in text
    for citation in hidden_citations():
        assert f"{API}citations/{citation.pk}/" not in text
    assert "hidden-demand" not in text and "hidden-response" not in text
    # What is published is all there: the world's 2 x 3 stances, 2 demands, 4 responses.
    counts = {r: get(client, f"{API}{r}/")["count"] for r in RESOURCES}
    assert counts["stances"] == 6 and counts["demands"] == 2 and counts["responses"] == 4
    assert counts["citations"] == 2 + 6 + 2 + 4  # round citations and the claims'
    hidden_source = get(client, f"{API}sources/hidden-source/")
    assert hidden_source["citation_count"] == 0
    assert get(client, f"{API}citations/", source="hidden-source")["count"] == 0


def hidden_citations():
    return Citation.objects.filter(source__slug="hidden-source")


def test_unpublished_details_are_404(client, hidden):
    for stance in Stance.objects.exclude(status=Status.PUBLISHED):
        assert client.get(f"{API}stances/{stance.pk}/").status_code == 404
    for citation in hidden_citations():
        assert client.get(f"{API}citations/{citation.pk}/").status_code == 404
    assert client.get(f"{API}demands/hidden-demand/").status_code == 404
    assert client.get(f"{API}responses/hidden-response/").status_code == 404
    # demand-0 is the published original, not its proposed change
    assert get(client, f"{API}demands/demand-0/")["text"] == "Demand 0"


def test_links_between_claims_skip_unpublished_ones(client, hidden):
    demand = get(client, f"{API}demands/demand-0/")
    assert [r["slug"] for r in demand["responses"]] == ["answer-0"]
    answer = get(client, f"{API}responses/answer-1/")
    assert [d["slug"] for d in answer["answers"]] == ["demand-1"]
    assert answer["replies_to"] == []
    assert [r["slug"] for r in get(client, f"{API}responses/answer-0/")["replies"]] == ["reply-0"]


# --------------------------------------------------------------------------- links


def test_a_stance_links_its_actor_issue_round_and_citations(client):
    make_world(1)
    stance = Stance.objects.get(actor__slug="official-0")
    data = get(client, f"{API}stances/{stance.pk}/")
    assert data["api_url"] == f"http://testserver{API}stances/{stance.pk}/"
    assert data["page_url"] == f"http://testserver/stances/{stance.pk}/"
    assert data["actor"]["slug"] == "official-0" and data["party"]["slug"] == "party-0"
    assert data["issue"]["api_url"] == f"http://testserver{API}issues/issue-0/"
    assert data["round"]["page_url"] == "http://testserver/rounds/round-0/"
    assert (data["stance"], data["stance_label"], data["direction"]) == (
        "demands",
        "for: insists",
        "for",
    )
    [quote] = data["citations"]
    citation = stance.citations.get()
    assert quote["source"]["slug"] == "source"
    assert quote["quote"] == "Passage 0: party 0 says its piece on issue 0."
    assert (quote["start"], quote["end"]) == (citation.start, citation.end)
    assert (
        quote["page_url"] == f"http://testserver/sources/source/#c{citation.start}-{citation.end}"
    )
    # Every link leads somewhere, and to the same thing.
    assert get(client, data["actor"]["api_url"])["name"] == "Official 0"
    assert get(client, quote["api_url"])["stance"]["id"] == stance.pk
    assert client.get(quote["page_url"]).status_code == 200


def test_lists_paginate_with_count_next_and_previous(client):
    make_world(3)  # 9 stances
    first = get(client, f"{API}stances/", page_size=4)
    assert first["count"] == 9 and first["previous"] is None and len(first["results"]) == 4
    second = get(client, first["next"])
    third = get(client, second["next"])
    assert third["next"] is None and len(third["results"]) == 1
    assert get(client, third["previous"]) == second
    ids = [s["id"] for page in (first, second, third) for s in page["results"]]
    assert sorted(ids) == sorted(Stance.objects.values_list("pk", flat=True))
    assert client.get(f"{API}stances/", {"page": 4, "page_size": 4}).status_code == 404


def test_related_lists_are_linked_from_reference_data(client):
    make_world(2)
    actor = get(client, f"{API}actors/party-0/")
    assert [m["slug"] for m in actor["members"]] == ["official-0"]
    assert actor["stances"] == f"http://testserver{API}stances/?actor=party-0"
    assert get(client, actor["stances"])["count"] == 2  # its own and its official's
    source = get(client, f"{API}sources/source/")
    assert source["text"].startswith("Passage 0:")
    assert get(client, source["citations"])["count"] == source["citation_count"] == 2 + 6 + 2 + 4
    assert "text" not in get(client, f"{API}sources/")["results"][0]  # lists stay light
    talk_round = get(client, f"{API}rounds/round-1/")
    assert [p["slug"] for p in talk_round["participants"]] == ["party-1", "official-1"]
    assert talk_round["start_date"] == "2022-01-02" and talk_round["date_precision"] == "day"
    assert talk_round["citations"][0]["quote"].startswith("Passage 1:")


# --------------------------------------------------------------------------- read-only


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path",
    [
        "",
        "sources/",
        "sources/source/",
        "actors/party-0/",
        "issues/issue-0/",
        "rounds/round-0/",
        "stances/",
        "demands/demand-0/",
        "responses/answer-0/",
        "citations/",
    ],
)
def test_writes_are_refused(client, method, path):
    make_world(1)
    before = Stance.objects.count(), Demand.objects.count(), Response.objects.count()
    response = getattr(client, method)(
        API + path, {"slug": "x", "summary": "changed"}, content_type="application/json"
    )
    assert response.status_code == 405
    assert "POST" not in response["Allow"] and "GET" in response["Allow"]
    assert (Stance.objects.count(), Demand.objects.count(), Response.objects.count()) == before
    assert Demand.objects.get(slug="demand-0").text == "Demand 0"


def test_head_and_options_are_allowed(client):
    make_world(1)
    assert client.head(f"{API}stances/").status_code == 200
    options = client.options(f"{API}stances/")
    assert options.status_code == 200 and options["Allow"] == "GET, HEAD, OPTIONS"


def test_every_method_on_the_docs_page_is_answered_never_a_500(client):
    client.raise_request_exception = False
    assert client.get(f"{API}docs/").status_code == 200
    for method in ("options", "post", "put", "patch", "delete"):
        response = getattr(client, method)(f"{API}docs/")
        assert response.status_code == 405, (method, response.status_code)
        assert response["Allow"] == "GET, HEAD"


def test_an_oversized_query_string_is_a_400(client):
    response = client.get(f"{API}stances/?" + "stance=demands&" * 200)
    assert response.status_code == 400
    assert "longer than 2000 characters" in response.json()["detail"]  # JSON, as the API speaks


# --------------------------------------------------------------------------- throttling


def test_each_client_is_throttled(client, monkeypatch):
    """The rate comes from settings (API_THROTTLE_RATE); DRF reads it once, at import."""
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    first = client.get(f"{API}issues/")
    assert first.status_code == 200
    assert (first["RateLimit-Limit"], first["RateLimit-Remaining"]) == ("2", "1")
    assert 0 < int(first["RateLimit-Reset"]) <= 60
    assert client.get(f"{API}actors/")["RateLimit-Remaining"] == "0"
    refused = client.get(f"{API}issues/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another client still has its allowance.
    assert client.get(f"{API}issues/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_format_filters_the_rounds_and_never_picks_an_output(client):
    make_world(2)
    late = RoundFactory(slug="round-late", title="Late round", format="osce", order=99)
    rounds = get(client, f"{API}rounds/", format="osce")["results"]
    assert [r["slug"] for r in rounds] == [late.slug]
    assert len(get(client, f"{API}rounds/", format="bilateral")["results"]) == 2
    assert client.get(f"{API}rounds/", {"format": "atlantis"}).status_code == 400


def test_a_client_cannot_escape_the_throttle_by_writing_x_forwarded_for(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    for forged in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        response = client.get(f"{API}issues/", HTTP_X_FORWARDED_FOR=forged)
    assert response.status_code == 429


def test_behind_a_proxy_the_client_is_the_address_the_proxy_gives(client, settings, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    settings.PROXY_COUNT = 1
    for _ in range(2):
        client.get(f"{API}issues/", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1")
    assert client.get(f"{API}issues/", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert client.get(f"{API}issues/", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_the_rate_is_configured_from_the_environment(settings, monkeypatch):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "positions.api.throttling.ClientRateThrottle"
    ]
    assert AnonRateThrottle().parse_rate(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"])
    monkeypatch.delenv("API_THROTTLE_RATE", raising=False)
    assert env_rate("API_THROTTLE_RATE", "120/min") == "120/min"
    monkeypatch.setenv("API_THROTTLE_RATE", "5000/day")
    assert env_rate("API_THROTTLE_RATE", "120/min") == "5000/day"
    for bad in ("120", "fast", "120/fortnight", "-1/min"):
        monkeypatch.setenv("API_THROTTLE_RATE", bad)
        with pytest.raises(ImproperlyConfigured, match="API_THROTTLE_RATE"):
            env_rate("API_THROTTLE_RATE", "120/min")


# --------------------------------------------------------------------------- schema and docs


def test_the_openapi_schema_is_valid_and_complete(client):
    schema = get(client, f"{API}openapi.json")
    validate(schema)
    paths = set(schema["paths"])
    for resource in RESOURCES:
        assert f"{API}{resource}/" in paths
    for detail in ("stances/{id}/", "citations/{id}/", "demands/{slug}/", "sources/{slug}/"):
        assert API + detail in paths
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())
    stance_filters = {p["name"] for p in schema["paths"][f"{API}stances/"]["get"]["parameters"]}
    assert set(StanceFilter.base_filters) <= stance_filters


def test_the_docs_page_keeps_to_the_content_security_policy(client):
    response = client.get(f"{API}docs/swagger/")
    page = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    # Nothing inline, nothing from another host: Swagger UI comes from our static files.
    assert "<style" not in page and "<script>" not in page and "http" not in page
    assert 'src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"' in page
    script = client.get(f"{API}docs/swagger/", {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert f"{API}openapi.json" in script.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_docs_render_in_a_browser_under_the_csp(live_server, page):
    make_world(1)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}{API}docs/swagger/")
    page.locator("#operations-stances-stances_list .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    # The issue filter takes the issues that exist: Swagger UI offers them in a list.
    page.locator('tr[data-param-name="issue"] select').select_option("cluster")
    page.get_by_role("button", name="Execute").click()
    body = page.locator(".live-responses-table .microlight").first
    body.wait_for()
    screenshot(page, "api-docs")
    assert '"count": 3' in body.inner_text()
    assert violations == []


def test_the_api_guide_lists_every_endpoint_and_parameter_without_javascript(client):
    schema = client.get(f"{API}openapi.json").json()
    page = client.get(f"{API}docs/").content.decode()
    assert "<script" not in page and len(page) < 100_000
    for path, methods in schema["paths"].items():
        assert f"<code>GET {path}</code>" in page, path
        for parameter in methods["get"].get("parameters", []):
            assert f"<code>{parameter['name']}</code>" in page, (path, parameter["name"])
    assert 'href="/api/v1/docs/swagger/"' in page and 'href="/api/v1/openapi.json"' in page
    assert "<code>rejects</code>" in page  # a stance filter's values, listed


def test_the_api_the_package_and_the_feed_are_linked_from_every_page_and_the_about_page(client):
    for url in ("/", "/about/", "/issues/"):
        page = client.get(url).content.decode()
        footer = page.split('<footer class="site">', 1)[1]
        assert 'href="/api/v1/docs/"' in footer and 'href="/data/parley-data.zip"' in footer
        assert 'href="/feeds/claims.atom"' in footer
    about = client.get("/about/").content.decode().split('id="data-heading"', 1)[1]
    assert "curl" in about and 'href="/api/v1/docs/"' in about


def test_every_error_under_the_api_is_json_and_documented(client, dataset):
    client.raise_request_exception = False
    cases = {
        f"{API}stances/abc/": (404, "detail"),
        f"{API}nothing-here/": (404, "detail"),
        f"{API}stances/?page=999": (404, "detail"),
        f"{API}stances/?page=abc": (400, "page"),
        f"{API}stances/?page_size=false": (400, "page_size"),
        f"{API}stances/?page_size=501": (400, "page_size"),
        f"{API}demands/?ordering=text": (400, "ordering"),
        f"{API}stances/?round=atlantis": (400, "round"),
    }
    for url, (status, key) in cases.items():
        response = client.get(url)
        assert response.status_code == status, url
        assert response["Content-Type"].startswith("application/json"), url
        assert key in response.json(), (url, response.json())
    docs = client.post(f"{API}docs/")
    assert docs.status_code == 405 and docs.json() == {"detail": "Method not allowed."}
    schema = client.get(f"{API}openapi.json").json()
    for path, methods in schema["paths"].items():
        for status in ("400", "404", "429"):
            assert status in methods["get"]["responses"], (path, status)
    assert "Error" in schema["components"]["schemas"]


def test_lists_are_ordered_by_the_ordering_parameter(client, dataset):
    ascending = [d["slug"] for d in client.get(f"{API}demands/?ordering=slug").json()["results"]]
    descending = [d["slug"] for d in client.get(f"{API}demands/?ordering=-slug").json()["results"]]
    assert ascending == sorted(ascending) and descending == ascending[::-1]
    ids = [s["id"] for s in client.get(f"{API}stances/?ordering=-id&page_size=5").json()["results"]]
    assert ids == sorted(ids, reverse=True)
    schema = client.get(f"{API}openapi.json").json()
    names = {p["name"] for p in schema["paths"][f"{API}demands/"]["get"]["parameters"]}
    assert "ordering" in names


def test_stance_rows_are_the_packages_stances_filtered_and_paged_as_the_stances(client, dataset):
    from tests.test_datapackage import download, tables

    package = {int(r["id"]): r for r in tables(download(client))["stances"]}
    rows = client.get(f"{API}stance-rows/?page_size=500").json()["results"]
    assert len(rows) == len(package) > 100
    for row in rows:
        expected = package[row["id"]]
        flat = {
            k: ("" if v is None else str(v).lower() if isinstance(v, bool) else str(v))
            for k, v in row.items()
        }
        assert flat == {k: expected[k] for k in flat}, row["id"]
    query = "issue=nato-enlargement&round=geneva-talks-2022&ordering=-id"
    nested = [s["id"] for s in client.get(f"{API}stances/?{query}").json()["results"]]
    flat_ids = [s["id"] for s in client.get(f"{API}stance-rows/?{query}").json()["results"]]
    assert flat_ids == nested and nested


def test_the_stances_are_written_as_the_serializer_documents_them(rf, dataset):
    """The list and detail are written by hand from plain values (positions/api/records.py);
    StanceSerializer is what the OpenAPI document says. Stance for stance, they agree."""
    from positions.api import records
    from positions.api.serializers import StanceSerializer
    from positions.models import CITATIONS

    request = rf.get(f"{API}stances/")
    stances = Stance.objects.published().select_related("actor__affiliation", "issue", "talk_round")
    documented = StanceSerializer(
        stances.prefetch_related(CITATIONS), many=True, context={"request": request}
    ).data
    written = records.stances(stances.values(*records.STANCE_FIELDS), request)
    assert len(written) == len(documented) > 100
    assert any(s["party"] != s["actor"] for s in written)  # officials roll up to a party
    assert any(s["counts_for"] == s["actor"] != s["party"] for s in written)  # their forecasts
    assert any(s["round"] is None for s in written) and any(s["round"] for s in written)
    for mine, theirs in zip(written, documented, strict=True):
        assert mine == theirs, mine["id"]


@pytest.mark.parametrize(
    "url, name",
    [
        (f"{API}stances/?isue=nato-enlargement", "isue"),  # a misspelt filter
        (f"{API}demands/?page=1&sort=slug", "sort"),
        (f"{API}stance-rows/?limit=5", "limit"),
        (f"{API}actors/russia/?page=2", "page"),  # an item takes no parameter
    ],
)
def test_a_parameter_the_endpoint_does_not_take_is_a_400_naming_it(client, url, name):
    response = client.get(url)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [name] and "Not a parameter of this endpoint" in body[name][0]


def test_every_documented_parameter_is_taken(client):
    """The parameters the OpenAPI document lists for each list are exactly what it accepts."""
    schema = get(client, f"{API}openapi.json")
    for path, methods in schema["paths"].items():
        if "{" in path:
            continue
        names = [p["name"] for p in methods["get"].get("parameters", []) if p["in"] == "query"]
        assert names, path
        query = "&".join(f"{n}=" for n in names)
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 400), path
        assert "Not a parameter" not in response.content.decode(), (path, response.content[:300])


def test_dates_are_written_as_the_package_writes_them(client, dataset):
    """One date convention: a full ISO date and its precision, under the package's names."""
    from tests.test_datapackage import download, tables

    package = tables(download(client))
    for resource, table, fields in [
        ("rounds", "rounds", ("start_date", "end_date", "date_precision")),
        ("sources", "sources", ("published_on", "date_precision")),
    ]:
        rows = {r["slug"]: r for r in package[table]}
        items = everything(client, resource)
        assert len(items) == len(rows)
        for item in items:
            assert {f: item[f] or "" for f in fields} == {f: rows[item["slug"]][f] for f in fields}
    precisions = {r["date_precision"] for r in everything(client, "rounds")}
    assert "month" in precisions and "day" in precisions  # both kinds are compared


def test_a_method_the_api_does_not_answer_is_a_405_whatever_its_parameters(client):
    response = client.generic("TRACE", f"{API}stances/?page_size=1&nonsense=1")
    assert response.status_code == 405
    assert client.options(f"{API}stances/?page=1").status_code == 200
