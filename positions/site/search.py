"""Search by words, read from the stored entries (positions/search_index.py) through the
database's own full-text index: PostgreSQL's tsvector under a GIN index, SQLite's FTS5. The
entries hold stems, and a query is stemmed the same way (``search_index.stems``), so both find
exactly the same:

- whole words in any of their forms: "missile" finds "missiles", "INF" never "infrastructure";
- every term must appear, in any order; words in double quotes must appear as that phrase;
- the best match first: a record's own words weigh most, then the names around it (speaker,
  party, issue, round), then the rest (slugs, descriptions, the quotes it cites), as ts_rank
  weighs A, B and C on PostgreSQL and bm25 its columns on SQLite;
- the first results of each kind with the total of each, and every result of one kind a page at
  a time.

One query finds the results of every kind (a window over the matches, per kind), and one more
per kind that has results loads them: whatever the size of the data. Only the order of results
that match equally well may differ (ts_rank and bm25 are different formulas).
"""

import re
from dataclasses import dataclass, field

from django.db import connection

from positions.models import Actor, Issue, SearchEntry, TalkRound
from positions.search_index import WORD, stems
from positions.site.queries import published_demands, published_responses, published_stances

MAX_WORDS = 10
SHOWN = 10  # results of each kind on the first page of a search
PER_PAGE = 50  # results of one kind a page
CONFIG = "simple"  # the entries are stemmed already: the database only splits at spaces
# A record's own words, the names around it, the rest: ts_rank's default weights for A, B and C
# (1, 0.4, 0.2), given to bm25 as its columns' weights.
WEIGHTS = (5.0, 2.0, 1.0)
Kind = SearchEntry.Kind


def loaders():
    """Each kind, the way its results are loaded for the page, in the order the page lists them."""
    return {
        Kind.STANCE: published_stances(),
        Kind.DEMAND: published_demands(),
        Kind.RESPONSE: published_responses(),
        Kind.ACTOR: Actor.objects.select_related("affiliation"),
        Kind.ISSUE: Issue.objects.select_related("parent"),
        Kind.ROUND: TalkRound.objects.all(),
    }


TERM = re.compile(r'"([^"]*)"|([^\W_]+)')  # a phrase in quotes, or a word (search_index.WORD)


def terms(q):
    """The terms of q: each a tuple of words, one word or the words of a quoted phrase. A term
    said twice counts once; punctuation and case never matter."""
    found = []
    for phrase, word in TERM.findall(q):
        words_of = tuple(w.casefold() for w in WORD.findall(phrase)) if phrase else None
        term = words_of or ((word.casefold(),) if word else None)
        if term and term not in found:
            found.append(term)
    return found


def words(q):
    """Every word of q, once each, in order: what a query counts and what is marked."""
    distinct = []
    for term in terms(q):
        distinct += [w for w in term if w not in distinct]
    return distinct


@dataclass
class Results:
    """What a search found: of each kind, the records shown (best first) and how many in all."""

    words: list
    kind: str | None = None  # one kind, paged; None: the first results of every kind
    totals: dict = field(default_factory=dict)
    found: dict = field(default_factory=dict)

    @property
    def count(self):
        return sum(self.totals.values())

    def __getattr__(self, name):  # results.stances, results.demands... in templates
        kind = KIND_OF_LIST.get(name)
        if kind is None:
            raise AttributeError(name)
        return self.found.get(kind, [])


KIND_OF_LIST = {f"{kind.value}s": kind for kind in Kind}


def search(q, kind=None, page=1):
    """Public records in which every term of q appears: the first SHOWN of each kind, or page
    ``page`` of one ``kind`` (PER_PAGE a page; an empty list past the last)."""
    found = terms(q)
    results = Results(words=words(q), kind=kind)
    if not found:
        return results
    if kind is None:
        rows = ranked(found, limit=SHOWN)
    else:
        rows = ranked(found, kind=kind, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    ids = {}
    for row_kind, object_id, total in rows:
        ids.setdefault(row_kind, []).append(object_id)
        results.totals[row_kind] = total
    for row_kind, queryset in loaders().items():
        if row_kind in ids:
            by_id = queryset.in_bulk(ids[row_kind])
            results.found[row_kind] = [by_id[pk] for pk in ids[row_kind] if pk in by_id]
    return results


def ranked(found, kind=None, limit=SHOWN, offset=0):
    """[(kind, object id, total of its kind)], best first within each kind: up to ``limit`` of
    each kind (from ``offset``, for one ``kind``). One query."""
    found = [tuple(stem for word in term for stem in stems(word)) for term in found]
    found = [term for term in found if term]
    if not found:
        return []
    if connection.vendor == "postgresql":
        matches, params = postgresql_matches(found)
    else:
        matches, params = sqlite_matches(found)
    where, kind_params = ("WHERE kind = %s", [kind]) if kind else ("", [])
    sql = f"""
        SELECT kind, object_id, total FROM (
          SELECT kind, object_id,
                 ROW_NUMBER() OVER (PARTITION BY kind ORDER BY score DESC, object_id) AS place,
                 COUNT(*) OVER (PARTITION BY kind) AS total
          FROM ({matches}) AS matched {where}
        ) AS placed
        WHERE place > %s AND place <= %s
        ORDER BY kind, place
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *kind_params, offset, offset + limit])
        return cursor.fetchall()


def postgresql_matches(found):
    """The entries whose document matches every term, with ts_rank's score."""
    parts, params = [], []
    for term in found:
        function = "plainto_tsquery" if len(term) == 1 else "phraseto_tsquery"
        parts.append(f"{function}('{CONFIG}', %s)")
        params.append(" ".join(term))
    query = " && ".join(parts)
    sql = f"""
        SELECT e.kind, e.object_id, ts_rank(e.document, q.query) AS score
        FROM positions_searchentry e, (SELECT {query} AS query) q
        WHERE e.document @@ q.query
    """
    return sql, params


def sqlite_matches(found):
    """The entries whose FTS5 row matches every term, with bm25's score (negated: FTS5's best is
    its lowest)."""
    expression = " AND ".join('"' + " ".join(term) + '"' for term in found)
    weights = ", ".join(str(w) for w in WEIGHTS)
    # CROSS JOIN keeps the full-text match the outer loop: with a plain JOIN SQLite may walk
    # the entries and run the match again for each one (quadratic: 10 s at 100x the data).
    sql = f"""
        SELECT e.kind, e.object_id, -bm25(positions_searchentry_fts, {weights}) AS score
        FROM positions_searchentry_fts
        CROSS JOIN positions_searchentry e ON e.id = positions_searchentry_fts.rowid
        WHERE positions_searchentry_fts MATCH %s
    """
    return sql, [expression]
