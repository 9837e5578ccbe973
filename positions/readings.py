"""The codebook's decision rules that no single claim can check, checked across the readings.

A claim's own checks (a verbatim quote, an analyst's attribution) live with the claim. These
need the whole dataset, and the loader (positions/dataset/check.py, on the fixtures, before anything is
written) and ``check_citations`` (on the database) both run them, on the same plain facts:

- **one statement, one round**: the same cited span used by one actor on one proposition at
  different rounds (one sentence standing for three rounds);
- **one statement, one speaker**: the same span cited on one proposition by two actors who count
  for the same party (a party and its official, or two officials): counted twice for the party;
- **one action by one side**: a proposition whose title joins two parties' actions ("New Western
  sanctions and Russian countersanctions are imposed") and has positions from both parties;
- **a party with something to show**: a state, alliance or organisation with no claim of its own
  or of its officials' that takes part in no round.

Pure functions over plain data: no ORM.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from positions.stance_rule import is_position


@dataclass(frozen=True)
class Span:
    source: str
    start: int
    end: int

    def overlaps(self, other):
        return self.source == other.source and self.start < other.end and other.start < self.end


@dataclass
class StanceFacts:
    key: object  # whatever the caller reports a problem against
    actor: str
    party: str  # the actor's party (itself for a party or an analyst)
    issue: str
    round: str | None
    code: str
    attribution: str
    spans: list = field(default_factory=list)


@dataclass
class ActorFacts:
    key: object
    slug: str
    name: str
    is_party: bool
    aliases: list = field(default_factory=list)


@dataclass
class IssueFacts:
    key: object
    slug: str
    title: str


@dataclass
class Finding:
    kind: str  # "stance", "issue" or "actor"
    key: object
    field: str
    message: str


def round_name(slug):
    return f"round {slug}" if slug else "no round (a standing position)"


def shared_span(a, b):
    return next((x for x in a.spans for y in b.spans if x.overlaps(y)), None)


def sharing_a_span(stances, key):
    """Each two stances with the same ``key`` that cite overlapping spans, with the span."""
    groups = defaultdict(list)
    for stance in stances:
        groups[key(stance)].append(stance)
    for group in groups.values():
        for first, second in combinations(group, 2):
            span = shared_span(first, second)
            if span:
                yield first, second, span


def one_round_per_statement(stances):
    for first, second, span in sharing_a_span(stances, lambda s: (s.actor, s.issue)):
        if first.round != second.round:
            yield Finding(
                "stance",
                second.key,
                "citations",
                f"cites the passage at {span.source} [{span.start}:{span.end}] that this "
                f"actor's stance on this issue at {round_name(first.round)} cites: one "
                "statement is one claim, at the round the text places it",
            )


def one_speaker_per_statement(stances):
    positions = [s for s in stances if is_position(s.code, s.attribution)]
    for first, second, span in sharing_a_span(positions, lambda s: (s.party, s.issue)):
        if first.actor != second.actor:
            yield Finding(
                "stance",
                second.key,
                "citations",
                f"cites the passage at {span.source} [{span.start}:{span.end}] that "
                f"{first.actor}'s stance on this issue cites, and both count for "
                f"{first.party}: code the statement once, under whoever spoke",
            )


FILLER = {"the", "a", "an", "its", "their", "of"}


def names_in(text, names):
    """The parties a piece of a title names, by name or alias, as whole words."""
    found = set()
    for party, words in names.items():
        for word in words:
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w])", text, re.IGNORECASE):
                found.add(party)
    return found


def own_words(text, names):
    """What is left of a piece of a title once the parties' names are taken out."""
    for words in names.values():
        for word in sorted(words, key=len, reverse=True):
            text = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w])", " ", text, flags=re.I)
    return [w for w in re.findall(r"[\w'-]+", text) if w.lower() not in FILLER]


def compound_parties(title, names):
    """The parties a title gives an action each ("New Western sanctions and Russian
    countersanctions are imposed": NATO and Russia), or an empty set. A piece that is only a
    name ("Russia and the West take...") makes a joint subject, not a second action."""
    acting = []
    for piece in re.split(r"\band\b|,", title):
        named = names_in(piece, names)
        if named and own_words(piece, names):
            acting.append(named)
    parties = set().union(*acting) if len(acting) > 1 else set()
    return parties if len(parties) > 1 else set()


def one_side_per_proposition(issues, actors, stances):
    names = {actor.slug: [actor.name, *actor.aliases] for actor in actors if actor.is_party}
    positions = defaultdict(set)
    for stance in stances:
        if is_position(stance.code, stance.attribution):
            positions[stance.issue].add(stance.party)
    for issue in issues:
        both = compound_parties(issue.title, names) & positions[issue.slug]
        if len(both) > 1:
            yield Finding(
                "issue",
                issue.key,
                "title",
                f"joins actions of {' and '.join(sorted(both))}, and both have stances on it: a "
                "proposition names one action by one side; split it into one per side",
            )


def parties_with_claims(actors, claimed, participants):
    """``claimed``: the parties (slugs) that have a claim of their own or an official's;
    ``participants``: the actors any round lists."""
    for actor in actors:
        if actor.is_party and actor.slug not in claimed and actor.slug not in participants:
            yield Finding(
                "actor",
                actor.key,
                "slug",
                "is a party but has no claim of its own or of its officials, and takes part in "
                "no round: add its claims, or leave it out",
            )


def check(stances, issues, actors, claimed, participants):
    """Every finding of the rules above."""
    return [
        *one_round_per_statement(stances),
        *one_speaker_per_statement(stances),
        *one_side_per_proposition(issues, actors, stances),
        *parties_with_claims(actors, claimed, participants),
    ]


def split_aliases(text):
    return [word.strip() for word in (text or "").split(",") if word.strip()]
