"""The comparison's cells are chosen in SQL (window functions); they must be exactly what the
one stance rule says (positions/stance_rule.py): the column a stance counts in, the headline by
its tie-break (a round's over a standing one, the party's own before an official's at equal
rounds, then the first-listed actor, then the first recorded), with the cell's claim and citation
counts and its earliest code. On the real data and on generated data full of ties."""

import random
from collections import defaultdict

import pytest

from positions import stance_rule
from positions.models import (
    Actor,
    ActorKind,
    Attribution,
    Issue,
    Stance,
    StanceCode,
    Status,
    TalkRound,
)
from positions.site import comparison
from positions.site.filters import StanceFilter

pytestmark = pytest.mark.django_db


def by_rule(stances, officials_separate):
    """The rule, in plain Python over model instances: what the SQL must agree with."""
    cells = defaultdict(list)
    for stance in stances.select_related("actor__affiliation", "talk_round").order_by(
        "issue__order", "actor__order", "talk_round__order", "pk"
    ):
        column = stance.actor if officials_separate else stance_rule.column_of(stance)
        cells[(stance.issue_id, column.pk, stance.is_position)].append(stance)
    expected = {}
    for key, group in cells.items():
        cell = comparison.Cell(None, group)
        earliest = stance_rule.earliest(group)
        expected[key] = (
            cell.headline.pk,
            len(group),
            sum(s.citations.count() for s in group),
            earliest.code if len(group) > 1 and earliest.code != cell.headline.code else None,
        )
    return expected


def in_sql(stances, officials_separate):
    tables = comparison.comparison_tables(stances, officials_separate)
    parties, analysis = tables.parties, tables.analysis
    found = {}
    for table, position in ((parties, True), (analysis, False)):
        for group in table.groups:
            for row in group.rows:
                for cell in row.cells:
                    if cell.headline:
                        found[(row.issue.pk, cell.column.pk, position)] = (
                            cell.headline.pk,
                            cell.n_claims,
                            cell.n_citations,
                            cell.was.code if cell.was else None,
                        )
    return found


@pytest.mark.parametrize("officials_separate", [False, True])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"as_of": "geneva-talks-2022"},
        {"round": "geneva-talks-2022"},
        {"issue": "nato-enlargement"},
    ],
)
def test_the_cells_chosen_in_sql_follow_the_rule(params, officials_separate, dataset):
    stances = StanceFilter(params or None, queryset=Stance.objects.published()).qs
    expected = by_rule(stances, officials_separate)
    assert expected  # the real dataset has cells under every one of these filters
    assert in_sql(stances, officials_separate) == expected


def test_the_analysts_table_holds_only_assessments_and_forecasts(dataset):
    tables = comparison.comparison_tables(Stance.objects.published())
    parties, analysis = tables.parties, tables.analysis
    analyst_ids = set(
        Stance.objects.published().exclude(stance_rule.position_q()).values_list("pk", flat=True)
    )
    for table, inside in ((parties, False), (analysis, True)):
        for group in table.groups:
            for row in group.rows:
                for cell in row.cells:
                    if cell.headline:
                        assert (cell.headline.pk in analyst_ids) is inside


@pytest.mark.parametrize("seed", range(4))
def test_sql_follows_the_rule_on_generated_data_with_ties(seed):
    """Parties with two officials listed at the same place, several stances at one round, standing
    positions and forecasts: every tie the rule breaks, broken the same way in SQL."""
    rng = random.Random(seed)
    rounds = [
        TalkRound.objects.create(slug=f"r{i}", title=f"R{i}", format="bilateral", order=i)
        for i in range(3)
    ]
    issues = [Issue.objects.create(slug=f"i{i}", title=f"I{i}", order=i) for i in range(3)]
    actors = []
    for p in range(3):
        party = Actor.objects.create(slug=f"p{p}", name=f"P{p}", kind=ActorKind.STATE, order=p)
        actors.append(party)
        for o in range(2):
            actors.append(
                Actor.objects.create(
                    slug=f"p{p}o{o}",
                    name=f"P{p} official {o}",
                    kind=ActorKind.OFFICIAL,
                    affiliation=party,
                    order=50,  # the same place: the tie falls to the first recorded
                )
            )
    seen = set()
    for _ in range(60):
        actor, issue = rng.choice(actors), rng.choice(issues)
        talk_round = rng.choice([None, *rounds])
        if (actor.pk, issue.pk, talk_round) in seen:
            continue
        seen.add((actor.pk, issue.pk, talk_round))
        Stance.objects.create(
            actor=actor,
            issue=issue,
            talk_round=talk_round,
            code=rng.choice(list(StanceCode)),
            summary="s",
            attribution=rng.choice([Attribution.ON_RECORD, Attribution.REPORTED]),
            status=Status.PUBLISHED,
        )
    stances = Stance.objects.published()
    assert in_sql(stances, False) == by_rule(stances, False)
    # And each tie really was there to break: some cell held stances of one round by two actors.
    groups = defaultdict(set)
    for s in stances.select_related("actor"):
        groups[(s.issue_id, s.actor.affiliation_id or s.actor_id, s.talk_round_id)].add(s.actor_id)
    assert any(len(actor_ids) > 1 for actor_ids in groups.values())
