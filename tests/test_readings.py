"""The codebook's rules across claims (positions/readings.py): each passes on the curated data,
and each refuses a fixture written to break it, naming the file, the record and the field, with
nothing written."""

import copy
import shutil

import pytest
import yaml
from django.conf import settings

from positions import readings
from positions.dataset.fixtures import DatasetError
from positions.dataset.verify import published_readings_findings
from positions.dataset.write import load_dataset
from positions.models import Stance

pytestmark = pytest.mark.django_db


def quiet(_message):
    pass


@pytest.fixture
def fixtures(tmp_path):
    """A copy of the shipped fixtures to break: (directory, read, write)."""
    folder = tmp_path / "fixtures"
    shutil.copytree(settings.PARLEY_FIXTURES_DIR, folder)

    def read(name):
        return yaml.safe_load((folder / name).read_text(encoding="utf-8"))

    def write(name, records):
        text = yaml.safe_dump(records, allow_unicode=True, sort_keys=False)
        (folder / name).write_text(text, encoding="utf-8")

    return folder, read, write


def refused(folder):
    with pytest.raises(DatasetError) as exc_info:
        load_dataset(folder, settings.PARLEY_SEEDS_DIR, log=quiet)
    assert not Stance.objects.exists()  # nothing written
    return [str(problem) for problem in exc_info.value.problems]


def test_the_curated_data_follows_every_rule(dataset):
    assert published_readings_findings() == []


def first_party_stance_at_a_round(stances, actors):
    officials = {a["slug"]: a["affiliation"] for a in actors if a.get("affiliation")}
    for index, stance in enumerate(stances):
        if (
            stance.get("round")
            and stance["actor"] not in officials
            and stance["actor"] in {a for a in officials.values()}
        ):
            return index, stance, [o for o, party in officials.items() if party == stance["actor"]]
    raise AssertionError("no party stance at a round with an official")


def test_one_passage_at_two_rounds_is_refused(fixtures):
    folder, read, write = fixtures
    stances, rounds = read("stances.yaml"), read("rounds.yaml")
    _, stance, _ = first_party_stance_at_a_round(stances, read("actors.yaml"))
    taken = {
        s.get("round")
        for s in stances
        if (s["actor"], s["issue"]) == (stance["actor"], stance["issue"])
    }
    other = next(r["slug"] for r in rounds if r["slug"] not in taken)
    again = copy.deepcopy(stance)
    again["round"] = other
    write("stances.yaml", [*stances, again])
    problems = refused(folder)
    assert any(
        f"stances.yaml, record {len(stances) + 1} ({stance['actor']} / {stance['issue']} / {other})"
        in p
        and "field citations" in p
        and "one statement is one claim, at the round the text places it" in p
        for p in problems
    ), problems


def test_one_passage_counted_twice_for_a_party_is_refused(fixtures):
    folder, read, write = fixtures
    stances = read("stances.yaml")
    _, stance, officials = first_party_stance_at_a_round(stances, read("actors.yaml"))
    official = next(
        o
        for o in officials
        if not any((s["actor"], s["issue"]) == (o, stance["issue"]) for s in stances)
    )
    twice = {**copy.deepcopy(stance), "actor": official}
    write("stances.yaml", [*stances, twice])
    problems = refused(folder)
    assert any(
        f"record {len(stances) + 1} ({official} / {stance['issue']}" in p
        and f"both count for {stance['actor']}" in p
        for p in problems
    ), problems


def test_a_proposition_joining_two_sides_actions_is_refused(fixtures):
    folder, read, write = fixtures
    actors, issues, stances = read("actors.yaml"), read("issues.yaml"), read("stances.yaml")
    for actor in actors:
        if actor["slug"] == "russia":
            actor["aliases"] = "Russian, Moscow"
        if actor["slug"] == "nato":
            actor["aliases"] = "Western, the West"
    title = "New Western sanctions and Russian countersanctions are imposed"
    issues.append({"slug": "both-sanctions", "title": title, "order": 999})
    russia = next(s for s in stances if s["actor"] == "russia" and not s.get("round"))
    nato = next(s for s in stances if s["actor"] == "nato" and not s.get("round"))
    added = [
        {**copy.deepcopy(russia), "issue": "both-sanctions"},
        {**copy.deepcopy(nato), "issue": "both-sanctions"},
    ]
    write("actors.yaml", actors)
    write("issues.yaml", issues)
    write("stances.yaml", [*stances, *added])
    problems = refused(folder)
    assert any(
        "issues.yaml, record" in p
        and "(both-sanctions), field title" in p
        and "joins actions of nato and russia" in p
        for p in problems
    ), problems


def test_a_party_with_nothing_to_show_is_refused(fixtures):
    folder, read, write = fixtures
    actors = read("actors.yaml")
    actors.append({"slug": "atlantis", "name": "Atlantis", "kind": "state"})
    write("actors.yaml", actors)
    problems = refused(folder)
    assert any(
        f"actors.yaml, record {len(actors)} (atlantis), field slug: is a party but has no claim"
        in p
        for p in problems
    ), problems


# --------------------------------------------------------------------------- the parts


def test_a_title_names_two_actions_only_with_words_of_each_side():
    names = {"russia": ["Russia", "Russian"], "nato": ["NATO", "Western", "the West"]}
    compound = readings.compound_parties
    assert compound("New Western sanctions and Russian countersanctions are imposed", names) == {
        "nato",
        "russia",
    }
    # A joint subject is one action by both.
    assert compound("Russia and the West take risk-reduction measures", names) == set()
    assert (
        compound("Communication channels and the NATO-Russia Council are restored", names) == set()
    )
    assert compound("NATO rules out expanding into former Soviet states", names) == set()


def test_a_passage_at_one_round_each_for_two_actors_of_different_parties_is_fine():
    span = readings.Span("article", 0, 10)
    stances = [
        readings.StanceFacts(1, "russia", "russia", "i", "r1", "demands", "reported", [span]),
        readings.StanceFacts(2, "nato", "nato", "i", "r1", "rejects", "reported", [span]),
        # A forecast by an official does not count for the party: no double count.
        readings.StanceFacts(3, "biden", "us", "i", "r1", "doubts", "on_record", [span]),
        readings.StanceFacts(4, "us", "us", "i", "r1", "opposes", "reported", [span]),
    ]
    assert readings.check(stances, [], [], set(), set()) == []
