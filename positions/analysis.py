"""The analysis pages' read side: a party's stance over the rounds drawn as lanes, where two
parties stand on the same side, what changed between two rounds, two or three parties side by
side, and a demand's chain of answers as a tree.

The rules are the comparison's (positions/queries.py): officials count for their party, analysts
never do, and a party's stance on an issue is the headline of its cell (``Cell.headline``: the
latest, a round's over a standing position). The functions here take stances or page data that
queries.py already fetched, and return plain data; only ``agreement`` and ``compare_parties`` run
a query (``fetch``: the filtered stances, one query whatever the data).
"""

import textwrap
from collections import defaultdict
from dataclasses import dataclass, field

from positions import queries
from positions.models import ANALYST_ATTRIBUTIONS, Direction

# --------------------------------------------------------------------------- change


FIRST, TOWARD, AWAY, TURNED, UNCHANGED = "first", "toward", "away", "turned", "unchanged"

# What a reader sees for each kind of change: a symbol and words, never a colour alone.
CHANGES = {
    FIRST: ("+", "first stated"),
    TOWARD: ("↘", "toward agreement"),
    AWAY: ("↗", "away from agreement"),
    TURNED: ("⇄", "changed direction"),
    UNCHANGED: ("→", "unchanged"),
}


def change(previous, current):
    """How a party's stance changed from one stance code to the next: toward or away from
    agreement by ``queries.movement`` (the distance from a settlement), else "turned" when the
    code is another at the same distance (for to against, anything to or from withheld), else
    "unchanged"; "first" when there was none before."""
    if previous is None:
        return FIRST
    move = queries.movement(previous, current)
    if move in (TOWARD, AWAY):
        return move
    return UNCHANGED if previous == current else TURNED


@dataclass
class Grid:
    """Party stances by issue: officials count for their party, analysts are left out; each
    cell a ``queries.Cell``, whose headline is the party's stance on the issue."""

    parties: list  # in the comparison's column order
    rows: list  # (parent issue, issue) in the comparison's row order
    cells: dict  # (issue pk, party pk) -> Cell

    def cell(self, issue, party):
        return self.cells.get((issue.pk, party.pk))

    def headline(self, issue, party):
        cell = self.cell(issue, party)
        return cell.headline if cell else None


def party_grid(stances):
    """``stances``: published stances with their actor (and its affiliation), issue (and its
    parent) and round, already fetched."""
    by_cell, parties, issues = defaultdict(list), {}, {}
    for stance in stances:
        if stance.attribution in ANALYST_ATTRIBUTIONS:
            continue
        party = stance.actor.party
        parties[party.pk] = party
        issues[stance.issue_id] = stance.issue
        by_cell[(stance.issue_id, party.pk)].append(stance)
    return Grid(
        parties=sorted(parties.values(), key=queries.column_sort_key),
        rows=[
            (issue.parent or issue, issue)
            for issue in sorted(issues.values(), key=queries.issue_sort_key)
        ],
        cells={key: queries.Cell(parties[key[1]], cell) for key, cell in by_cell.items()},
    )


def fetch(stances):
    """The one query of the agreement and compare pages: the filtered party stances."""
    return list(
        stances.exclude(attribution__in=ANALYST_ATTRIBUTIONS).select_related(
            "actor__affiliation", "issue__parent", "talk_round"
        )
    )


# --------------------------------------------------------------------------- stance over rounds

# The chart's geometry, in SVG user units (a pixel at full size).
LABEL_W, COL_W, CHIP_W, CHIP_H = 130, 150, 132, 26
HEAD_H, LANE_H, PAD = 62, 64, 8
STANDING = "Standing position"


def wrap(text, width, lines=3):
    return textwrap.wrap(text, width, max_lines=lines, placeholder="…") or [""]


