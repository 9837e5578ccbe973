"""The data package (/data/parley-data.zip) and the CSV and JSON downloads: valid, complete,
stable, and never showing what the public may not see."""

import csv
import io
import json
import zipfile
from urllib.parse import urlsplit

import frictionless
import pytest

from positions import models
from positions.curation import review
from positions.exports import datapackage
from positions.site.queries import last_change
from tests.factories import cite, make_source, make_world

pytestmark = pytest.mark.django_db

PACKAGE = "/data/parley-data.zip"
DOWNLOADS = ["/demands.csv", "/demands.json", "/responses.csv", "/responses.json"]
CSV_DOWNLOADS = ["/table.csv", "/claims.csv", "/demands.csv", "/responses.csv"]
BOM = b"\xef\xbb\xbf"


def unzip(content):
    """{path inside the package folder: bytes}."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.namelist()[0] == "datapackage.json"  # at the root: tools find it there
    return {name: archive.read(name) for name in archive.namelist()}


def download(client):
    response = client.get(PACKAGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="parley-data.zip"' in response["Content-Disposition"]
    return unzip(response.content)


def tables(files):
    """{table name: list of rows as dicts}, from the package's CSV files."""
    descriptor = json.loads(files["datapackage.json"])
    return {
        r["name"]: list(csv.DictReader(io.StringIO(files[r["path"]].decode("utf-8"))))
        for r in descriptor["resources"]
        if r.get("profile") == "tabular-data-resource"
    }


def validate(files, tmp_path):
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    errors = report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    assert report.valid, errors[:20]


def unresolved_foreign_keys(files):
    """Every foreign key value that names no row of the table it refers to, checked here
    without frictionless."""
    descriptor = json.loads(files["datapackage.json"])
    rows = tables(files)
    missing = []
    for resource in descriptor["resources"]:
        for fk in resource.get("schema", {}).get("foreignKeys", []):
            (field,) = fk["fields"]
            (other,) = fk["reference"]["fields"]
            target = fk["reference"]["resource"] or resource["name"]
            known = {row[other] for row in rows[target]}
            missing += [
                (resource["name"], field, row[field])
                for row in rows[resource["name"]]
                if row[field] and row[field] not in known
            ]
    return missing


