"""The read side: what each page shows, as plain data, with a fixed number of queries.

Views ask this module for plain structures and render them; no template triggers a query. Every
query starts from ``published()``: drafts never reach a public page or a download.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, IntegerField, Max, Prefetch, Q, Value, Window

from positions import models, stance_rule
from positions.site import reader
from positions.site.comparison import Cell, column_sort_key

# --------------------------------------------------------------------------- recipes


def published_stances(preview=False):
    """Stances as every public page needs them: who, what, where, and their citations.
    ``preview``: drafts and proposals too, for a staff member's preview of a page."""
    stances = models.Stance.objects.all() if preview else models.Stance.objects.published()
    return stances.select_related(
        "actor__affiliation", "issue__parent", "talk_round"
    ).prefetch_related(models.CITATIONS)


def published_demands(preview=False):
    demands = models.Demand.objects.all() if preview else models.Demand.objects.published()
    return demands.select_related("actor__affiliation", "talk_round").prefetch_related(
        "issues", models.CITATIONS
    )


def published_responses(preview=False):
    responses = models.Response.objects.all() if preview else models.Response.objects.published()
    return responses.select_related("actor__affiliation", "talk_round").prefetch_related(
        "issues", models.CITATIONS, "answers"
    )


def answered_demands():
    """Demands as their list shows them: who tabled each, at which round, and every published
    response to it with who gave it (no quotes)."""
    answers = models.Response.objects.published().select_related("actor")
    answers = answers.order_by(models.ROUND_ORDER, "slug")
    return (
        models.Demand.objects.published()
        .select_related("actor__affiliation", "talk_round")
        .prefetch_related(Prefetch("responses", queryset=answers))
    )


def listed_demands():
    """Demands as a page lists them (speaker, round, quotes): without the issues they are on."""
    return (
        models.Demand.objects.published()
        .select_related("actor__affiliation", "talk_round")
        .prefetch_related(models.CITATIONS)
    )


def listed_responses():
    """Responses as a page lists them: without their issues and the demands they answer."""
    return (
        models.Response.objects.published()
        .select_related("actor__affiliation", "talk_round")
        .prefetch_related(models.CITATIONS)
    )


# --------------------------------------------------------------------------- entity pages


def sources_with_counts():
    """Sources with the number of their citations the public may see."""
    public = models.published_citation("citations__")
    return list(
        models.Source.objects.public()
        .annotate(n_citations=Count("citations", filter=public))
        .order_by("slug")
    )


def overview():
    """The dataset at a glance: sources, rounds, how much is recorded and when it last changed."""
    return {
        "sources": sources_with_counts(),
        "rounds": list(models.TalkRound.objects.public().order_by("order")),
        "last_change": last_change(),
        "counts": {
            "actors": models.Actor.objects.public().count(),
            "issues": models.Issue.objects.public().count(),
            "stances": models.Stance.objects.published().count(),
            "demands": models.Demand.objects.published().count(),
            "responses": models.Response.objects.published().count(),
            "citations": models.Citation.objects.published().count(),
        },
    }


# A claim's history (of models.CURATED) counts only once public (published or withdrawn): a
# curator's draft changes nothing the public sees.
PUBLIC_STATUSES = [models.Status.PUBLISHED, models.Status.WITHDRAWN]


def latest(queryset, field_name):
    """SELECT MAX(field) FROM the queryset's table, as a one-column queryset to combine with
    union(). Grouping by a constant keeps Django from grouping by every column."""
    return (
        queryset.order_by()
        .annotate(everything=Value(1, output_field=IntegerField()))
        .values("everything")
        .annotate(latest=Max(field_name))
        .values("latest")
    )


