"""What a stance means: the one rule behind every table, chart, comparison, download and API.

Written once, here, and used everywhere:

- the **codes** and the **direction** each points on its proposition (for, against, open, on
  conditions, withheld, or a forecast, which is outside the scale);
- which stances are a party's **position** (``is_position``): an analyst's assessment or proposal
  and anybody's forecast never are, so they never count for a party;
- the **column** a stance counts in: a position counts for its party (an official's for the state
  it speaks for), anything else for the actor who said it;
- the **headline** of a cell, with its tie-break (``HEADLINE``), in Python and in SQL alike;
- **movement** from one stance to the next (toward or away from agreement, turned, unchanged);
- the **relation** of two or more parties on a proposition (same side, opposed, one open, no
  position), which the agreement view and compare both count with;
- the **state of play** of a proposition (common ground, room to talk, sticking point...) and the
  round it last changed.

Nothing here queries the database; the SQL pieces are expressions for queries.py to use. Models
import the vocabulary from here, so this module imports no model.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce

# --------------------------------------------------------------------------- vocabulary


class StanceCode(models.TextChoices):
    """An actor's stance on an issue, read against the issue's title, which is phrased as a
    proposition: for it (insisting, or in favour), open to discuss it, for it on conditions,
    against it (opposed, or refusing outright), or withholding a position. A forecast (what the
    speaker expects to happen, not what they want) has codes of its own, outside that scale. See
    docs/codebook.md and /codebook/."""

    DEMANDS = "demands", "for: insists"
    SUPPORTS = "supports", "for"
    OPEN = "open", "open to discuss"
    CONDITIONAL = "conditional", "for, on conditions"
    OPPOSES = "opposes", "against"
    REJECTS = "rejects", "against: refuses"
    UNDECLARED = "undeclared", "position withheld"
    EXPECTS = "expects", "forecast: expects it"
    DOUBTS = "doubts", "forecast: expects it not to happen"


class Direction(models.TextChoices):
    """Which way a stance points on the proposition: what a stance's colour means, the same on
    every row (the CSS classes are ``dir-<direction>``)."""

    FOR = "for", "for"
    OPEN = "open", "open"
    CONDITIONAL = "conditional", "on conditions"
    AGAINST = "against", "against"
    WITHHELD = "withheld", "withheld"
    FORECAST = "forecast", "forecast"


DIRECTION = {
    StanceCode.DEMANDS: Direction.FOR,
    StanceCode.SUPPORTS: Direction.FOR,
    StanceCode.OPEN: Direction.OPEN,
    StanceCode.CONDITIONAL: Direction.CONDITIONAL,
    StanceCode.OPPOSES: Direction.AGAINST,
    StanceCode.REJECTS: Direction.AGAINST,
    StanceCode.UNDECLARED: Direction.WITHHELD,
    StanceCode.EXPECTS: Direction.FORECAST,
    StanceCode.DOUBTS: Direction.FORECAST,
}

# The two strongest codes: drawn with a heavier border, and named in the label.
EMPHATIC = {StanceCode.DEMANDS, StanceCode.REJECTS}

FORECASTS = [StanceCode.EXPECTS, StanceCode.DOUBTS]


class Attribution(models.TextChoices):
    ON_RECORD = "on_record", "on-record statement"
    REPORTED = "reported", "reported by the source"
    ANALYSIS = "analysis", "author's analysis"
    PROPOSAL = "proposal", "author's proposal"


# An analyst's reading: never a party's, always an analyst actor's (the model and loader check).
ANALYST_ATTRIBUTIONS = [Attribution.ANALYSIS, Attribution.PROPOSAL]


def direction(code):
    return DIRECTION.get(code, Direction.WITHHELD)


def is_emphatic(code):
    return code in EMPHATIC


def css_class(code):
    """The one class a chip of this code wears: its direction, and 'emphatic' for the two
    strongest codes. The stylesheet styles directions, never codes."""
    return f"dir-{direction(code)}" + (" emphatic" if code in EMPHATIC else "")


# --------------------------------------------------------------------------- positions


def is_position(code, attribution):
    """A party's position: said or done by the party or an official, and not a forecast."""
    return attribution not in ANALYST_ATTRIBUTIONS and code not in FORECASTS


def position_q(prefix=""):
    """``is_position`` as a filter, for a queryset of stances (or through ``prefix``)."""
    return ~Q(**{f"{prefix}attribution__in": ANALYST_ATTRIBUTIONS}) & ~Q(
        **{f"{prefix}code__in": FORECASTS}
    )


def counts_for(actor, party, position):
    """The column a stance counts in, from its actor and the actor's party (None when the actor
    is a party), named however the caller names them (objects, ids, slugs): a position counts for
    its party, an assessment or a forecast for whoever made it."""
    return (party or actor) if position else actor


