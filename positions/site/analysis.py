"""The analysis pages' read side: a party's stance over the rounds drawn as lanes, where two
parties stand on the same side, what changed between two rounds, two or three parties side by
side, and a demand's chain of answers as a tree.

The rules are the one stance rule's (positions/stance_rule.py): a party's positions count for it,
its officials' included; an analyst's reading and a forecast never do; a party's stance on an
issue is the headline of its cell; movement, the relation of two parties and the state of play
are computed there. The functions here take stances or page data that
queries.py already fetched, and return plain data; only ``agreement`` and ``compare_parties`` run
a query (``fetch``: the filtered stances, one query whatever the data).
"""

import textwrap
from collections import defaultdict
from dataclasses import dataclass, field

from positions import stance_rule
from positions.site import comparison
from positions.stance_rule import CHANGES


@dataclass
class Grid:
    """Party stances by issue: officials count for their party, analysts are left out; each
    cell a ``comparison.Cell``, whose headline is the party's stance on the issue."""

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
        if not stance.is_position:
            continue
        party = stance.actor.party
        parties[party.pk] = party
        issues[stance.issue_id] = stance.issue
        by_cell[(stance.issue_id, party.pk)].append(stance)
    return Grid(
        parties=sorted(parties.values(), key=comparison.column_sort_key),
        rows=[
            (issue.parent or issue, issue)
            for issue in sorted(issues.values(), key=comparison.issue_sort_key)
        ],
        cells={key: comparison.Cell(parties[key[1]], cell) for key, cell in by_cell.items()},
    )


def fetch(stances):
    """The one query of the agreement and compare pages: the filtered party stances."""
    return list(
        stances.positions().select_related("actor__affiliation", "issue__parent", "talk_round")
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
            kind = item["movement"] if previous else None  # the table's own, not recomputed
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
                "where": columns[j].title if columns[j] else STANDING,
                "x": x,
                "y": top + 8,
                "cx": x + CHIP_W // 2,
                "text_y": top + 8 + CHIP_H // 2,
                "mark_y": top + 8 + CHIP_H + 16,
                "stance": stance,
                "said": f"{row['party'].name}: {said_here}",
                "direction": stance.direction,
                "css": stance.css_class,
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


@dataclass
class Related:
    """A proposition and the parties' cells on it (each a ``comparison.Cell``, or None)."""

    issue: object
    parent: object
    cells: list
    parties: list = None  # who each cell is: the parties, in the cells' order

    @property
    def named(self):
        """[(party, cell)]: a narrow screen names each cell's party inside it."""
        return list(zip(self.parties or [], self.cells, strict=False))


@dataclass
class Pair:
    """Two parties' issues, by their relation (positions/stance_rule.py: ``relation``)."""

    a: object
    b: object
    by_relation: dict = field(default_factory=lambda: {k: [] for k in stance_rule.RELATIONS})

    @property
    def parties(self):
        return [self.a, self.b]

    @property
    def total(self):
        return sum(len(items) for items in self.by_relation.values())

    def count(self, kind):
        return len(self.by_relation[kind])

    @property
    def same(self):
        return self.by_relation[stance_rule.SAME]

    @property
    def opposed(self):
        return self.by_relation[stance_rule.OPPOSED]

    @property
    def n_both(self):
        """The issues both state a position on."""
        return self.total - self.count(stance_rule.NONE)

    @property
    def share_same(self):
        """The share of the issues both state a position on where they stand on one side."""
        return self.count(stance_rule.SAME) / self.n_both if self.n_both else 0

    @property
    def percent_same(self):
        return round(100 * self.share_same)

    def groups(self):
        return [
            (key, label, self.by_relation[key], stance_rule.RELATION_HELP[key])
            for key, label in stance_rule.RELATIONS.items()
        ]


def code(stance):
    return stance.code if stance else None


def relations(grid, parties):
    """Each issue on which any of ``parties`` has a stance, with its relation: the one count that
    the agreement view and compare share."""
    for parent, issue in grid.rows:
        cells = [grid.cell(issue, party) for party in parties]
        if all(cell is None for cell in cells):
            continue
        kind = stance_rule.relation_of([code(cell.headline if cell else None) for cell in cells])
        yield kind, Related(issue, parent, cells, list(parties))


def pair(grid, a, b):
    """Every issue on which a or b (or both) has a stance, sorted by relation."""
    result = Pair(a, b)
    for kind, related in relations(grid, [a, b]):
        result.by_relation[kind].append(related)
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
    pairs = [cell for row in matrix for cell in row["cells"] if cell and cell.a.pk < cell.b.pk]
    closest = sorted(
        (p for p in pairs if p.count(stance_rule.SAME)),
        key=lambda p: (-p.count(stance_rule.SAME), -p.share_same, p.a.order, p.b.order),
    )
    return {
        "parties": grid.parties,
        "matrix": matrix,
        "pair": picked,
        "n_issues": len(grid.rows),
        "closest": closest,
        "relations": [
            (label, stance_rule.RELATION_HELP[key]) for key, label in stance_rule.RELATIONS.items()
        ],
    }


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
            kind = stance_rule.movement(before.code if before else None, after.code)
            changes.append(Moved(party, before, after, kind))
            counts[kind] += 1
        if changes:
            issues.append({"issue": issue, "parent": parent, "changes": changes})
    summary = [(CHANGES[k][0], CHANGES[k][1], n) for k, n in counts.items() if n]
    return {"issues": issues, "summary": summary, "n_changes": sum(counts.values())}


# --------------------------------------------------------------------------- compare parties

# Compare lists the issues by the relation of the parties picked (positions/stance_rule.py:
# ``relation_of``), the sharpest first; for two parties the same count as the agreement view.
COMPARE_GROUPS = {
    stance_rule.OPPOSED: "Where they are opposed",
    stance_rule.OPEN: "Where one is open to discuss or for it on conditions",
    stance_rule.SAME: "Where they stand on the same side",
    stance_rule.NONE: "Where not all of them have a stated position",
}


def compare_parties(stances, parties):
    """Two or three parties' headline stances side by side on each issue where any of them has
    one, grouped by their relation. One query."""
    grid = party_grid(fetch(stances))
    groups = {key: [] for key in COMPARE_GROUPS}
    for kind, related in relations(grid, parties):
        groups[kind].append(related)
    return {
        "parties": parties,
        "groups": [
            {
                "key": key,
                "title": COMPARE_GROUPS[key],
                "help": stance_rule.RELATION_HELP[key],
                "rows": rows,
            }
            for key, rows in groups.items()
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