def last_change():
    """When the public data last changed: the latest entry in the curated models' history or the
    latest load of the fixtures, whichever is later; None before anything is loaded.

    One query: a UNION ALL of one MAX per table."""
    parts = []
    for model in models.CURATED:
        history = model.history.model.objects.all()
        if hasattr(history.model, "status"):
            history = history.filter(status__in=PUBLIC_STATUSES)
        if model is models.Citation:  # a draft's citations are not public either
            history = history.filter(
                Q(talk_round_id__isnull=False)
                | Q(stance__status__in=PUBLIC_STATUSES)
                | Q(demand__status__in=PUBLIC_STATUSES)
                | Q(response__status__in=PUBLIC_STATUSES)
            )
        parts.append(latest(history, "history_date"))
    parts.append(latest(models.DatasetSync.objects.filter(kind=models.DatasetSync.Kind.LOAD), "at"))
    dates = [row["latest"] for row in parts[0].union(*parts[1:], all=True)]
    return max((d for d in dates if d is not None), default=None)


# An issue page shows the movement of the issue and of each sub-issue, a section each; sections
# are paged so that a page holds about this many stances (at least one section): every cluster of
# the curated data fits on one page.
STANCES_PER_PAGE = 150


def section_pages(issues, counts):
    """Split the sections (issues, in order) into pages of at most STANCES_PER_PAGE stances."""
    pages, current, held = [], [], 0
    for issue in issues:
        n = counts.get(issue.pk, 0)
        if current and held + n > STANCES_PER_PAGE:
            pages.append(current)
            current, held = [], 0
        current.append(issue)
        held += n
    pages.append(current)
    return pages


def issue_page(issue, page=1):
    """How each party's stance on the issue (and its sub-issues) moved from round to round, one
    page of sections (``pages``: every page's issues, when there is more than one); the first page
    also lists the first demands and responses on them.
    Raises django.core.paginator.EmptyPage past the last page."""
    issues = [issue, *models.Issue.objects.public().filter(parent=issue).order_by("order", "title")]
    counts = dict(
        models.Stance.objects.published()
        .filter(issue__in=issues)
        .order_by()
        .values_list("issue_id")
        .annotate(n=Count("pk"))
    )
    pages = section_pages(issues, counts)
    if not 1 <= page <= len(pages):
        raise EmptyPage(f"No page {page} of this issue.")
    shown = pages[page - 1]
    rounds = list(models.TalkRound.objects.public().order_by("order"))
    stances = list(published_stances().filter(issue__in=shown))
    sections = []
    for current in shown:
        own = [s for s in stances if s.issue_id == current.pk]
        section = {"issue": current, **movement_table(own, rounds)}
        analysis = section["analysis"]
        section["analysis"] = Some(analysis[:SHOWN], len(analysis))
        sections.append(section)

    def tagged(model):
        return model.objects.filter(issues__in=issues).values("pk")

    first = page == 1
    return {
        "issue": issue,
        "sections": sections,
        "page": page,
        "pages": list(enumerate(pages, 1)) if len(pages) > 1 else [],
        "demands": some(listed_demands().filter(pk__in=tagged(models.Demand))) if first else None,
        "responses": some(listed_responses().filter(pk__in=tagged(models.Response)))
        if first
        else None,
    }


def movement_table(stances, rounds):
    """Parties (rows) x rounds (columns), each cell with its stances and the move since before."""
    party_stances = [s for s in stances if s.is_position]
    analysis = [s for s in stances if not s.is_position]
    columns = [None, *rounds]  # None: stated outside any particular round
    used = {s.talk_round_id for s in party_stances}
    columns = [r for r in columns if (r.pk if r else None) in used]
    parties = {}
    cells = defaultdict(list)
    for stance in party_stances:
        party = stance.actor.party
        parties[party.pk] = party
        cells[(party.pk, stance.talk_round_id)].append(stance)
    rows = []
    for party in sorted(parties.values(), key=column_sort_key):
        previous = None
        row_cells = []
        for column in columns:
            in_cell = cells.get((party.pk, column.pk if column else None), [])
            cell = Cell(party, in_cell)
            headline = cell.headline
            move = stance_rule.movement(previous, headline.code) if headline else None
            if headline:
                previous = headline.code
            row_cells.append(
                {
                    "cell": cell,
                    "column": column,  # named in the cell on a narrow screen
                    "movement": move,
                    "change": stance_rule.CHANGES.get(move),
                }
            )
        rows.append({"party": party, "cells": row_cells})
    return {
        "columns": columns,
        "rows": rows,
        "analysis": analysis,
        "play": stance_rule.state_of_play(party_stances),
    }


