"""Loading and verifying the curated dataset: the shipped data, bad input, idempotency."""

import hashlib
import re
from contextlib import contextmanager

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F

from positions import models
from positions.dataset.fixtures import DatasetError
from positions.dataset.verify import verify_citations
from positions.dataset.write import load_dataset
from tests.conftest import snapshot

pytestmark = pytest.mark.django_db


def quiet(_message):
    pass


def load(fixtures, seeds):
    return load_dataset(fixtures, seeds, log=quiet)


def read(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write(path, records):
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problem_text(exc_info):
    return "\n".join(str(p) for p in exc_info.value.problems)


# --------------------------------------------------------------------------- the shipped dataset


def test_shipped_dataset_loads_and_every_citation_verifies():
    load(settings.PARLEY_FIXTURES_DIR, settings.PARLEY_SEEDS_DIR)
    assert verify_citations() == []
    assert models.Source.objects.count() == 3
    assert models.TalkRound.objects.count() >= 6
    # "many dozens of cited claims across well over ten actors and issues"
    claims = (
        models.Stance.objects.count()
        + models.Demand.objects.count()
        + models.Response.objects.count()
    )
    assert claims >= 80
    assert models.Actor.objects.count() > 10 and models.Issue.objects.count() > 10
    assert models.Citation.objects.count() >= claims


def test_shipped_dataset_keeps_analysis_apart_from_parties():
    load(settings.PARLEY_FIXTURES_DIR, settings.PARLEY_SEEDS_DIR)
    analyst_readings = [models.Attribution.ANALYSIS, models.Attribution.PROPOSAL]
    assert (
        not models.Stance.objects.filter(attribution__in=analyst_readings)
        .exclude(actor__kind=models.ActorKind.ANALYST)
        .exists()
    )
    assert (
        not models.Stance.objects.filter(actor__kind=models.ActorKind.ANALYST)
        .exclude(attribution__in=analyst_readings)
        .exists()
    )
    # Analysts table no demands and give no responses: those are the parties'.
    assert not models.Demand.objects.filter(actor__kind=models.ActorKind.ANALYST).exists()
    assert not models.Response.objects.filter(actor__kind=models.ActorKind.ANALYST).exists()


def test_shipped_dataset_invents_no_metadata():
    load(settings.PARLEY_FIXTURES_DIR, settings.PARLEY_SEEDS_DIR)
    impasse = models.Source.objects.get(slug="way-out-of-impasse")
    assert impasse.author == "" and impasse.published_on is None and impasse.url == ""
    assert impasse.get_date_precision_display() == "unknown"
    trenin = models.Source.objects.get(slug="trenin-week-of-talks")
    assert trenin.author == "Dmitry Trenin"
    assert str(trenin.published_on) == "2022-01-21"
    # No source gives the day of the Geneva talks or the place of the Lavrov-Blinken meeting.
    assert models.TalkRound.objects.get(slug="geneva-talks-2022").date_display == "January 2022"
    assert models.TalkRound.objects.get(slug="lavrov-blinken-2022").city == ""


def test_every_claim_and_round_cites_at_least_one_passage():
    load(settings.PARLEY_FIXTURES_DIR, settings.PARLEY_SEEDS_DIR)
    for model in (models.Stance, models.Demand, models.Response, models.TalkRound):
        assert not model.objects.filter(citations__isnull=True).exists(), model


def test_seed_files_are_the_verbatim_articles_named_by_their_hash():
    for source in read(settings.PARLEY_FIXTURES_DIR / "sources.yaml"):
        data = (settings.PARLEY_SEEDS_DIR / source["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == source["sha256"]


def test_loading_twice_changes_nothing():
    first = load(settings.PARLEY_FIXTURES_DIR, settings.PARLEY_SEEDS_DIR)
    assert first.changes > 0
    before = snapshot()
    second = load(settings.PARLEY_FIXTURES_DIR, settings.PARLEY_SEEDS_DIR)
    assert second.changes == 0
    assert snapshot() == before


def test_reload_applies_an_edited_reading_without_touching_its_quotes(dataset_dirs):
    fixtures, seeds = dataset_dirs
    load(fixtures, seeds)
    stances = read(fixtures / "stances.yaml")
    target = stances[0]
    key = (target["actor"], target["issue"], target.get("round"))
    quotes_before = list(
        models.Citation.objects.filter(stance__actor__slug=key[0], stance__issue__slug=key[1])
        .order_by("pk")
        .values_list("pk", "quote", "start", "end")
    )
    target["summary"] = "A revised reading of the same passage."
    write(fixtures / "stances.yaml", stances)
    report = load(fixtures, seeds)
    assert report.updated == {"stances": 1}
    stance = models.Stance.objects.get(
        actor__slug=key[0], issue__slug=key[1], talk_round__slug=key[2]
    )
    assert stance.summary == "A revised reading of the same passage."
    quotes_after = list(
        models.Citation.objects.filter(stance__actor__slug=key[0], stance__issue__slug=key[1])
        .order_by("pk")
        .values_list("pk", "quote", "start", "end")
    )
    assert quotes_after == quotes_before


def test_management_commands_load_and_check(capsys):
    call_command("load_dataset")
    out = capsys.readouterr().out
    assert "Checking fixtures/stances.yaml" in out  # long loads say what they are doing
    assert "Dataset loaded" in out
    call_command("check_citations")
    assert "citations verified" in capsys.readouterr().out


@contextmanager
def outside_the_triggers():
    """What a database owner can do by hand: write citations with the triggers that check them
    disabled (PostgreSQL; SQLite has none on citations)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = origin")


def test_check_citations_fails_on_a_tampered_citation():
    call_command("load_dataset", verbosity=0)
    citation = models.Citation.objects.select_related("source").first()
    with outside_the_triggers():  # the database refuses it otherwise
        models.Citation.objects.filter(pk=citation.pk).update(
            start=citation.start + 3, end=citation.end + 3
        )
    with pytest.raises(CommandError, match="1 citation checks failed"):
        call_command("check_citations")


def test_check_citations_fails_on_a_changed_source_text():
    call_command("load_dataset", verbosity=0)
    # The database refuses a change of a cited text (test_no_edit_lost.py); what is left to go
    # wrong is a hash or an offset written outside Django, say by a bad restore.
    source = models.Source.objects.get(slug="trenin-week-of-talks")
    models.Source.objects.filter(pk=source.pk).update(sha256="0" * 64)
    with outside_the_triggers():
        source.citations.update(start=F("start") + 7, end=F("end") + 7)
    failures = verify_citations()
    assert any("no longer matches its SHA-256" in f for f in failures)
    assert any("trenin-week-of-talks" in f and "not the quote" in f for f in failures)


# --------------------------------------------------------------------------- bad input
# Each breaks one thing in a private copy of the dataset, loaded over the good one: the load
# must be refused with a message naming the file, the record and the field, and change nothing.


def break_stance_quote(fixtures, seeds):
    stances = read(fixtures / "stances.yaml")
    stances[2]["citations"][0]["quote"] = "NATO agreed to dissolve itself"
    write(fixtures / "stances.yaml", stances)
    return r"stances\.yaml, record 3 \(.+\), field citations\[0\]\.quote: quote not found"


def straighten_a_curly_quote(fixtures, seeds):
    rounds = read(fixtures / "rounds.yaml")
    for record in rounds:
        for citation in record["citations"]:
            if "’" in citation["quote"] or "“" in citation["quote"]:
                citation["quote"] = citation["quote"].replace("’", "'").replace("“", '"')
                write(fixtures / "rounds.yaml", rounds)
                return r"rounds\.yaml, record \d+ .*field citations\[\d\]\.quote: quote not found"
    # No curly quote in rounds: put one in where the source has a straight one.
    rounds[0]["citations"][0]["quote"] = rounds[0]["citations"][0]["quote"].replace("'", "’")
    write(fixtures / "rounds.yaml", rounds)
    return r"rounds\.yaml, record 1 \(geneva-summit-2021\), field citations\[0\]\.quote: quote not"


def ambiguous_quote(fixtures, seeds):
    demands = read(fixtures / "demands.yaml")
    demands[0]["citations"] = [{"source": "trenin-week-of-talks", "quote": "NATO"}]
    write(fixtures / "demands.yaml", demands)
    return r"demands\.yaml, record 1 \(.+\), field citations\[0\]\.quote: quote occurs \d+ times"


def dangling_actor(fixtures, seeds):
    stances = read(fixtures / "stances.yaml")
    stances[0]["actor"] = "atlantis"
    write(fixtures / "stances.yaml", stances)
    return r"stances\.yaml, record 1 \(atlantis / .+\), field actor: refers to actor 'atlantis'"


def dangling_demand(fixtures, seeds):
    responses = read(fixtures / "responses.yaml")
    responses[0]["answers"] = ["no-such-demand"]
    write(fixtures / "responses.yaml", responses)
    return r"responses\.yaml, record 1 \(.+\), field answers: refers to demand 'no-such-demand'"


def duplicate_slug(fixtures, seeds):
    issues = read(fixtures / "issues.yaml")
    issues.append(dict(issues[0]))
    write(fixtures / "issues.yaml", issues)
    return rf"issues\.yaml, record {len(issues)} \(nato-enlargement\), field slug: duplicate slug"


def duplicate_stance(fixtures, seeds):
    stances = read(fixtures / "stances.yaml")
    stances.append(dict(stances[0]))
    write(fixtures / "stances.yaml", stances)
    return rf"stances\.yaml, record {len(stances)} .*: duplicate stance"


def impossible_date(fixtures, seeds):
    rounds = read(fixtures / "rounds.yaml")
    rounds[0]["date"] = "2022-02-30"
    write(fixtures / "rounds.yaml", rounds)
    return r"rounds\.yaml, record 1 \(geneva-summit-2021\), field date: day is out of range"


def end_before_start(fixtures, seeds):
    rounds = read(fixtures / "rounds.yaml")
    rounds[5]["end"] = "2022-01-01"
    write(fixtures / "rounds.yaml", rounds)
    return r"rounds\.yaml, record 6 \(lavrov-blinken-2022\), field end: the round cannot end before"


def changed_source_file(fixtures, seeds):
    path = seeds / "000_e8e4e6b33814a9da.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Geneva", "Genf"), encoding="utf-8")
    return (
        r"sources\.yaml, record 1 \(trenin-week-of-talks\), field sha256: seeds/000_.+ has changed"
    )


def malformed_yaml(fixtures, seeds):
    (fixtures / "actors.yaml").write_text("- slug: russia\n  name: [unclosed\n", encoding="utf-8")
    return r"actors\.yaml: malformed YAML: line \d+, column \d+"


def truncated_file(fixtures, seeds):
    text = (fixtures / "stances.yaml").read_text(encoding="utf-8")
    (fixtures / "stances.yaml").write_text(text[: len(text) // 2] + '\n  - "', encoding="utf-8")
    return r"stances\.yaml: malformed YAML"


def unknown_field(fixtures, seeds):
    actors = read(fixtures / "actors.yaml")
    actors[0]["nickname"] = "the Bear"
    write(fixtures / "actors.yaml", actors)
    return r"actors\.yaml, record 1 \(russia\), field nickname: unknown field"


def bad_choice(fixtures, seeds):
    stances = read(fixtures / "stances.yaml")
    stances[0]["stance"] = "adores"
    write(fixtures / "stances.yaml", stances)
    return r"stances\.yaml, record 1 \(.+\), field stance: Value 'adores' is not a valid choice"


def uncited_claim(fixtures, seeds):
    responses = read(fixtures / "responses.yaml")
    responses[0]["citations"] = []
    write(fixtures / "responses.yaml", responses)
    return r"responses\.yaml, record 1 \(.+\), field citations: required field is missing"


def analysis_given_to_a_party(fixtures, seeds):
    stances = read(fixtures / "stances.yaml")
    index = next(i for i, s in enumerate(stances) if s["actor"] == "russia")
    stances[index]["attribution"] = "analysis"
    write(fixtures / "stances.yaml", stances)
    return rf"stances\.yaml, record {index + 1} \(russia / .+\), field attribution: russia: Analysis and proposals belong to an analyst"


BREAKAGES = [
    break_stance_quote,
    straighten_a_curly_quote,
    ambiguous_quote,
    dangling_actor,
    dangling_demand,
    duplicate_slug,
    duplicate_stance,
    impossible_date,
    end_before_start,
    changed_source_file,
    malformed_yaml,
    truncated_file,
    unknown_field,
    bad_choice,
    uncited_claim,
    analysis_given_to_a_party,
]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda f: f.__name__)
def test_bad_input_is_refused_with_its_place_and_nothing_is_written(dataset_dirs, breakage):
    fixtures, seeds = dataset_dirs
    load(fixtures, seeds)
    before = snapshot()
    expected = breakage(fixtures, seeds)
    with pytest.raises(DatasetError) as info:
        load(fixtures, seeds)
    assert re.search(expected, problem_text(info)), problem_text(info)
    assert snapshot() == before


@pytest.mark.parametrize("breakage", [break_stance_quote, dangling_actor], ids=lambda f: f.__name__)
def test_bad_input_into_an_empty_database_writes_nothing(dataset_dirs, breakage):
    fixtures, seeds = dataset_dirs
    breakage(fixtures, seeds)
    with pytest.raises(DatasetError):
        load(fixtures, seeds)
    assert (
        models.Source.objects.count()
        == models.Actor.objects.count()
        == models.Stance.objects.count()
        == 0
    )


def test_every_field_problem_is_reported_at_once(dataset_dirs):
    fixtures, seeds = dataset_dirs
    unknown_field(fixtures, seeds)
    bad_choice(fixtures, seeds)
    impossible_date(fixtures, seeds)
    with pytest.raises(DatasetError) as info:
        load(fixtures, seeds)
    text = problem_text(info)
    assert "actors.yaml, record 1 (russia), field nickname: unknown field" in text
    assert "field stance: Value 'adores' is not a valid choice" in text
    assert "rounds.yaml, record 1 (geneva-summit-2021), field date" in text
    assert len(info.value.problems) == 3


def test_a_database_error_is_reported_as_itself_and_nothing_is_written(dataset_dirs, monkeypatch):
    """A write the checks missed fails the load; the report names that failure, not the
    follow-on "error in the current transaction" of anything run while unwinding."""
    from positions.dataset import write as dataset

    fixtures, seeds = dataset_dirs
    load(fixtures, seeds)
    stances = read(fixtures / "stances.yaml")
    others = (c for s in stances[1:] for c in s["citations"] if c not in stances[0]["citations"])
    stances[0]["citations"][-1] = next(others)  # a citation deleted, then one created
    write(fixtures / "stances.yaml", stances)
    before = snapshot()
    real = dataset.bulk_create_with_history

    def failing(objs, model, **kwargs):
        if model is models.Citation:
            models.Citation.objects.create(source_id=None, start=0, end=1, quote="x")
        return real(objs, model, **kwargs)

    monkeypatch.setattr(dataset, "bulk_create_with_history", failing)
    with pytest.raises(DatasetError, match=r"database refused the data: .*source"):
        load(fixtures, seeds)
    assert snapshot() == before


def test_the_command_exits_non_zero_and_names_the_record(dataset_dirs):
    fixtures, seeds = dataset_dirs
    break_stance_quote(fixtures, seeds)
    with pytest.raises(CommandError, match=r"stances\.yaml, record 3"):
        call_command("load_dataset", fixtures=fixtures, seeds=seeds, verbosity=0)


# --------------------------------------------------------------------------- back to fixtures


def test_export_of_the_shipped_dataset_is_byte_identical(tmp_path):
    call_command("load_dataset", verbosity=0)
    call_command("export_dataset", out=tmp_path, verbosity=0)
    for name in sorted(p.name for p in settings.PARLEY_FIXTURES_DIR.glob("*.yaml")):
        exported = (tmp_path / "fixtures" / name).read_bytes()
        assert exported == (settings.PARLEY_FIXTURES_DIR / name).read_bytes(), name
    for seed in settings.PARLEY_SEEDS_DIR.glob("*.txt"):
        assert (tmp_path / "seeds" / seed.name).read_bytes() == seed.read_bytes()


def test_an_edit_in_the_database_exports_as_a_small_diff(tmp_path):
    call_command("load_dataset", verbosity=0)
    stance = models.Stance.objects.filter(actor__slug="russia").order_by("pk").first()
    stance.summary = "An edited reading."
    stance.status = "draft"
    stance.save()
    call_command("export_dataset", out=tmp_path, verbosity=0)
    before = (
        (settings.PARLEY_FIXTURES_DIR / "stances.yaml").read_text(encoding="utf-8").splitlines()
    )
    after = (tmp_path / "fixtures" / "stances.yaml").read_text(encoding="utf-8").splitlines()
    changed = [line for line in after if line not in before]
    assert "  summary: An edited reading." in changed
    assert "  status: draft" in changed
    assert len(changed) == 2
    # And the exported files load back, with the edit.
    load(tmp_path / "fixtures", tmp_path / "seeds")
    assert models.Stance.objects.get(pk=stance.pk).summary == "An edited reading."


# --------------------------------------------------------------------------- evidence in history


def test_a_loaded_claim_carries_its_evidence_and_reloading_changes_nothing():
    load(settings.PARLEY_FIXTURES_DIR, settings.PARLEY_SEEDS_DIR)
    demand = models.Demand.objects.filter(citations__isnull=False).order_by("slug").first()
    for citation in demand.citations.select_related("source"):
        assert f"cites {citation.source.slug}: “{' '.join(citation.quote.split())}”" in (
            demand.evidence
        )
    assert "issues: " in demand.evidence
    # The claim's history shows its citations: one record, written with the claim.
    [created] = demand.history.all()
    assert created.evidence == demand.evidence and created.history_change_reason == "load_dataset"
    # The loader computes it without asking per claim; it is what the model would compute.
    for model in (models.Stance, models.Demand, models.Response):
        for claim in model.objects.all():
            assert claim.evidence and claim.evidence == claim.compute_evidence(), claim
    before = snapshot()
    assert load(settings.PARLEY_FIXTURES_DIR, settings.PARLEY_SEEDS_DIR).changes == 0
    assert snapshot() == before


def test_a_reload_that_changes_nothing_asks_a_fixed_number_of_queries(django_assert_num_queries):
    load(settings.PARLEY_FIXTURES_DIR, settings.PARLEY_SEEDS_DIR)
    # savepoint, release; the stored sources; actors, twice (parties, then officials); issues,
    # twice (clusters, then sub-issues); rounds; their participants; demands; their issues;
    # responses; their issues, answers, replies_to; stances; citations of rounds, demands,
    # responses, stances; the keys of sources, actors, issues, rounds, demands, responses,
    # stances (what the fixtures no longer hold); the last load or export, whether anyone has
    # changed the data in the admin since, and the log of this load; whether search's entries
    # exist (none are made when nothing changed); on PostgreSQL, the load lock.
    with django_assert_num_queries(32 if connection.vendor == "postgresql" else 31):
        load(settings.PARLEY_FIXTURES_DIR, settings.PARLEY_SEEDS_DIR)


def test_a_changed_citation_shows_in_the_claims_history(dataset_dirs):
    fixtures, seeds = dataset_dirs
    load(fixtures, seeds)
    stances = read(fixtures / "stances.yaml")
    record = stances[0]
    # Replace its last citation by a passage another stance cites.
    dropped = record["citations"][-1]
    added = next(c for s in stances[1:] for c in s["citations"] if c not in record["citations"])
    record["citations"][-1] = added
    write(fixtures / "stances.yaml", stances)
    assert load(fixtures, seeds).updated == {"stances": 1}
    stance = stance_at((record["actor"], record["issue"], record.get("round"))).get()
    assert " ".join(dropped["quote"].split()) not in stance.evidence
    assert " ".join(added["quote"].split()) in stance.evidence
    assert stance.evidence == stance.compute_evidence()
    # One new version, with the new evidence; the one before still shows the old citation.
    latest, previous = stance.history.all()[:2]
    assert stance.history.count() == 2
    assert latest.history_change_reason == "load_dataset"
    assert latest.evidence == stance.evidence
    assert " ".join(dropped["quote"].split()) in previous.evidence


# --------------------------------------------------------------------------- stale records
# The fixtures are the dataset: a record they no longer hold is reported, and pruned on request.


def drop_stance(fixtures, index=0):
    """Remove one stance from stances.yaml; return its natural key."""
    stances = read(fixtures / "stances.yaml")
    removed = stances.pop(index)
    write(fixtures / "stances.yaml", stances)
    return removed["actor"], removed["issue"], removed.get("round")


def stance_at(key):
    actor, issue, round_ = key
    return models.Stance.objects.filter(
        actor__slug=actor, issue__slug=issue, talk_round__slug=round_, revision_of=None
    )


def propose_change(claim, **changes):
    """A curator's pending proposed change to a published claim, as the admin saves it."""
    from positions.curation.review import propose

    changed = type(claim).objects.get(pk=claim.pk)
    for name, value in changes.items():
        setattr(changed, name, value)
    return propose(claim, None, changed)


def test_a_record_the_fixtures_no_longer_hold_is_reported_and_left(dataset_dirs, capsys):
    fixtures, seeds = dataset_dirs
    load(fixtures, seeds)
    key = drop_stance(fixtures)
    before = snapshot()
    report = load(fixtures, seeds)
    assert report.stale == {"stance": [" / ".join(k for k in key if k)]}
    assert report.changes == 0 and snapshot() == before
    assert stance_at(key).get().status == "published"
    call_command("load_dataset", fixtures=fixtures, seeds=seeds, verbosity=0)
    out = capsys.readouterr().out
    assert "1 records in the database are not in the fixtures" in out
    assert "load_dataset --prune" in out
    assert f"  stance {' / '.join(k for k in key if k)}\n" in out
    assert "Dataset loaded (no changes" in out


def test_prune_deletes_a_stale_claim_with_its_citations_and_history_shows_it(
    dataset_dirs, capsys, django_capture_on_commit_callbacks
):
    from positions.models import DatasetVersion

    fixtures, seeds = dataset_dirs
    load(fixtures, seeds)
    key = drop_stance(fixtures)
    stance = stance_at(key).get()
    revision = propose_change(stance, summary="A proposed rereading.")
    citation_ids = list(stance.citations.values_list("pk", flat=True))
    assert citation_ids and revision.citations.exists()
    version = DatasetVersion.current()
    with django_capture_on_commit_callbacks(execute=True):  # the version moves on commit
        call_command("load_dataset", fixtures=fixtures, seeds=seeds, prune=True, verbosity=0)
    out = capsys.readouterr().out
    assert "Pruned 1 records the fixtures no longer hold:" in out
    assert "Dataset loaded (no changes" not in out
    assert f"  stance {' / '.join(k for k in key if k)}\n" in out
    # The stance, its citations and its pending proposed change are gone...
    assert not models.Stance.objects.filter(pk__in=[stance.pk, revision.pk]).exists()
    assert not models.Citation.objects.filter(pk__in=citation_ids).exists()
    assert not models.Citation.objects.filter(stance=revision.pk).exists()
    # ...and their history says so, and why.
    deleted = models.Stance.history.get(id=stance.pk, history_type="-")
    assert deleted.history_change_reason == "load_dataset --prune"
    assert deleted.summary == stance.summary
    gone = models.Citation.history.filter(id__in=citation_ids, history_type="-")
    assert gone.count() == len(citation_ids)
    assert {h.history_change_reason for h in gone} == {"load_dataset --prune"}
    assert DatasetVersion.current() > version  # cached pages retired
    # Nothing is left to prune, and the rest of the dataset is as loaded.
    report = load_dataset(fixtures, seeds, log=quiet, prune=True)
    assert report.changes == 0 and report.stale == {} and report.pruned == {}
    assert verify_citations() == []


def test_prune_refuses_to_orphan_and_writes_nothing(dataset_dirs):
    fixtures, seeds = dataset_dirs
    load(fixtures, seeds)
    # A record the fixtures never held, still used by something the load keeps: a curator's
    # pending proposed change to a kept stance names it as the actor.
    ghost = models.Actor.objects.create(slug="ghost", name="Ghost", kind=models.ActorKind.STATE)
    kept = models.Stance.objects.filter(actor__slug="russia").order_by("pk").first()
    propose_change(kept, actor=ghost, attribution=models.Attribution.REPORTED)
    key = drop_stance(fixtures, index=1)
    stances = read(fixtures / "stances.yaml")
    stances[0]["summary"] = "An edit the refused load must not write."
    write(fixtures / "stances.yaml", stances)
    before = snapshot()
    with pytest.raises(DatasetError) as info:
        load_dataset(fixtures, seeds, log=quiet, prune=True)
    [problem] = info.value.problems
    assert problem.record == "actor ghost"
    assert "not in actors.yaml" in problem.message and "orphan" in problem.message
    assert f"stance ghost / {kept.issue.slug}" in problem.message
    assert "(a pending proposed change)" in problem.message
    assert snapshot() == before
    assert stance_at(key).exists()
    with pytest.raises(CommandError, match=r"database, record actor ghost: not in actors\.yaml"):
        call_command("load_dataset", fixtures=fixtures, seeds=seeds, prune=True, verbosity=0)
    assert snapshot() == before
    # Without --prune the load goes ahead and names both stale records.
    report = load(fixtures, seeds)
    assert report.stale == {"actor": ["ghost"], "stance": [" / ".join(k for k in key if k)]}
    assert report.updated == {"stances": 1}


def test_pending_proposed_changes_are_not_stale_and_not_touched(dataset_dirs, tmp_path):
    fixtures, seeds = dataset_dirs
    load(fixtures, seeds)
    demand = models.Demand.objects.filter(responses__isnull=False).order_by("slug").first()
    response = models.Response.objects.filter(answers__isnull=False).order_by("slug").first()
    stance = models.Stance.objects.order_by("pk").first()
    revisions = [
        propose_change(demand, text="A proposed rewording."),
        propose_change(response, text="A proposed rewording."),
        propose_change(stance, summary="A proposed rereading."),
    ]
    # A response that answers the demand answers its proposed change too (the review's copy).
    assert revisions[0].responses.exists()
    before = snapshot()
    for prune in (False, True):
        report = load_dataset(fixtures, seeds, log=quiet, prune=prune)
        assert report.changes == 0 and report.stale == {}
        assert snapshot() == before
    # The export holds the originals only: still the shipped files, byte for byte.
    out = tmp_path / "export"  # not tmp_path itself: dataset_dirs is there
    call_command("export_dataset", out=out, verbosity=0)
    for name in sorted(p.name for p in fixtures.glob("*.yaml")):
        assert (out / "fixtures" / name).read_bytes() == (fixtures / name).read_bytes(), name