def reading(code, attribution, actor, party):
    """What a stance's code and attribution mean, in the words every export uses (the API, the
    downloads, the data package): its direction, whether it is emphatic, an analyst's, a party's
    position, and the column it counts in (``party``: the actor's party, None for a party)."""
    position = is_position(code, attribution)
    return {
        "direction": direction(code),
        "emphatic": is_emphatic(code),
        "analysis": attribution in ANALYST_ATTRIBUTIONS,
        "position": position,
        "counts_for": counts_for(actor, party, position),
    }


def column_of(stance):
    """``counts_for`` of a stance, as the actor."""
    actor = stance.actor
    return counts_for(actor, actor.affiliation, is_position(stance.code, stance.attribution))


def column_id(stance):
    """``counts_for`` of a stance, as the actor's primary key, without loading the party."""
    position = is_position(stance.code, stance.attribution)
    return counts_for(stance.actor_id, stance.actor.affiliation_id, position)


def column_sql():
    """``column_of`` as an SQL expression: the actor's id for a non-position."""
    return Case(
        When(position_q(), then=Coalesce("actor__affiliation_id", "actor_id")),
        default=F("actor_id"),
    )


def position_sql():
    return Case(When(position_q(), then=Value(1)), default=Value(0))


# --------------------------------------------------------------------------- the headline

# A cell's stances in order, earliest to latest: by round (a standing position, tied to no round,
# before every round); at the same round an official's before the party's own; then the actor
# listed later before the one listed first, then the later recorded before the first. The
# headline is the last: the latest stance, the party's own at its round, the first-listed actor,
# the first recorded. Each part: (SQL expression name, +1 when a larger value is later).
HEADLINE = [("round_key", 1), ("own", 1), ("actor__order", -1), ("pk", -1)]


def round_key(stance):
    """Stances tied to no round come before every round."""
    return stance.talk_round.order if stance.talk_round_id else -1


def order_key(stance):
    """``HEADLINE`` in Python: the larger key is the later stance."""
    values = {
        "round_key": round_key(stance),
        "own": int(stance.actor.affiliation_id is None),
        "actor__order": stance.actor.order,
        "pk": stance.pk,
    }
    return tuple(sign * values[name] for name, sign in HEADLINE)


def headline(stances):
    """The stance that stands for a cell: the latest by ``HEADLINE``; None for no stance."""
    return max(stances, key=order_key, default=None)


def earliest(stances):
    return min(stances, key=order_key, default=None)


def sql_annotations():
    """What ``sql_order`` sorts by, to annotate a stance queryset with."""
    return {
        "round_key": Coalesce("talk_round__order", Value(-1)),
        "own": Case(When(actor__affiliation__isnull=True, then=Value(1)), default=Value(0)),
    }


def sql_order(latest_first=True):
    """``HEADLINE`` as an SQL ORDER BY: the headline first (or, with False, the earliest)."""
    order = []
    for name, sign in HEADLINE:
        later_first = (sign > 0) == latest_first
        order.append(F(name).desc() if later_first else F(name).asc())
    return order


# --------------------------------------------------------------------------- movement

# How far each stance stands from a settlement: the extremes (insisting, refusing) furthest,
# openness to discuss nearest. A move to a smaller distance is a move toward agreement. A
# withheld position and a forecast have none.
DISTANCE = {
    StanceCode.DEMANDS: 2,
    StanceCode.REJECTS: 2,
    StanceCode.SUPPORTS: 1,
    StanceCode.OPPOSES: 1,
    StanceCode.CONDITIONAL: 1,
    StanceCode.OPEN: 0,
}

FIRST, TOWARD, AWAY, TURNED, UNCHANGED = "first", "toward", "away", "turned", "unchanged"

# What a reader sees for each kind of change: a symbol and words, never a colour alone.
CHANGES = {
    FIRST: ("+", "first stated"),
    TOWARD: ("↘", "toward agreement"),
    AWAY: ("↗", "away from agreement"),
    TURNED: ("⇄", "changed direction"),
    UNCHANGED: ("→", "unchanged"),
}


def movement(previous, current):
    """How a party's stance changed from one code to the next: "first" when there was none
    before; toward or away from agreement when both codes have a distance and it changed; else
    "unchanged" for the same code and "turned" for another (for to against at one distance, to or
    from withheld). None when there is no current code."""
    if current is None:
        return None
    if previous is None:
        return FIRST
    if previous == current:
        return UNCHANGED
    before, after = DISTANCE.get(previous), DISTANCE.get(current)
    if before is not None and after is not None and before != after:
        return TOWARD if after < before else AWAY
    return TURNED


