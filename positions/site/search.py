"""Search by words: a record matches when every word of the query appears in one of its fields.

On PostgreSQL the words go to its full-text search (English stemming, so "enlarged" finds
"enlargement"), ranked by SearchRank. On other databases (SQLite in development) each word must
be contained, case-insensitively, in some field, and a record ranks by how many of its fields
contain each word, weighted like PostgreSQL's A, B and C. Either way: one query for each kind
of result, whatever the size of the data, and only what the public may see.
"""

import re
from dataclasses import dataclass
from functools import reduce
from operator import add, or_

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Exists, F, Func, OuterRef, Q, QuerySet, TextField, Value, When

from positions.models import Actor, Citation, Issue, TalkRound
from positions.site.queries import published_demands, published_responses, published_stances

LIMIT = 50  # results of each kind
MAX_WORDS = 10
CONFIG = "english"
WEIGHTS = {"A": 3, "B": 2, "C": 1}  # the fallback's score of a field containing a word


def words(q):
    """The distinct words of q, in order: punctuation and case never matter."""
    distinct = {}
    for word in re.findall(r"\w+", q):
        distinct.setdefault(word.casefold(), word)
    return list(distinct.values())


@dataclass(frozen=True)
class Many:
    """Text spread over several related rows (a claim's quotes): `rows` filter on OuterRef."""

    rows: QuerySet
    field: str


def quotes(cited):
    """The public quotes of the claim or round the outer query stands on."""
    return Many(Citation.objects.published().filter(**{cited: OuterRef("pk")}), "quote")


def issue_names(claims):
    """The titles and slugs of the claim's issues: a slug names an issue too, and stays put
    when its title is rephrased."""
    issues = Issue.objects.filter(**{claims: OuterRef("pk")})
    return [Many(issues, "title"), Many(issues, "slug")]


# Where each kind is searched, by weight: its own words (A), the names around it (B), the rest (C).
SPEAKER = ["actor__name", "actor__affiliation__name"]
STANCES = {
    "A": ["summary"],
    "B": [*SPEAKER, "issue__title", "issue__parent__title", "talk_round__title"],
    "C": ["issue__slug", "issue__parent__slug", quotes("stance")],
}
DEMANDS = {
    "A": ["text"],
    "B": [*SPEAKER, "talk_round__title", *issue_names("demands")],
    "C": [quotes("demand")],
}
RESPONSES = {
    "A": ["text"],
    "B": [*SPEAKER, "talk_round__title", *issue_names("responses")],
    "C": [quotes("response")],
}
ACTORS = {"A": ["name"], "B": ["role", "affiliation__name"], "C": ["description"]}
ISSUES = {"A": ["title"], "B": ["slug", "parent__title"], "C": ["description", "parent__slug"]}
ROUNDS = {"A": ["title"], "B": ["city"], "C": ["outcome", quotes("talk_round")]}


def search(q):
    """Published claims, actors, issues and rounds in which every word of q appears."""
    found = words(q)
    kinds = {
        "stances": matching(published_stances(), found, STANCES),
        "demands": matching(published_demands(), found, DEMANDS),
        "responses": matching(published_responses(), found, RESPONSES),
        "actors": matching(Actor.objects.select_related("affiliation"), found, ACTORS),
        "issues": matching(Issue.objects.select_related("parent"), found, ISSUES),
        "rounds": matching(TalkRound.objects.all(), found, ROUNDS),
    }
    counts = [len(rows) for rows in kinds.values()]
    return {
        "words": found,
        "count": sum(counts),
        "limit": LIMIT if LIMIT in counts else None,  # some kind was cut to its best LIMIT
        **kinds,
    }


def matching(queryset, words, fields):
    """Up to LIMIT rows of queryset in which every word appears in some field, best first."""
    if not words:
        return []
    if connection.vendor == "postgresql":
        ranked = by_full_text(queryset, words, fields)
    else:
        ranked = by_containment(queryset, words, fields)
    return list(ranked[:LIMIT])


def by_full_text(queryset, words, fields):
    query = SearchQuery(" ".join(words), search_type="plain", config=CONFIG)
    document = reduce(
        add,
        (
            SearchVector(text(field), weight=weight, config=CONFIG)
            for weight, group in fields.items()
            for field in group
        ),
    )
    return (
        queryset.annotate(document=document)
        .filter(document=query)
        .annotate(rank=SearchRank(F("document"), query))
        .order_by("-rank", "pk")
    )


def text(field):
    """A field path as it is, or a related rows' text joined into one string."""
    if isinstance(field, Many):
        values = ArraySubquery(field.rows.values(field.field))
        return Func(values, Value(" "), function="array_to_string", output_field=TextField())
    return field


def by_containment(queryset, words, fields):
    score = Value(0)
    for word in words:
        tests = [
            (WEIGHTS[weight], contains(field, word))
            for weight, group in fields.items()
            for field in group
        ]
        queryset = queryset.filter(reduce(or_, (test for _, test in tests)))
        score = reduce(add, (Case(When(test, then=w), default=0) for w, test in tests), score)
    return queryset.annotate(score=score).order_by("-score", "pk")


def contains(field, word):
    if isinstance(field, Many):
        return Exists(field.rows.filter(**{f"{field.field}__icontains": word}))
    return Q(**{f"{field}__icontains": word})
