"""Factories for test data (factory_boy): each builds one valid, published record with whatever
it needs, and ``make_world`` builds a small world of n of everything from them."""

import datetime

import factory
from factory.django import DjangoModelFactory

from positions import models
from positions.models import ActorKind, Attribution, DatePrecision, StanceCode, Status

CODES = [StanceCode.DEMANDS, StanceCode.REJECTS, StanceCode.OPEN, StanceCode.CONDITIONAL]


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = models.Source
        django_get_or_create = ("slug",)

    slug = "source"
    title = factory.LazyAttribute(lambda source: f"Article {source.slug}")
    kind = "opinion"
    file_name = factory.LazyAttribute(lambda source: f"{source.slug}.txt")
    text = "Some verbatim text."


class ActorFactory(DjangoModelFactory):
    class Meta:
        model = models.Actor

    slug = factory.Sequence(lambda i: f"party-{i}")
    name = factory.LazyAttribute(lambda actor: actor.slug.replace("-", " ").capitalize())
    kind = ActorKind.STATE


class IssueFactory(DjangoModelFactory):
    class Meta:
        model = models.Issue

    slug = factory.Sequence(lambda i: f"issue-{i}")
    title = factory.LazyAttribute(lambda issue: issue.slug.replace("-", " ").capitalize())


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = models.TalkRound

    slug = factory.Sequence(lambda i: f"round-{i}")
    title = factory.LazyAttribute(lambda talk_round: talk_round.slug.replace("-", " ").capitalize())
    format = "bilateral"
    city = "Geneva"


class ClaimFactory(DjangoModelFactory):
    class Meta:
        abstract = True

    status = Status.PUBLISHED


class StanceFactory(ClaimFactory):
    class Meta:
        model = models.Stance

    actor = factory.SubFactory(ActorFactory)
    issue = factory.SubFactory(IssueFactory)
    code = StanceCode.SUPPORTS
    summary = factory.LazyAttribute(lambda stance: f"{stance.actor.name} on {stance.issue.title}")
    attribution = Attribution.REPORTED


class DemandFactory(ClaimFactory):
    class Meta:
        model = models.Demand

    slug = factory.Sequence(lambda i: f"demand-{i}")
    actor = factory.SubFactory(ActorFactory)
    text = factory.LazyAttribute(lambda demand: demand.slug.replace("-", " ").capitalize())


class ResponseFactory(ClaimFactory):
    class Meta:
        model = models.Response

    slug = factory.Sequence(lambda i: f"answer-{i}")
    actor = factory.SubFactory(ActorFactory)
    kind = "rejection"
    text = factory.LazyAttribute(lambda response: response.slug.replace("-", " ").capitalize())


def source_text(n):
    return (
        "\n".join(f"Passage {i}: party {i} says its piece on issue {i}." for i in range(n)) + "\n"
    )


def make_source(slug="source", text="Some verbatim text.", **kwargs):
    return SourceFactory(slug=slug, text=text, **kwargs)


def cite(source, quote, **target):
    """A citation of the first occurrence of ``quote`` in ``source``, backing ``target``."""
    start = source.text.index(quote)
    return models.Citation.objects.create(
        source=source, quote=quote, start=start, end=start + len(quote), **target
    )


def make_world(n):
    """n parties (each with an official), n analysts, n issues under one parent, n rounds,
    and for each i: stances of party i, its official and analyst i, a demand, an answer to it
    and a reply to the answer, each citing passage i of one source."""
    source = make_source(text=source_text(n))
    parent = IssueFactory(slug="cluster", title="Cluster", order=0)
    world = {"source": source, "parent": parent, "parties": [], "issues": [], "rounds": []}
    for i in range(n):
        quote = f"Passage {i}: party {i} says its piece on issue {i}."
        party = ActorFactory(slug=f"party-{i}", name=f"Party {i}", order=i)
        official = ActorFactory(
            slug=f"official-{i}",
            name=f"Official {i}",
            kind=ActorKind.OFFICIAL,
            affiliation=party,
            order=100 + i,
        )
        analyst = ActorFactory(
            slug=f"analyst-{i}", name=f"Analyst {i}", kind=ActorKind.ANALYST, order=200 + i
        )
        issue = IssueFactory(slug=f"issue-{i}", title=f"Issue {i}", parent=parent, order=i + 1)
        talk_round = RoundFactory(
            slug=f"round-{i}",
            title=f"Round {i}",
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
            stance = StanceFactory(
                actor=actor,
                issue=issue,
                talk_round=None if actor is analyst else talk_round,
                code=CODES[i % len(CODES)],
                summary=f"{actor.name} on issue {i}",
                attribution=attribution,
            )
            cite(source, quote, stance=stance)
        demand = DemandFactory(slug=f"demand-{i}", actor=party, talk_round=talk_round)
        demand.issues.add(issue)
        cite(source, quote, demand=demand)
        answer = ResponseFactory(slug=f"answer-{i}", actor=official, talk_round=talk_round)
        answer.issues.add(issue)
        answer.answers.add(demand)
        cite(source, quote, response=answer)
        reply = ResponseFactory(
            slug=f"reply-{i}", actor=party, talk_round=talk_round, kind="threat"
        )
        reply.issues.add(issue)
        reply.replies_to.add(answer)
        cite(source, quote, response=reply)
        world["parties"].append(party)
        world["issues"].append(issue)
        world["rounds"].append(talk_round)
    return world