def change_label(kind):
    return CHANGES[kind] if kind else None


# --------------------------------------------------------------------------- relations

SAME, OPEN, OPPOSED, NONE = "same", "open", "opposed", "no_position"

# How two (or more) parties stand on one proposition, from their headline codes.
RELATIONS = {SAME: "same side", OPEN: "one open", OPPOSED: "opposed", NONE: "no stated position"}
RELATION_HELP = {
    SAME: "their stances point the same way: both for, both against, both open to discuss, or "
    "both for it on conditions",
    OPEN: "both state a position, and one of them is open to discuss it or for it on conditions "
    "while the other is not",
    OPPOSED: "one is for it, the other against it",
    NONE: "one of them has stated no position (or withheld it)",
}

STATED = {Direction.FOR, Direction.AGAINST, Direction.OPEN, Direction.CONDITIONAL}


def stated(code):
    """A position a party has stated: on the for/against scale, not withheld, not a forecast."""
    return code is not None and direction(code) in STATED


def relation(a, b):
    """Two parties' headline codes (None: no stance) on one proposition."""
    if not (stated(a) and stated(b)):
        return NONE
    da, db = direction(a), direction(b)
    if da == db:
        return SAME
    if {da, db} == {Direction.FOR, Direction.AGAINST}:
        return OPPOSED
    return OPEN


def relation_of(codes):
    """Two or more parties at once: opposed if any two are (one for, one against); else no stated
    position if any has none; else the same side if all point one way; else one open. For two
    it is ``relation``; read from the set of directions, so it costs one pass however many."""
    directions = {direction(code) for code in codes if stated(code)}
    if {Direction.FOR, Direction.AGAINST} <= directions:
        return OPPOSED
    if any(not stated(code) for code in codes):
        return NONE
    return SAME if len(directions) == 1 else OPEN


# --------------------------------------------------------------------------- state of play

COMMON, TALK, STICKING, ONE_SIDE, UNSTATED = (
    "common_ground",
    "room_to_talk",
    "sticking_point",
    "one_side",
    "unstated",
)
STATES = {
    COMMON: ("=", "common ground"),
    TALK: ("≈", "room to talk"),
    STICKING: ("≠", "sticking point"),
    ONE_SIDE: ("·", "one side only"),
    UNSTATED: ("?", "no stated position"),
}
STATE_HELP = {
    COMMON: "every party that states a position on it stands on the same side",
    TALK: "no two parties are opposed, and at least one is open to discuss it or for it on "
    "conditions",
    STICKING: "at least two parties are opposed: one for it, one against it",
    ONE_SIDE: "only one party has stated a position",
    UNSTATED: "parties have spoken to it, but none has stated a position (withheld)",
}


def state(codes):
    """The state of play on a proposition from each party's headline code."""
    positions = [code for code in codes if stated(code)]
    if not positions:
        return UNSTATED
    if len(positions) == 1:
        return ONE_SIDE
    return {SAME: COMMON, OPEN: TALK, OPPOSED: STICKING}[relation_of(positions)]


@dataclass(frozen=True)
class Play:
    """Where the talks stand on one proposition, and the round that state began (None: it
    holds from the standing positions, before any round)."""

    state: str
    since: object = None

    @property
    def symbol(self):
        return STATES[self.state][0]

    @property
    def label(self):
        return STATES[self.state][1]

    @property
    def help(self):
        return STATE_HELP[self.state]


def state_of_play(stances):
    """``stances``: one proposition's stances (objects with code, attribution, actor and
    talk_round, as ``order_key`` reads them). The state as of each round in turn, a standing
    position counting at every round; returns the last with the round it began. None when no
    party has a position. One pass in round order: a round's stances can only take over a
    party's headline, so each round updates the parties it names."""
    positions = [s for s in stances if is_position(s.code, s.attribution)]
    if not positions:
        return None
    parties = {column_id(s) for s in positions}
    best, keys = {}, {}

    def consider(stance):
        party, key = column_id(stance), order_key(stance)
        if party not in best or key > keys[party]:
            best[party], keys[party] = stance, key

    def now():
        return state([best[p].code if p in best else None for p in parties])

    for stance in positions:
        if not stance.talk_round_id:
            consider(stance)
    current, since = now(), None
    at_rounds = sorted((s for s in positions if s.talk_round_id), key=round_key)
    for i, stance in enumerate(at_rounds):
        consider(stance)
        last_of_round = i + 1 == len(at_rounds) or round_key(at_rounds[i + 1]) != round_key(stance)
        if last_of_round and (state_now := now()) != current:
            current, since = state_now, stance.talk_round
    return Play(current, since)
