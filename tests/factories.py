"""Small builders for test data: a world of n of everything, every claim cited and published."""

import datetime

from positions.citations import sha256_text
from positions.models import (
    Actor,
    ActorKind,
    Attribution,
    Citation,
    DatePrecision,
    Demand,
    Issue,
    Response,
    Source,
    Stance,
    StanceCode,
    Status,
    TalkRound,
)

CODES = [StanceCode.DEMANDS, StanceCode.REJECTS, StanceCode.OPEN, StanceCode.CONDITIONAL]


def source_text(n):
    return (
        "\n".join(f"Passage {i}: party {i} says its piece on issue {i}." for i in range(n)) + "\n"
    )


def make_source(slug="source", text="Some verbatim text.", **kwargs):
    values = dict(title=f"Article {slug}", kind="opinion", file_name=f"{slug}.txt", text=text)
    values.update(kwargs)
    return Source.objects.create(slug=slug, sha256=sha256_text(values["text"]), **values)


def cite(source, quote, **target):
    start = source.text.index(quote)
    return Citation.objects.create(
        source=source, quote=quote, start=start, end=start + len(quote), **target
    )


def make_world(n):
    """n parties (each with an official), n analysts, n issues under one parent, n rounds,
    and for each i: stances of party i, its official and analyst i, a demand and an answer."""
    text = source_text(n)
    source = make_source(text=text)
    parent = Issue.objects.create(slug="cluster", title="Cluster", order=0)
    world = {"source": source, "parent": parent, "parties": [], "issues": [], "rounds": []}
    for i in range(n):
        quote = f"Passage {i}: party {i} says its piece on issue {i}."
        party = Actor.objects.create(
            slug=f"party-{i}", name=f"Party {i}", kind=ActorKind.STATE, order=i
        )
        official = Actor.objects.create(
            slug=f"official-{i}",
            name=f"Official {i}",
            kind=ActorKind.OFFICIAL,
            affiliation=party,
            order=100 + i,
        )
        analyst = Actor.objects.create(
            slug=f"analyst-{i}", name=f"Analyst {i}", kind=ActorKind.ANALYST, order=200 + i
        )
        issue = Issue.objects.create(
            slug=f"issue-{i}", title=f"Issue {i}", parent=parent, order=i + 1
        )
        talk_round = TalkRound.objects.create(
            slug=f"round-{i}",
            title=f"Round {i}",
            format="bilateral",
            city="Geneva",
            order=i,
            start_date=datetime.date(2022, 1, 1) + datetime.timedelta(days=i),
            date_precision=DatePrecision.DAY,
        )
        talk_round.participants.add(party, official)
        cite(source, quote, talk_round=talk_round)
        for actor, attribution in (
            (party, Attribution.REPORTED),
            (official, Attribution.ON_RECORD),
            (analyst, Attribution.ANALYSIS),
        ):
            stance = Stance.objects.create(
                actor=actor,
                issue=issue,
                talk_round=None if actor is analyst else talk_round,
                code=CODES[i % len(CODES)],
                summary=f"{actor.name} on issue {i}",
                attribution=attribution,
                status=Status.PUBLISHED,
            )
            cite(source, quote, stance=stance)
        demand = Demand.objects.create(
            slug=f"demand-{i}",
            actor=party,
            talk_round=talk_round,
            text=f"Demand {i}",
            status=Status.PUBLISHED,
        )
        demand.issues.add(issue)
        cite(source, quote, demand=demand)
        answer = Response.objects.create(
            slug=f"answer-{i}",
            actor=official,
            talk_round=talk_round,
            kind="rejection",
            text=f"Answer {i}",
            status=Status.PUBLISHED,
        )
        answer.issues.add(issue)
        answer.answers.add(demand)
        cite(source, quote, response=answer)
        reply = Response.objects.create(
            slug=f"reply-{i}",
            actor=party,
            talk_round=talk_round,
            kind="threat",
            text=f"Reply {i}",
            status=Status.PUBLISHED,
        )
        reply.issues.add(issue)
        reply.replies_to.add(answer)
        cite(source, quote, response=reply)
        world["parties"].append(party)
        world["issues"].append(issue)
        world["rounds"].append(talk_round)
    return world
