"""What changed on the public site and when: the read side of the changes page and the feeds.

Every save of a claim is a record in its history (django-simple-history). An *event* is a record
that changed what the public sees:

- **published**: a record with the status published, after none or after a spell off the site;
- **changed**: a later record, still published, whose public content (the reading, who, where,
  the note, the quotes and links) differs from the record before it: an approved proposed change,
  an editor's correction, a quote added;
- **withdrawn**: the record that took a published claim off the site (withdrawn, or deleted).

Nothing else is an event: drafts, claims sent back or marked reviewed, and proposed changes
(``revision_of``) are never public, however often they are saved. The published and changed events
of a claim that is not public now are left out too, so that a withdrawn reading is not repeated;
its withdrawal is told by the last version the public saw, without quotes or the editor's reason.

Every list costs a fixed number of queries: one UNION of the three histories for the events (and
one count for a paginator), one query per kind of claim for the versions the events show, and one
for the sources their quotes name.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from itertools import groupby

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.text import Truncator

from positions.curation.review import REVIEW_FIELDS
from positions.models import Actor, Demand, Issue, Response, Source, Stance, Status

CLAIM_MODELS = {model._meta.model_name: model for model in (Stance, Demand, Response)}
PUBLISHED, CHANGED, WITHDRAWN = "published", "changed", "withdrawn"


# --------------------------------------------------------------------------- scopes


def everything(model):
    return Q()


def on_issue(issue):
    """Claims on the issue or one of its sub-issues: a stance by the issue of its version, a
    demand or response by the issues it is linked to now (history does not keep links)."""
    issues = Issue.objects.within(issue).values("pk")

    def scope(model):
        if model is Stance:
            return Q(issue_id__in=issues)
        return Q(id__in=model._base_manager.filter(issues__in=issues).values("pk"))

    return scope


def by_actor(actor):
    """Claims made by the actor or, for a party, by the officials who speak for it."""
    speakers = Actor.objects.speaking_for(actor).values("pk")
    return lambda model: Q(actor_id__in=speakers)


# --------------------------------------------------------------------------- which records


def public_fields(model):
    """What a reader sees of a version: every field but those the review owns, and the evidence
    (the quotes and links as text)."""
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in REVIEW_FIELDS or f.name == "evidence"
    ]


def shows_the_same(model, outer):
    """True when the published record whose history_id is the outer column ``outer`` shows what
    the outer record shows (NULL equal to NULL)."""
    same = Q()
    for f in model._meta.concrete_fields:
        if f.attname not in public_fields(model):
            continue
        equal = Q(**{f.attname: OuterRef(f.attname)})
        if f.null:
            equal |= Q(**{f"{f.attname}__isnull": True}) & Q(IsNull(OuterRef(f.attname), True))
        same &= equal
    history = model.history.model.objects
    return Exists(history.filter(same, history_id=OuterRef(outer), status=Status.PUBLISHED))


def claim_events(model, scope=everything):
    """The events of one kind of claim as unordered values rows: a part of the UNION."""
    history = model.history.model.objects
    earlier = history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
    latest_earlier = earlier.order_by("-history_id")
    published = Q(status=Status.PUBLISHED)
    deleted = Q(history_type="-")
    went_off = ~published & ~deleted & Q(before_status=Status.PUBLISHED)
    taken_off = (published & deleted) | went_off
    shown = (
        published & ~deleted & Q(unchanged=False) & Q(id__in=model.objects.published().values("pk"))
    )
    return (
        history.filter(scope(model), revision_of__isnull=True)
        .annotate(
            before_id=Subquery(latest_earlier.values("history_id")[:1]),
            before_status=Subquery(latest_earlier.values("status")[:1]),
        )
        .annotate(unchanged=shows_the_same(model, "before_id"))
        .filter(shown | taken_off)
        .annotate(
            model=Value(model._meta.model_name, output_field=CharField()),
            event=Case(
                When(taken_off, then=Value(WITHDRAWN)),
                When(before_status=Status.PUBLISHED, then=Value(CHANGED)),
                default=Value(PUBLISHED),
                output_field=CharField(),
            ),
            # A withdrawal shows the last version the public saw, never the record that took
            # the claim off the site, which may carry an editor's unpublished edit.
            shows=Case(When(went_off, then=F("before_id")), default=F("history_id")),
        )
        .order_by()
        .values("model", "history_id", "history_date", "event", "shows")
    )


def events(scope=everything):
    """Every event, newest first, as values rows (one query when evaluated or sliced)."""
    first, *rest = [claim_events(model, scope) for model in CLAIM_MODELS.values()]
    return first.union(*rest, all=True).order_by("-history_date", "-history_id", "model")


# --------------------------------------------------------------------------- what they show

CITES = re.compile(
    r"^cites (?P<source>[-\w]+): “(?P<quote>.*?)”(?: after “.*?”)?(?: before “.*?”)?$"
)


def quotes_in(evidence):
    """(source slug, quote) for each citation in a version's evidence text, in order: the
    format written by ``Claim.compute_evidence`` (held to it by tests/test_feeds.py)."""
    found = (CITES.match(line) for line in evidence.splitlines())
    return [(m["source"], m["quote"]) for m in found if m]


@dataclass
class Quote:
    text: str
    source: Source | None


@dataclass
class Event:
    kind: str  # published, changed or withdrawn
    at: datetime
    history_id: int
    claim: Stance | Demand | Response  # the version the event shows, its relations loaded
    quotes: list

    @property
    def model_name(self):
        return self.claim._meta.model_name

    @property
    def is_public(self):
        return self.kind != WITHDRAWN

    @cached_property
    def link(self):
        """The claim's page; a withdrawn claim has none, so its speaker's page."""
        return (
            self.claim.get_absolute_url() if self.is_public else self.claim.actor.get_absolute_url()
        )

    @property
    def kind_label(self):
        return {PUBLISHED: "Published", CHANGED: "Changed", WITHDRAWN: "Withdrawn"}[self.kind]

    @property
    def what(self):
        """The kind of claim in plain words."""
        if isinstance(self.claim, Stance):
            return "stance"
        if isinstance(self.claim, Demand):
            return "demand"
        return self.claim.get_kind_display()

    @property
    def text(self):
        return self.claim.summary if isinstance(self.claim, Stance) else self.claim.text

    @property
    def name(self):
        """The claim as every page names it: "Russia: for: insists — NATO rules out …"."""
        return Truncator(str(self.claim)).chars(140)

    @property
    def title(self):
        return self.name if self.kind == PUBLISHED else f"{self.kind_label}: {self.name}"

    @property
    def local_date(self):
        return timezone.localdate(self.at)

    def tag(self, authority):
        """A unique, stable id for the event: a tag URI (RFC 4151) naming the claim as its page
        does (a demand or response by its slug, a stance by its id) and the history record,
        dated by the day of the event."""
        name = getattr(self.claim, "slug", None) or self.claim.pk
        return f"tag:{authority},{self.at:%Y-%m-%d}:{self.model_name}/{name}/{self.kind}/{self.history_id}"


def load(rows, with_quotes=True):
    """The events of ``rows`` (from ``events()``), each with the version it shows: one query per
    kind of claim among them, and one for the sources of their quotes."""
    wanted = defaultdict(set)
    for row in rows:
        wanted[row["model"]].add(row["shows"])
    versions = {}
    for name, ids in wanted.items():
        model = CLAIM_MODELS[name]
        related = ["actor", "talk_round", *(["issue"] if model is Stance else [])]
        for record in model.history.model.objects.filter(history_id__in=ids).select_related(
            *related
        ):
            claim = record.instance
            for field in related:
                setattr(claim, field, getattr(record, field))
            versions[(name, record.history_id)] = claim
    slugs = set()
    if with_quotes:
        for claim in versions.values():
            slugs.update(slug for slug, _ in quotes_in(claim.evidence))
    sources = {s.slug: s for s in Source.objects.filter(slug__in=slugs).only("slug", "title")}
    found = []
    for row in rows:
        claim = versions.get((row["model"], row["shows"]))
        if claim is None:
            continue
        quotes = []
        if with_quotes and row["event"] != WITHDRAWN:
            quotes = [Quote(text, sources.get(slug)) for slug, text in quotes_in(claim.evidence)]
        found.append(Event(row["event"], row["history_date"], row["history_id"], claim, quotes))
    return found


def by_day(found):
    """[(day, [events of that day])], in the order given (newest first)."""
    return [(day, list(items)) for day, items in groupby(found, key=lambda e: e.local_date)]