def stance_chart(section):
    """One issue's movement table (``queries.movement_table``) as lanes for an inline SVG: a lane
    per party, a column per round (the standing position first), a chip at each round where the
    party has a stance, and between two chips a connector marked with the change. Every
    coordinate is computed here; the template only prints them. None when no party has a stance.
    """
    columns, rows = section["columns"], section["rows"]
    if not rows:
        return None
    width = LABEL_W + len(columns) * COL_W + PAD
    height = HEAD_H + len(rows) * LANE_H + PAD
    heads = [
        {
            "x": LABEL_W + j * COL_W + COL_W // 2,
            "lines": wrap(column.title if column else STANDING, 20),
        }
        for j, column in enumerate(columns)
    ]
    lanes, said = [], []
    for i, row in enumerate(rows):
        top = HEAD_H + i * LANE_H
        chips, links, spoken = [], [], []
        previous = None
        for j, item in enumerate(row["cells"]):
            stance = item["cell"].headline
            if stance is None:
                continue
            x = LABEL_W + j * COL_W + (COL_W - CHIP_W) // 2
            kind = change(previous["stance"].code, stance.code) if previous else None
            if previous:
                links.append(
                    {
                        "x1": previous["x"] + CHIP_W,
                        "x2": x,
                        "y": top + 8 + CHIP_H // 2,
                        "kind": kind,
                    }
                )
            where = f"at {columns[j].title}" if columns[j] else "as a standing position"
            said_here = f"{stance.get_code_display()} {where}"
            spoken.append(said_here + (f" ({CHANGES[kind][1]})" if kind else ""))
            chip = {
                "x": x,
                "y": top + 8,
                "cx": x + CHIP_W // 2,
                "text_y": top + 8 + CHIP_H // 2,
                "mark_y": top + 8 + CHIP_H + 16,
                "stance": stance,
                "said": f"{row['party'].name}: {said_here}",
                "direction": stance.direction,
                "change": kind,
                "symbol": CHANGES[kind][0] if kind else "",
                "change_label": CHANGES[kind][1] if kind else "",
            }
            chips.append(chip)
            previous = chip
        lanes.append(
            {
                "party": row["party"],
                "y": top,
                "label_y": top + 8 + CHIP_H // 2,
                "label_lines": wrap(row["party"].name, 16, 2),
                "chips": chips,
                "links": links,
                "stripe": i % 2,
            }
        )
        said.append(f"{row['party'].name}: {'; '.join(spoken)}.")
    issue = section["issue"]
    return {
        "id": f"chart-{issue.slug}",
        "title": f"Stances on “{issue.title}” over the rounds",
        "width": width,
        "height": height,
        "columns": len(columns),
        "heads": heads,
        "lanes": lanes,
        "chip_w": CHIP_W,
        "chip_h": CHIP_H,
        "lane_w": width,
        "lane_h": LANE_H,
        "rule_y": HEAD_H - 4,
        "description": " ".join(said),
    }


def add_charts(page):
    """Give each section of ``queries.issue_page`` its chart."""
    for section in page["sections"]:
        section["chart"] = stance_chart(section)
    return page


# --------------------------------------------------------------------------- agreement

SAME, OPPOSED, OTHER = "same", "opposed", "other"
RELATIONS = {
    SAME: "same side",
    OPPOSED: "opposed",
    OTHER: "other",
}
SIDES = {Direction.FOR, Direction.AGAINST}


def side(stance):
    """For or against the proposition; None when open, on conditions, withheld or unstated."""
    if stance is None or stance.direction not in SIDES:
        return None
    return stance.direction


def relation(a, b):
    """Two parties' stances on one issue: on the same side (both for, or both against), opposed
    (one for, one against), or other (open, on conditions, withheld, or no stated position)."""
    side_a, side_b = side(a), side(b)
    if side_a is None or side_b is None:
        return OTHER
    return SAME if side_a == side_b else OPPOSED


@dataclass
class Pairing:
    issue: object
    parent: object
    a: object  # party a's headline stance, or None
    b: object


@dataclass
class Pair:
    a: object
    b: object
    same: list = field(default_factory=list)
    opposed: list = field(default_factory=list)
    other: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.same) + len(self.opposed) + len(self.other)

    def groups(self):
        return [(key, RELATIONS[key], getattr(self, key)) for key in RELATIONS]


def pair(grid, a, b):
    """Every issue on which a or b (or both) has a stated position, sorted by relation."""
    result = Pair(a, b)
    for parent, issue in grid.rows:
        first, second = grid.headline(issue, a), grid.headline(issue, b)
        if first is None and second is None:
            continue
        getattr(result, relation(first, second)).append(Pairing(issue, parent, first, second))
    return result