def csv_rows(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


# --------------------------------------------------------------------------- the real dataset


def test_the_package_of_the_real_dataset_validates_with_frictionless(client, dataset, tmp_path):
    files = download(client)
    names = {r["name"] for r in json.loads(files["datapackage.json"])["resources"]}
    assert names == {
        "sources",
        "actors",
        "issues",
        "rounds",
        "round_participants",
        "stances",
        "demands",
        "responses",
        "demand_issues",
        "response_issues",
        "response_answers",
        "response_replies",
        "citations",
        "codebook",
    }
    assert set(files) == {"datapackage.json", "codebook.md"} | {
        f"data/{name}.csv" for name in names - {"codebook"}
    }
    assert files["codebook.md"].startswith(b"# Codebook")
    validate(files, tmp_path)


def test_the_descriptor_says_the_licence_the_version_and_the_publishers_copyright(client, dataset):
    descriptor = json.loads(download(client)["datapackage.json"])
    assert descriptor["name"] == "parley"
    assert descriptor["licenses"] == [datapackage.LICENCE]
    assert "CC BY 4.0" in descriptor["description"]
    assert "remain the copyright of their authors and publishers" in descriptor["description"]
    assert descriptor["version"] == f"{last_change():%Y-%m-%dT%H:%M:%SZ}"
    assert descriptor["homepage"] == "http://testserver/about/"
    stances = next(r for r in descriptor["resources"] if r["name"] == "stances")
    assert stances["schema"]["primaryKey"] == ["id"]
    assert {"fields": ["issue"], "reference": {"resource": "issues", "fields": ["slug"]}} in (
        stances["schema"]["foreignKeys"]
    )
    types = {f["name"]: f["type"] for f in stances["schema"]["fields"]}
    assert types["id"] == "integer" and types["analysis"] == "boolean"


def test_the_real_datasets_foreign_keys_resolve_and_counts_are_the_published_counts(
    client, dataset
):
    files = download(client)
    assert unresolved_foreign_keys(files) == []
    rows = tables(files)
    assert len(rows["sources"]) == models.Source.objects.count()
    assert len(rows["actors"]) == models.Actor.objects.count()
    assert len(rows["issues"]) == models.Issue.objects.count()
    assert len(rows["rounds"]) == models.TalkRound.objects.count()
    assert len(rows["stances"]) == models.Stance.objects.published().count()
    assert len(rows["demands"]) == models.Demand.objects.published().count()
    assert len(rows["responses"]) == models.Response.objects.published().count()
    assert len(rows["citations"]) == models.Citation.objects.published().count()
    assert {int(r["id"]) for r in rows["citations"]} == set(
        models.Citation.objects.published().values_list("pk", flat=True)
    )
    answers = models.Response.answers.through.objects.filter(
        response__status=models.Status.PUBLISHED, demand__status=models.Status.PUBLISHED
    )
    assert len(rows["response_answers"]) == answers.count() > 0
    assert len(rows["demand_issues"]) > 0 and len(rows["response_replies"]) > 0
    # The real data has dates of every precision; each is an ISO date.
    assert any(r["published_on"] for r in rows["sources"])
    for row in rows["sources"]:
        assert row["published_on"] == "" or len(row["published_on"]) == 10


# --------------------------------------------------------------------------- stable and complete


def test_building_twice_gives_the_same_bytes(db):
    make_world(3)
    absolute = "https://parley.example{}".format
    _, first = datapackage.files(absolute)
    _, again = datapackage.files(absolute)
    assert first == again
    assert datapackage.build(absolute) == datapackage.build(absolute)
    assert b"https://parley.example/stances/" in first["data/stances.csv"]


def test_every_row_has_its_id_and_a_permalink_that_leads_to_its_page(client):
    make_world(1)
    rows = tables(download(client))
    for name, table in rows.items():
        assert table, name
        for row in table:
            if "permalink" in row:
                url = urlsplit(row["permalink"])
                assert url.scheme == "http" and url.netloc == "testserver", row
                assert client.get(url.path).status_code == 200, (name, row["permalink"])
    stance = models.Stance.objects.published().get(actor__slug="party-0")
    by_id = {r["id"]: r for r in rows["stances"]}
    assert by_id[str(stance.pk)]["permalink"] == f"http://testserver/stances/{stance.pk}/"
    citation = stance.citations.get()
    assert {r["id"]: r for r in rows["citations"]}[str(citation.pk)]["permalink"] == (
        f"http://testserver/sources/source/#c{citation.start}-{citation.end}"
    )


def test_booleans_are_true_or_false_and_dates_iso(client):
    make_world(3)  # stance codes demands, rejects (emphatic), open
    rows = tables(download(client))
    assert {r["analysis"] for r in rows["stances"]} == {"true", "false"}
    assert {r["emphatic"] for r in rows["stances"]} == {"true", "false"}
    assert {r["is_party"] for r in rows["actors"]} == {"true", "false"}
    assert [r["start_date"] for r in rows["rounds"]] == ["2022-01-01", "2022-01-02", "2022-01-03"]
    table = csv_rows(client, "/table.csv")
    assert {r["analysis"] for r in table} == {"true", "false"}


def test_text_cells_are_neutralised_for_spreadsheets(client):
    make_world(1)
    models.Demand.objects.filter(slug="demand-0").update(text='=HYPERLINK("http://x")')
    models.Response.objects.filter(slug="answer-0").update(note="@SUM(A1)")
    package = tables(download(client))
    assert package["demands"][0]["text"] == '\'=HYPERLINK("http://x")'
    assert {r["note"] for r in package["responses"]} == {"", "'@SUM(A1)"}
    assert csv_rows(client, "/demands.csv")[0]["text"] == '\'=HYPERLINK("http://x")'
    assert "'@SUM(A1)" in {r["note"] for r in csv_rows(client, "/responses.csv")}
    # JSON is data, not a spreadsheet: the text as written.
    assert client.get("/demands.json").json()["demands"][0]["text"] == '=HYPERLINK("http://x")'


# --------------------------------------------------------------------------- what stays out


def hide_some(world):
    """Next to a published world: a draft stance, a withdrawn demand, a draft response linked to
    published claims, a published response linked only to hidden ones, and a pending proposed
    change to a published stance, demand and response, each cited. Everything hidden says
    SECRET."""
    other = make_source("other-source", text="First aside. Second aside. Third aside.")
    party, issue = world["parties"][0], world["issues"][0]
    draft = models.Stance.objects.create(
        actor=party,
        issue=issue,
        talk_round=None,
        code="open",
        summary="SECRET draft stance",
        attribution="reported",
        status=models.Status.DRAFT,
    )
    cite(other, "First aside.", stance=draft)
    withdrawn = models.Demand.objects.create(
        slug="secret-withdrawn",
        actor=party,
        text="SECRET withdrawn demand",
        status=models.Status.WITHDRAWN,
        withdrawal_reason="SECRET reason",
    )
    withdrawn.issues.add(issue)
    cite(other, "Second aside.", demand=withdrawn)
    draft_response = models.Response.objects.create(
        slug="secret-draft-response", actor=party, kind="offer", text="SECRET draft response"
    )
    draft_response.issues.add(issue)
    draft_response.answers.add(models.Demand.objects.get(slug="demand-0"))
    draft_response.replies_to.add(models.Response.objects.get(slug="answer-0"))
    cite(other, "Third aside.", response=draft_response)
    public = models.Response.objects.create(
        slug="answers-only-hidden",
        actor=party,
        kind="offer",
        text="A published response to hidden claims",
        status=models.Status.PUBLISHED,
    )
    public.issues.add(issue)
    public.answers.add(withdrawn)
    public.replies_to.add(draft_response)
    cite(other, "Third aside.", response=public)
    for original, field, value in (
        (models.Stance.objects.published().get(actor=party), "summary", "SECRET revised stance"),
        (models.Demand.objects.get(slug="demand-0"), "text", "SECRET revised demand"),
        (models.Response.objects.get(slug="answer-0"), "text", "SECRET revised response"),
    ):
        changed = type(original)._base_manager.get(pk=original.pk)
        setattr(changed, field, value)
        review.propose(original, None, changed)
    assert models.Demand.objects.filter(revision_of__isnull=False).get().responses.exists()
    hidden = models.Citation.objects.exclude(
        pk__in=models.Citation.objects.published().values("pk")
    )
    assert hidden.count() == 3 + 3  # the three hidden claims' and the three proposals' copies
    return set(hidden.values_list("pk", flat=True))


def test_drafts_withdrawn_claims_and_proposed_changes_never_reach_the_package(client, tmp_path):
    hidden_citations = hide_some(make_world(2))
    files = download(client)
    for path, data in files.items():
        text = data.decode("utf-8")
        assert "SECRET" not in text, path
        assert "secret-" not in text, path
    rows = tables(files)
    ids = {int(r["id"]) for r in rows["citations"]}
    assert ids == set(models.Citation.objects.published().values_list("pk", flat=True))
    assert not ids & hidden_citations
    assert len(rows["stances"]) == models.Stance.objects.published().count() == 6
    assert len(rows["demands"]) == 2 and len(rows["responses"]) == 5
    assert "answers-only-hidden" in {r["slug"] for r in rows["responses"]}
    # Links keep only pairs of public claims: one per world item, nothing to a hidden claim.
    assert sorted(tuple(r.values()) for r in rows["response_answers"]) == [
        ("answer-0", "demand-0"),
        ("answer-1", "demand-1"),
    ]
    assert sorted(tuple(r.values()) for r in rows["response_replies"]) == [
        ("reply-0", "answer-0"),
        ("reply-1", "answer-1"),
    ]
    assert len(rows["demand_issues"]) == 2 and len(rows["response_issues"]) == 5
    assert unresolved_foreign_keys(files) == []
    validate(files, tmp_path)


@pytest.mark.parametrize("url", DOWNLOADS + ["/table.csv", "/claims.csv", "/claims.json"])
def test_drafts_withdrawn_claims_and_proposed_changes_never_reach_a_download(client, url):
    hidden_citations = hide_some(make_world(2))
    text = client.get(url).content.decode("utf-8")
    assert "SECRET" not in text and "secret-" not in text
    if url.endswith(".csv") and url != "/table.csv":
        ids = {int(r["citation_id"]) for r in csv.DictReader(io.StringIO(text))}
        assert ids and not ids & hidden_citations


def test_a_response_download_names_only_public_claims_it_answers(client):
    hide_some(make_world(1))
    records = {r["slug"]: r for r in client.get("/responses.json").json()["responses"]}
    assert records["answers-only-hidden"]["answers"] == []
    assert records["answers-only-hidden"]["replies_to"] == []
    assert records["reply-0"]["replies_to"] == ["answer-0"]
    assert records["answer-0"]["answers"] == ["demand-0"]


# --------------------------------------------------------------------------- the downloads


def test_demands_and_responses_downloads_give_ids_permalinks_links_and_quotes(client):
    world = make_world(2)
    demands = csv_rows(client, "/demands.csv")
    assert [(r["slug"], r["actor"], r["round"], r["issues"]) for r in demands] == [
        ("demand-0", "party-0", "round-0", "issue-0"),
        ("demand-1", "party-1", "round-1", "issue-1"),
    ]
    first = demands[0]
    assert first["permalink"] == "http://testserver/demands/demand-0/"
    citation = models.Citation.objects.get(demand__slug="demand-0")
    assert first["citation_id"] == str(citation.pk)
    assert first["citation_permalink"] == (
        f"http://testserver/sources/source/#c{citation.start}-{citation.end}"
    )
    assert world["source"].text[int(first["start"]) : int(first["end"])] == first["quote"]
    responses = {r["slug"]: r for r in csv_rows(client, "/responses.csv")}
    assert set(responses) == {"answer-0", "answer-1", "reply-0", "reply-1"}
    assert responses["answer-0"]["answers"] == "demand-0"
    assert responses["reply-1"]["replies_to"] == "answer-1"
    assert responses["reply-1"]["party"] == "party-1"
    assert responses["answer-1"]["actor"] == "official-1"
    data = client.get("/demands.json").json()
    assert data["page"] == "http://testserver/demands/"
    assert data["demands"][0]["issues"] == ["issue-0"]
    assert data["demands"][0]["citations"][0]["id"] == citation.pk


def test_table_and_claims_csv_have_stable_ids_and_permalinks(client):
    make_world(1)
    stance = models.Stance.objects.get(actor__slug="party-0")
    table = {(r["issue"], r["actor"]): r for r in csv_rows(client, "/table.csv")}
    cell = table[("issue-0", "party-0")]
    assert cell["stance_id"] == str(stance.pk)
    assert cell["permalink"] == f"http://testserver/stances/{stance.pk}/"
    claims = {r["id"]: r for r in csv_rows(client, "/claims.csv")}
    row = claims[str(stance.pk)]
    citation = stance.citations.get()
    assert row["permalink"] == f"http://testserver/stances/{stance.pk}/"
    assert row["citation_id"] == str(citation.pk)
    assert row["citation_permalink"].endswith(f"/sources/source/#c{citation.start}-{citation.end}")


@pytest.mark.parametrize("url", CSV_DOWNLOADS)
def test_bom_option_starts_a_csv_with_a_byte_order_mark(client, url):
    make_world(1)
    plain = client.get(url).content
    marked = client.get(url + "?bom=1").content
    assert not plain.startswith(BOM)
    assert marked == BOM + plain
    assert list(csv.DictReader(io.StringIO(marked.decode("utf-8-sig")))) == list(
        csv.DictReader(io.StringIO(plain.decode("utf-8")))
    )
    assert not client.get(url + "?bom=0").content.startswith(BOM)


def test_the_pages_link_to_the_package_and_the_downloads(client):
    make_world(1)
    about = client.get("/about/").content.decode()
    assert 'href="/data/parley-data.zip"' in about
    assert "?bom=1" in about
    assert 'href="/data/parley-data.zip"' in client.get("/").content.decode()
    demands = client.get("/demands/").content.decode()
    for url in DOWNLOADS + [PACKAGE]:
        assert f'href="{url}"' in demands, url


def test_the_zip_as_downloaded_validates_every_table(client, dataset, tmp_path):
    """`frictionless validate parley-data.zip`, as a data user runs it, checks each table."""
    response = client.get(PACKAGE)
    path = tmp_path / "parley-data.zip"
    path.write_bytes(response.content)
    report = frictionless.validate(str(path))
    checked = {task.name for task in report.tasks}
    names = {
        r["name"] for r in json.loads(unzip(response.content)["datapackage.json"])["resources"]
    }
    assert checked == names and "stances" in checked
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])[:20]