# A page about one round, actor or issue shows the first of each kind of claim, then says how
# many there are and links to the full, paginated list: its cost follows what it shows. No list
# of the curated data is longer, but for an actor's stances, which are the heart of its page (the
# longest, Russia's with its officials', holds 35).
SHOWN = 20
SHOWN_ACTOR_STANCES = 40


@dataclass
class Some:
    """The first items of a list, and how many there are in all."""

    items: list
    total: int

    @property
    def more(self):
        return self.total - len(self.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __bool__(self):
        return bool(self.items)


def some(queryset, n=None):
    """One query: the first ``n`` (SHOWN) rows, each carrying the count of all (a window over
    the whole filtered set, computed before the LIMIT)."""
    items = list(queryset.annotate(total_count=Window(Count("pk")))[: n or SHOWN])
    return Some(items, items[0].total_count if items else 0)


def actor_page(actor):
    """An actor's stances, the demands it tabled, the responses it gave and received.

    For a party, its officials' claims are included, each naming its speaker.
    """
    stances = some(
        published_stances().by_party(actor).order_by("issue__order", models.ROUND_ORDER, "pk"),
        SHOWN_ACTOR_STANCES,
    )
    demands = some(listed_demands().by_party(actor))
    given = some(listed_responses().by_party(actor))
    answering = models.Response.answers.through.objects.filter(
        demand__in=models.Demand.objects.by_party(actor)
    ).values("response")
    given_ids = models.Response.objects.by_party(actor).values("pk")
    received = some(listed_responses().filter(pk__in=answering).exclude(pk__in=given_ids))
    members = list(actor.members.public().order_by("order", "name"))
    return {
        "actor": actor,
        "members": members,
        "stances": stances,
        "demands": demands,
        "responses_given": given,
        "responses_received": received,
    }


def round_page(talk_round):
    return {
        "round": talk_round,
        "participants": list(talk_round.participants.public().order_by("order", "name")),
        "citations": list(talk_round.citations.select_related("source").defer("source__text")),
        "stances": some(published_stances().filter(talk_round=talk_round)),
        "demands": some(listed_demands().filter(talk_round=talk_round)),
        "responses": some(listed_responses().filter(talk_round=talk_round)),
    }


CHAIN_DEPTH = 3


def demand_page(demand):
    """The demand and its chain of answers, level by level, to a fixed depth, in one query.

    Level 1 answers the demand; level 2 replies to level 1; level 3 replies to level 2.
    """
    in_chain = (
        Q(answers=demand)
        | Q(replies_to__answers=demand)
        | Q(replies_to__replies_to__answers=demand)
    )
    chain = list(
        published_responses()
        .filter(pk__in=models.Response.objects.filter(in_chain).values("pk"))
        .prefetch_related(Prefetch("replies_to", queryset=models.Response.objects.only("pk")))
        .order_by(models.ROUND_ORDER, "slug")
    )
    levels, placed = [], set()
    current = {r.pk for r in chain if demand in r.answers.all()}
    while current and len(levels) < CHAIN_DEPTH:
        levels.append([r for r in chain if r.pk in current])
        placed |= current
        current = {
            r.pk
            for r in chain
            if r.pk not in placed and any(other.pk in current for other in r.replies_to.all())
        }
    issues = list(demand.issues.order_by("order"))
    return {"demand": demand, "issues": issues, "levels": levels}


def response_page(response):
    return {
        "response": response,
        "issues": list(response.issues.order_by("order")),
        "answers": list(published_demands().filter(responses=response)),
        "replies_to": list(published_responses().filter(replies=response)),
        "replies": list(published_responses().filter(replies_to=response)),
    }


# --------------------------------------------------------------------------- sources


PASSAGES_PER_PAGE = 50  # a source page lists this many cited passages, each with its claims


def source_passages(source, page=1, page_url=lambda number: f"?page={number}"):
    """Every cited passage of a source, in order, as reader.Passage data (no HTML), and the page
    of them that is listed (``page``, 1, 2, ...: PASSAGES_PER_PAGE of them): those carry the
    published claims (and rounds) that cite them; the others, ``listed_at`` the address of the
    page that lists them (``page_url(number)``). An invalid ``page`` raises InvalidPage.

    Two queries whatever the size of the source: every cited span with its counts (one narrow,
    grouped query: what the highlighting needs), and the citations of the page's passages with
    their claims."""
    spans = list(
        models.Citation.objects.published()
        .filter(source=source)
        .order_by("start", "end")
        .values_list("start", "end")
        .annotate(n=Count("pk"), rounds=Count("pk", filter=Q(talk_round__isnull=False)))
    )
    shown = Paginator(spans, PASSAGES_PER_PAGE).page(page)
    by_span = defaultdict(list)
    if spans:
        (first, first_end, *_), (last, last_end, *_) = shown[0], shown[-1]
        for citation in (
            models.Citation.objects.published()
            .filter(source=source)
            .filter(Q(start__gt=first) | Q(start=first, end__gte=first_end))
            .filter(Q(start__lt=last) | Q(start=last, end__lte=last_end))
            .select_related(*PASSAGE_CLAIMS)
            .order_by("start", "end", "pk")
        ):
            by_span[(citation.start, citation.end)].append(citation)
    on_page = {(start, end) for start, end, *_ in shown}
    passages = []
    for index, (start, end, n, rounds) in enumerate(spans):
        label = cited_by(n - rounds, rounds)
        if (start, end) in on_page:
            citations = tuple(by_span[(start, end)])
            passage = reader.Passage(start, end, label=label, count=n, citations=citations)
        else:
            listed_at = page_url(index // PASSAGES_PER_PAGE + 1)
            passage = reader.Passage(start, end, label=label, count=n, listed_at=listed_at)
        passages.append(passage)
    return passages, shown


PASSAGE_CLAIMS = (
    "stance__actor",
    "stance__issue",
    "stance__talk_round",
    "demand__actor",
    "response__actor",
    "talk_round",
)


def cited_by(claims, rounds=0):
    """What a reader is told about a passage: "Passage cited by 2 claims" (and rounds)."""
    said = [
        f"{n} {word}{'' if n == 1 else 's'}"
        for n, word in ((claims, "claim"), (rounds, "round"))
        if n
    ]
    return "Passage cited by " + " and ".join(said)


def latest_two_rounds():
    """{"from": the second latest round, "to": the latest}, of the rounds at which a published
    position was taken (what moved opens on); empty with fewer than two."""
    rounds = (
        models.TalkRound.objects.filter(stances__in=models.Stance.objects.published().positions())
        .distinct()
        .order_by("-order")
        .values_list("slug", flat=True)[:2]
    )
    latest = list(rounds)
    return {"from": latest[1], "to": latest[0]} if len(latest) == 2 else {}


def claim_spans(source):
    """Every passage of ``source`` each published claim (or round) cites, in the text's order:
    {(kind, id): [(start, end), ...]}, for stepping from one to the next. One narrow query."""
    found = defaultdict(list)
    rows = (
        models.Citation.objects.published()
        .filter(source=source)
        .order_by("start", "end", "pk")
        .values_list("stance_id", "demand_id", "response_id", "talk_round_id", "start", "end")
    )
    for stance, demand, response, talk_round, start, end in rows:
        spans = found[models.target_key(stance, demand, response, talk_round)]
        if (start, end) not in spans:
            spans.append((start, end))
    return found