def agreement(stances, a=None, b=None):
    """The agreement matrix: each pair of parties, how many issues they stand on the same side
    of, opposed, or other, counting the issues on which at least one of the two has a stated
    position. ``stances`` is a filtered queryset of published stances (the comparison's filters
    apply: round, as of, issue); one query. With ``a`` and ``b``, the issues behind their cell.
    """
    grid = party_grid(fetch(stances))
    matrix = [
        {
            "party": row_party,
            "cells": [
                None if row_party.pk == column.pk else pair(grid, row_party, column)
                for column in grid.parties
            ],
        }
        for row_party in grid.parties
    ]
    picked = pair(grid, a, b) if a and b else None
    return {"parties": grid.parties, "matrix": matrix, "pair": picked, "n_issues": len(grid.rows)}


# --------------------------------------------------------------------------- what moved


@dataclass
class Moved:
    party: object
    before: object  # the headline as of the first round, or None: no stated position
    after: object
    change: str

    @property
    def symbol(self):
        return CHANGES[self.change][0]

    @property
    def label(self):
        return CHANGES[self.change][1]


def moved(stances, start, end):
    """Each party's headline stance on each issue as of ``start`` and as of ``end``, where they
    differ, grouped by issue. ``stances`` are published stances as of ``end`` (a
    ``StanceFilter`` as_of: standing positions included) with their citations; "as of start" is
    the part of them stated at ``start`` or before, or at no round."""
    stances = list(stances)
    then = party_grid(
        s for s in stances if s.talk_round_id is None or s.talk_round.order <= start.order
    )
    now = party_grid(stances)
    issues, counts = [], dict.fromkeys(CHANGES, 0)
    for parent, issue in now.rows:
        changes = []
        for party in now.parties:
            after, before = now.headline(issue, party), then.headline(issue, party)
            if after is None or (before is not None and before.code == after.code):
                continue
            kind = change(before.code if before else None, after.code)
            changes.append(Moved(party, before, after, kind))
            counts[kind] += 1
        if changes:
            issues.append({"issue": issue, "parent": parent, "changes": changes})
    summary = [(CHANGES[k][0], CHANGES[k][1], n) for k, n in counts.items() if n]
    return {"issues": issues, "summary": summary, "n_changes": sum(counts.values())}


# --------------------------------------------------------------------------- compare parties

DIFFER, AGREE, PARTIAL = "differ", "agree", "partial"
COMPARE_GROUPS = {
    DIFFER: "Where they differ",
    AGREE: "Where they agree",
    PARTIAL: "Where not all of them have a stated position",
}


def compare_parties(stances, parties):
    """Two or three parties' headline stances side by side on each issue where any of them has
    one: first where their stated stances point in different directions, then where all of
    them state one and it points the same way, then the rest. One query."""
    grid = party_grid(fetch(stances))
    groups = {key: [] for key in COMPARE_GROUPS}
    for parent, issue in grid.rows:
        side_by_side = [{"party": p, "cell": grid.cell(issue, p)} for p in parties]
        stated = [item["cell"].headline for item in side_by_side if item["cell"]]
        if len({s.direction for s in stated}) > 1:
            key = DIFFER
        elif len(stated) == len(parties):
            key = AGREE
        else:
            key = PARTIAL
        groups[key].append({"issue": issue, "parent": parent, "cells": side_by_side})
    return {
        "parties": parties,
        "groups": [
            {"key": key, "title": COMPARE_GROUPS[key], "rows": rows} for key, rows in groups.items()
        ],
        "n_issues": sum(len(rows) for rows in groups.values()),
    }


# --------------------------------------------------------------------------- demand chains


@dataclass
class Node:
    response: object
    also: list = field(default_factory=list)  # the other answers it replies to
    children: list = field(default_factory=list)


def chain_tree(levels):
    """The levels of ``queries.demand_page`` as a tree: each reply under the first (earliest)
    answer of the level above that it replies to, the others named; siblings in round order, as
    the levels are. No query: the replies' links were prefetched."""
    roots = [Node(response) for response in levels[0]] if levels else []
    above = roots
    for level in levels[1:]:
        below = []
        for response in level:
            replied = {other.pk for other in response.replies_to.all()}
            parents = [node for node in above if node.response.pk in replied]
            node = Node(response, also=[p.response for p in parents[1:]])
            parents[0].children.append(node)
            below.append(node)
        above = below
    return roots