@pytest.mark.parametrize("path", ["/table.csv", "/table.json", "/claims.csv", "/claims.json"])
def test_a_download_with_a_bad_filter_is_a_400_that_says_why(client, path, dataset):
    response = client.get(f"{path}?round=atlantis&issue=nato-enlargement")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Invalid filter." in body and "round" in body and "valid choice" in body
    assert "issue" not in body.split("Invalid filter.", 1)[1]  # only the bad one is named
    assert client.get(f"{path}?issue=nato-enlargement").status_code == 200


def test_the_api_the_downloads_and_the_package_say_the_same_of_every_stance(client, dataset):
    """One vocabulary: the same names, codes and nulls for each stance, wherever it is read."""
    package = {int(r["id"]): r for r in tables(download(client))["stances"]}
    downloaded = {r["id"]: r for r in client.get("/claims.json").json()["claims"]}
    api, url = {}, "/api/v1/stances/?page_size=100"
    while url:
        page = client.get(url).json()
        api.update({r["id"]: r for r in page["results"]})
        url = page["next"]
    assert set(api) == set(downloaded) == set(package) and len(api) > 100
    shared = ["direction", "emphatic", "analysis", "position", "note", "stance", "summary"]
    for pk, row in api.items():
        slug = lambda value: value["slug"] if value else None  # noqa: E731
        said = {
            "actor": slug(row["actor"]),
            "party": slug(row["party"]),
            "round": slug(row["round"]),
            "counts_for": slug(row["counts_for"]),
            **{k: row[k] for k in shared},
        }
        assert {k: downloaded[pk][k] for k in said} == said, pk
        csv_row = package[pk]
        as_csv = {
            k: ("" if v is None else str(v).lower() if isinstance(v, bool) else str(v))
            for k, v in said.items()
        }
        assert {k: csv_row[k] for k in said} == as_csv, pk
