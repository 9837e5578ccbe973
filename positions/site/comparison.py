"""The comparison table: each party's stance on each proposition, and the analysts' readings
and forecasts apart, as plain data for the grid, its downloads and the analysis pages.

The cells are chosen in SQL (one row a cell, by the headline rule of positions/stance_rule.py),
named from the page's lookups (positions/site/lookups.py), and each proposition on the parties' table
gets its state of play. A fixed number of queries whatever the data.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, Window
from django.db.models.functions import FirstValue, RowNumber

from positions import stance_rule
from positions.models import Actor, Issue, Stance, StanceCode, TalkRound
from positions.site.lookups import Lookups


@dataclass
class Cell:
    column: Actor
    stances: list = field(default_factory=list)

    @cached_property
    def headline(self):
        """The stance that stands for the cell (positions/stance_rule.py: ``HEADLINE``)."""
        return stance_rule.headline(self.stances)

    @cached_property
    def was(self):
        """The earliest stance in the cell, when the latest says something else: it moved."""
        if len(self.stances) < 2:
            return None
        first = stance_rule.earliest(self.stances)
        return first if first.code != self.headline.code else None

    @cached_property
    def n_citations(self):
        return sum(s.n_citations for s in self.stances)

    @cached_property
    def n_claims(self):
        return len(self.stances)


@dataclass
class Row:
    issue: Issue
    cells: list
    play: stance_rule.Play | None = None  # where the talks stand on it (the parties' table)


@dataclass
class Group:
    parent: Issue
    rows: list


@dataclass
class Table:
    columns: list
    groups: list
    analysis: bool = False

    @property
    def is_empty(self):
        return not self.groups


@dataclass(frozen=True)
class Reading:
    """A stance as the grid shows it, read from one row of SQL: no model instance per stance."""

    pk: int
    code: str
    summary: str
    talk_round: TalkRound | None

    @property
    def talk_round_id(self):
        return self.talk_round.pk if self.talk_round else None

    @property
    def direction(self):
        return stance_rule.direction(self.code)

    @property
    def emphatic(self):
        return stance_rule.is_emphatic(self.code)

    @property
    def css_class(self):
        return stance_rule.css_class(self.code)

    def get_code_display(self):
        return StanceCode(self.code).label

    def get_absolute_url(self):
        return f"{STANCE_PATH}{self.pk}/"


@dataclass
class GridCell:
    """One cell of the comparison: its headline reading, its counts, and where it came from."""

    column: Actor
    headline: Reading | None = None
    n_claims: int = 0
    n_citations: int = 0
    was: Reading | None = None


STANCE_PATH = "/stances/"  # reverse("positions:stance", args=[0]) without the 0, see views


def grid_rows(queryset, officials_separate=False):
    """One row per filled cell, chosen in the database by the one rule (positions/stance_rule.py):
    the column a stance counts in, the cell's headline by ``HEADLINE``, its counts, and its
    earliest stance's code. A party's positions and the assessments and forecasts are separate
    cells (``position``) even where they share a column. Window functions, on SQLite and
    PostgreSQL alike."""
    column = F("actor_id") if officials_separate else stance_rule.column_sql()
    partition = [F("issue_id"), column, F("position")]
    return (
        queryset.order_by()
        .annotate(
            column_id=column, position=stance_rule.position_sql(), **stance_rule.sql_annotations()
        )
        .annotate(
            rank=Window(RowNumber(), partition_by=partition, order_by=stance_rule.sql_order()),
            n_claims=Window(Count("pk"), partition_by=partition),
            was_code=Window(
                FirstValue("code"),
                partition_by=partition,
                order_by=stance_rule.sql_order(latest_first=False),
            ),
        )
        .filter(rank=1)
        .values_list(
            "pk",
            "issue_id",
            "column_id",
            "code",
            "summary",
            "talk_round_id",
            "position",
            "n_claims",
            "was_code",
        )
    )


def cell_citations(queryset, officials_separate=False):
    """How many citations each cell's claims have, from one grouped join of the stances and their
    citations (not a count run once a stance): {(issue pk, column pk, position): n}."""
    column = F("actor_id") if officials_separate else stance_rule.column_sql()
    rows = (
        queryset.order_by()
        .annotate(column_id=column, position=stance_rule.position_sql())
        .values_list("issue_id", "column_id", "position")
        .annotate(n=Count("citations"))
    )
    return {(issue_id, column_id, position): n for issue_id, column_id, position, n in rows}


# Propositions (rows) on one page of the comparison: every row of the curated data fits on one;
# at a hundred times the data the grid is paged, so its cost follows what a page shows.
ROWS_PER_PAGE = 40


@dataclass
class Comparison:
    """The parties' table and the analysts' table of one page of propositions."""

    parties: Table
    analysis: Table
    page: Page | None = None  # None: every proposition (the downloads)


@dataclass(frozen=True, slots=True)
class Speaker:
    order: int
    affiliation_id: int | None


@dataclass(frozen=True, slots=True)
class Said:
    """A position as the state of play reads it (``stance_rule.order_key``), from one narrow row:
    no model instance per stance."""

    pk: int
    code: str
    attribution: str
    actor_id: int
    actor: Speaker
    talk_round: TalkRound | None

    @property
    def talk_round_id(self):
        return self.talk_round.pk if self.talk_round else None


def plays(issue_ids, until=None):
    """The state of play on each proposition (``stance_rule.state_of_play``), from every party's
    published positions on it, whatever else a page filters on: up to the round ``until`` when
    given, standing positions included. One query of narrow rows; {issue pk: Play}."""
    positions = Stance.objects.published().positions().filter(issue_id__in=issue_ids)
    if until is not None:
        positions = positions.filter(
            Q(talk_round__isnull=True) | Q(talk_round__order__lte=until.order)
        )
    rows = positions.order_by().values_list(
        "issue_id",
        "pk",
        "code",
        "attribution",
        "actor_id",
        "actor__order",
        "actor__affiliation_id",
        "talk_round_id",
        "talk_round__order",
        "talk_round__slug",
        "talk_round__title",
    )
    by_issue, rounds = defaultdict(list), {None: None}
    for issue_id, pk, code, attribution, actor_id, order, party_id, *talk_round in rows:
        round_id = talk_round[0]
        if round_id not in rounds:
            rounds[round_id] = TalkRound(
                pk=round_id, order=talk_round[1], slug=talk_round[2], title=talk_round[3]
            )
        said = Said(pk, code, attribution, actor_id, Speaker(order, party_id), rounds[round_id])
        by_issue[issue_id].append(said)
    return {pk: stance_rule.state_of_play(group) for pk, group in by_issue.items()}


def comparison_tables(stances, officials_separate=False, page=None, until=None, lookups=None):
    """Split the filtered published stances into the parties' table and the analysts' table,
    issues x actors each. Four queries whatever the data: the propositions the stances name (for
    a page of them), the cells of that page (grid_rows) and their citations (cell_citations), and the state of play of the propositions on the
    parties' table, as of the round ``until`` (None: now); the rows and columns are named from
    the page's lookups (positions/site/lookups.py), read once each if the filter form has not read
    them already. ``page`` (1, 2, ...) shows ROWS_PER_PAGE propositions (django.core.paginator's
    InvalidPage past the last); None shows them all."""
    lookups = lookups or Lookups()
    issues, shown = lookups.by_pk("issues"), None
    if page is not None:
        named = set(stances.order_by().values_list("issue_id", flat=True).distinct())
        ordered = sorted((issues[pk] for pk in named), key=issue_sort_key)
        shown = Paginator(ordered, ROWS_PER_PAGE).page(page)
        if shown.paginator.num_pages > 1:
            stances = stances.filter(issue_id__in=[issue.pk for issue in shown])
    rows = list(grid_rows(stances, officials_separate))
    cited = cell_citations(stances, officials_separate) if rows else {}
    actors = lookups.by_pk("actors") if rows else {}
    rounds = lookups.by_pk("rounds") if rows else {}
    parties, analysis = {}, {}
    for pk, issue_id, column_id, code, summary, round_id, position, n, was in rows:
        cell = GridCell(
            column=actors[column_id],
            headline=Reading(pk, code, summary, rounds.get(round_id)),
            n_claims=n,
            n_citations=cited.get((issue_id, column_id, position), 0),
            was=Reading(0, was, "", None) if n > 1 and was != code else None,
        )
        target = parties if position else analysis
        target[(issue_id, column_id)] = cell
    party_issues = {issue_id for issue_id, _ in parties}
    return Comparison(
        build_table(parties, issues, play=plays(party_issues, until) if parties else {}),
        build_table(analysis, issues, analysis=True),
        shown,
    )


def build_table(cells, issues, analysis=False, play=None):
    columns = sorted({cell.column for cell in cells.values()}, key=column_sort_key)
    groups = {}
    for issue in sorted({issues[i] for i, _ in cells}, key=issue_sort_key):
        parent = issue.parent or issue
        group = groups.setdefault(parent.pk, Group(parent, []))
        row = [cells.get((issue.pk, c.pk)) or GridCell(column=c) for c in columns]
        group.rows.append(Row(issue, row, (play or {}).get(issue.pk)))
    return Table(columns, list(groups.values()), analysis)


def column_sort_key(actor):
    party = actor.party
    return (party.order, party.name, actor.affiliation_id is not None, actor.order, actor.name)


def issue_sort_key(issue):
    parent = issue.parent or issue
    return (parent.order, parent.title, issue.parent_id is not None, issue.order, issue.title)
