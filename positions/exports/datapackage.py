"""The whole published dataset as files: a Frictionless Data Package in one ZIP.

    parley-data/datapackage.json   the descriptor: licence, version, a table schema per CSV
                                   (field types, primary key, foreign keys), size and SHA-256
    parley-data/codebook.md        docs/codebook.md: what every code means
    parley-data/data/<table>.csv   one file a table (TABLES below)

Only what the public may see goes in: reference data (sources, actors, issues, rounds) and
published claims, each table starting from a ``published()`` queryset, so drafts, withdrawn
claims and pending proposed changes (``revision_of`` set, never published) stay out, and a link
table keeps a row only when both its ends are public. One query a table, and one for the version,
whatever the size of the data.

The same data gives the same bytes: rows in a total order, no build time anywhere (the version
and the ZIP entries' dates are the data's last change). The cells are written as every download
writes them (positions/exports/csvfiles.py).
"""

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from positions import models
from positions.exports import csvfiles
from positions.site import comparison
from positions.site.queries import last_change
from positions.stance_rule import STATES, counts_for, direction, is_emphatic, is_position

FILE_NAME = "parley-data.zip"
FOLDER = "parley-data"
CODEBOOK = Path(settings.BASE_DIR) / "docs" / "codebook.md"
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
TITLE = "Parley: positions in the January 2022 Russia–US/NATO/OSCE security talks"
DESCRIPTION = """\
Who wants what, on which issue, at which round of the January 2022 security talks between Russia, \
the United States, NATO and the OSCE, and exactly where that is said. Every claim (a stance, a \
demand, a counterproposal or response) cites verbatim passages of source articles (the citations \
table). Only published claims are included: no drafts, withdrawn claims or pending proposed changes.

Licence: Parley's curated data (the stance codes and summaries, the demands and responses as \
worded here, the links between them and the curators' notes) is published under CC BY 4.0: reuse \
it freely, crediting Parley. The quoted passages (the quote, prefix and suffix of the citations \
table) are not: they remain the copyright of their authors and publishers, quoted for commentary. \
The articles' full text is not included; each source's permalink shows it with every cited \
passage marked.

Files: UTF-8 CSV with a header row. Booleans are true/false, dates ISO 8601 (YYYY-MM-DD; a date's \
precision, day, month or year, is in the column beside it), an empty cell is no value. Text that a \
spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) is \
prefixed with an apostrophe. Stances and citations are identified by integer ids, everything else \
by slug; every row has a permalink to its page. codebook.md explains every code."""


# --------------------------------------------------------------------------- the tables


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    enum: tuple = ()
    required: bool = False

    def descriptor(self):
        out = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "boolean":
            out |= {"trueValues": ["true"], "falseValues": ["false"]}
        constraints = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    fields: tuple
    primary_key: tuple
    rows: object  # (absolute) -> iterable of dicts keyed by field name; one query
    foreign_keys: tuple = ()  # (field, table, its field); table "" is this table

    def schema(self):
        return {
            "fields": [f.descriptor() for f in self.fields],
            "primaryKey": list(self.primary_key),
            "foreignKeys": [
                {"fields": [field], "reference": {"resource": table, "fields": [other]}}
                for field, table, other in self.foreign_keys
            ],
        }


def values(choices):
    return tuple(choices.values)


def slug(what):
    return Field("slug", "string", f"The {what}'s stable id, also in its permalink.", required=True)


def key(name, what):
    return Field(name, "string", f"The {what}'s slug.", required=True)


def integer_id(what):
    return Field("id", "integer", f"The {what}'s stable id, also in its permalink.", required=True)


PERMALINK = Field("permalink", "string", "The row's page on Parley (an absolute URL).")
ORDER = Field("order", "integer", "Position in Parley's lists; smaller first.")
NOTE = Field("note", "string", "The curator's note: why this reading.")
ACTOR = Field("actor", "string", "Who: the actor's slug (actors).", required=True)
ROUND = Field("round", "string", "The round's slug (rounds); empty when tied to no round.")
PRECISION = Field(
    "date_precision",
    "string",
    "How precise the date is: day, month (the date is the 1st), year (1 January) or unknown.",
    values(models.DatePrecision),
)


def absolute_url(absolute, name, *args):
    return absolute(reverse(f"positions:{name}", args=args))


def source_rows(absolute):
    for s in models.Source.objects.defer("text").order_by("slug"):
        yield {
            "slug": s.slug,
            "title": s.title,
            "author": s.author,
            "publisher": s.publisher,
            "original_publisher": s.original_publisher,
            "published_on": s.published_on,
            "date_precision": s.date_precision,
            "kind": s.kind,
            "url": s.url,
            "metadata_note": s.metadata_note,
            "sha256": s.sha256,
            "permalink": absolute(s.get_absolute_url()),
        }


def actor_rows(absolute):
    for a in models.Actor.objects.select_related("affiliation").order_by("order", "slug"):
        yield {
            "slug": a.slug,
            "name": a.name,
            "kind": a.kind,
            "role": a.role,
            "affiliation": a.affiliation.slug if a.affiliation_id else None,
            "description": a.description,
            "order": a.order,
            "is_party": a.kind in models.PARTY_KINDS,
            "permalink": absolute(a.get_absolute_url()),
        }


def issue_rows(absolute):
    issues = list(models.Issue.objects.select_related("parent").order_by("order", "slug"))
    plays = comparison.plays([i.pk for i in issues])
    for i in issues:
        play = plays.get(i.pk)
        yield {
            "slug": i.slug,
            "title": i.title,
            "description": i.description,
            "parent": i.parent.slug if i.parent_id else None,
            "order": i.order,
            "state": play.state if play else None,
            "state_since": play.since.slug if play and play.since else None,
            "permalink": absolute(i.get_absolute_url()),
        }


def round_rows(absolute):
    for r in models.TalkRound.objects.order_by("order"):
        yield {
            "slug": r.slug,
            "title": r.title,
            "format": r.format,
            "city": r.city,
            "venue": r.venue,
            "start_date": r.start_date,
            "end_date": r.end_date,
            "date_precision": r.date_precision,
            "date_note": r.date_note,
            "outcome": r.outcome,
            "order": r.order,
            "permalink": absolute(r.get_absolute_url()),
        }


def participant_rows(absolute):
    links = models.TalkRound.participants.through.objects.values_list(
        "talkround__slug", "actor__slug"
    )
    for round_slug, actor_slug in links.order_by("talkround__order", "actor__order", "actor__slug"):
        yield {"round": round_slug, "actor": actor_slug}


def stance_rows(absolute):
    stances = (
        models.Stance.objects.published()
        .values(
            "pk",
            "actor__slug",
            "actor__affiliation__slug",
            "issue__slug",
            "talk_round__slug",
            "code",
            "summary",
            "attribution",
            "confidence",
            "note",
        )
        .order_by(
            "issue__order", "issue__slug", "actor__order", "actor__slug", models.ROUND_ORDER, "pk"
        )
    )
    for s in stances:
        position = is_position(s["code"], s["attribution"])
        yield {
            "id": s["pk"],
            "actor": s["actor__slug"],
            "issue": s["issue__slug"],
            "round": s["talk_round__slug"],
            "stance": s["code"],
            "stance_label": models.StanceCode(s["code"]).label,
            "direction": direction(s["code"]),
            "emphatic": is_emphatic(s["code"]),
            "summary": s["summary"],
            "attribution": s["attribution"],
            "analysis": s["attribution"] in models.ANALYST_ATTRIBUTIONS,
            "position": position,
            "counts_for": counts_for(s["actor__slug"], s["actor__affiliation__slug"], position),
            "confidence": s["confidence"],
            "note": s["note"],
            "permalink": absolute_url(absolute, "stance", s["pk"]),
        }


def demand_rows(absolute):
    demands = models.Demand.objects.published().select_related("actor", "talk_round")
    for d in demands.order_by(models.ROUND_ORDER, "slug"):
        yield {
            "slug": d.slug,
            "actor": d.actor.slug,
            "round": d.talk_round.slug if d.talk_round_id else None,
            "text": d.text,
            "bindingness": d.bindingness,
            "outcome": d.outcome,
            "note": d.note,
            "permalink": absolute(d.get_absolute_url()),
        }


def response_rows(absolute):
    responses = models.Response.objects.published().select_related("actor", "talk_round")
    for r in responses.order_by(models.ROUND_ORDER, "slug"):
        yield {
            "slug": r.slug,
            "actor": r.actor.slug,
            "round": r.talk_round.slug if r.talk_round_id else None,
            "kind": r.kind,
            "text": r.text,
            "note": r.note,
            "permalink": absolute(r.get_absolute_url()),
        }


def link_rows(through, left, right, names, public):
    """A many-to-many table as (slug, slug) rows, keeping a row only when its ends are public:
    ``public()`` gives the filter, made of ``published()`` querysets."""

    def rows(absolute):
        links = through.objects.filter(**public()).values_list(f"{left}__slug", f"{right}__slug")
        for a, b in links.order_by(f"{left}__slug", f"{right}__slug"):
            yield dict(zip(names, (a, b), strict=True))

    return rows


def citation_rows(absolute):
    cites = (
        models.Citation.objects.published()
        .values(
            "pk",
            "source__slug",
            "quote",
            "prefix",
            "suffix",
            "start",
            "end",
            "order",
            "stance_id",
            "demand__slug",
            "response__slug",
            "talk_round__slug",
        )
        .order_by("source__slug", "start", "end", "pk")
    )
    for c in cites:
        source_page = absolute_url(absolute, "source", c["source__slug"])
        yield {
            "id": c["pk"],
            "source": c["source__slug"],
            "quote": c["quote"],
            "prefix": c["prefix"],
            "suffix": c["suffix"],
            "start": c["start"],
            "end": c["end"],
            "order": c["order"],
            "stance": c["stance_id"],
            "demand": c["demand__slug"],
            "response": c["response__slug"],
            "round": c["talk_round__slug"],
            "permalink": f"{source_page}#c{c['start']}-{c['end']}",
        }


TABLES = [
    Table(
        "sources",
        "Sources",
        "The articles every quote comes from. Their text is their publishers' and is not "
        "included: the permalink shows it, with every cited passage marked.",
        (
            slug("source"),
            Field("title", "string", "The article's title."),
            Field("author", "string", "Empty when the article names no author."),
            Field("publisher", "string", "Who published this copy; empty when unknown."),
            Field("original_publisher", "string", "Who first published it, when it says."),
            Field("published_on", "date", "When it was published, to date_precision."),
            PRECISION,
            Field("kind", "string", "What kind of article it is.", values(models.SourceKind)),
            Field("url", "string", "The original's address; empty when unknown."),
            Field(
                "metadata_note", "string", "What the article does and does not say about itself."
            ),
            Field("sha256", "string", "SHA-256 of the article's text as Parley holds it."),
            PERMALINK,
        ),
        ("slug",),
        source_rows,
    ),
    Table(
        "actors",
        "Actors",
        "States, alliances and organisations (the parties), their officials and bodies, and "
        "analysts. An official's claims count for the party it is affiliated with.",
        (
            slug("actor"),
            Field("name", "string", "The actor's name."),
            Field("kind", "string", "What kind of actor.", values(models.ActorKind)),
            Field("role", "string", "As the sources give it, e.g. Foreign Minister."),
            Field("affiliation", "string", "The party it speaks for (actors); empty for a party."),
            Field("description", "string", "Who the actor is."),
            ORDER,
            Field(
                "is_party", "boolean", "A party to the talks: a state, alliance or organisation."
            ),
            PERMALINK,
        ),
        ("slug",),
        actor_rows,
        (("affiliation", "", "slug"),),
    ),
    Table(
        "issues",
        "Issues",
        "The propositions a stance is read against, nested one level under clusters.",
        (
            slug("issue"),
            Field("title", "string", "The proposition (or a cluster's name)."),
            Field("description", "string", "What the issue covers."),
            Field("parent", "string", "The cluster it belongs to (issues); empty for a cluster."),
            ORDER,
            Field(
                "state",
                "string",
                "Where the talks stand on it, from the parties' positions (codebook.md, "
                "State of play); empty when no party has a position.",
                tuple(STATES),
            ),
            Field(
                "state_since",
                "string",
                "The round it took that state (rounds); empty: from the standing positions.",
            ),
            PERMALINK,
        ),
        ("slug",),
        issue_rows,
        (("parent", "", "slug"), ("state_since", "rounds", "slug")),
    ),
    Table(
        "rounds",
        "Rounds of talks",
        "The rounds in the order the sources place them; dates only as precise as the sources.",
        (
            slug("round"),
            Field("title", "string", "The round's name."),
            Field("format", "string", "The format of the talks.", values(models.RoundFormat)),
            Field("city", "string", "Empty when no source says."),
            Field("venue", "string", "Empty when no source says."),
            Field("start_date", "date", "When it began, to date_precision."),
            Field("end_date", "date", "When it ended, if after it began."),
            PRECISION,
            Field("date_note", "string", "What the sources say about when it took place."),
            Field("outcome", "string", "The outcome the sources report."),
            Field("order", "integer", "Position in the sequence of talks."),
            PERMALINK,
        ),
        ("slug",),
        round_rows,
    ),
    Table(
        "round_participants",
        "Who took part in each round",
        "One row a participant of a round.",
        (key("round", "round"), key("actor", "actor")),
        ("round", "actor"),
        participant_rows,
        (("round", "rounds", "slug"), ("actor", "actors", "slug")),
    ),
    Table(
        "stances",
        "Stances",
        "One actor's position on one proposition, at one round or (no round) standing. Each is "
        "backed by citations (citations.stance).",
        (
            integer_id("stance"),
            ACTOR,
            Field("issue", "string", "The proposition (issues).", required=True),
            ROUND,
            Field(
                "stance", "string", "The stance code (see codebook.md).", values(models.StanceCode)
            ),
            Field("stance_label", "string", "The stance code in words."),
            Field("direction", "string", "Which way it points.", values(models.Direction)),
            Field("emphatic", "boolean", "One of the two strongest codes: demands, rejects."),
            Field("summary", "string", "The position in plain words."),
            Field("attribution", "string", "Whose words these are.", values(models.Attribution)),
            Field("analysis", "boolean", "An analyst's assessment or proposal, not a party's."),
            Field(
                "position",
                "boolean",
                "A party's position: false for an analyst's reading or a forecast (codebook.md, "
                "Decision rules), which never count for a party.",
            ),
            Field(
                "counts_for",
                "string",
                "The actor whose column it counts in: a position its party's (an official's "
                "counts for its state), anything else the speaker's own (actors).",
            ),
            Field(
                "confidence",
                "string",
                "How plainly the passage says it.",
                values(models.Confidence),
            ),
            NOTE,
            PERMALINK,
        ),
        ("id",),
        stance_rows,
        (
            ("actor", "actors", "slug"),
            ("issue", "issues", "slug"),
            ("round", "rounds", "slug"),
            ("counts_for", "actors", "slug"),
        ),
    ),
    Table(
        "demands",
        "Demands",
        "What each side tabled, and what became of it. Issues: demand_issues.",
        (
            slug("demand"),
            ACTOR,
            ROUND,
            Field("text", "string", "What is demanded, in plain words."),
            Field(
                "bindingness",
                "string",
                "How binding it is meant to be.",
                values(models.Bindingness),
            ),
            Field("outcome", "string", "As the sources report it.", values(models.DemandOutcome)),
            NOTE,
            PERMALINK,
        ),
        ("slug",),
        demand_rows,
        (("actor", "actors", "slug"), ("round", "rounds", "slug")),
    ),
    Table(
        "responses",
        "Counterproposals and responses",
        "Answers to demands (response_answers) or to other responses (response_replies). "
        "Issues: response_issues.",
        (
            slug("response"),
            ACTOR,
            ROUND,
            Field("kind", "string", "What kind of response.", values(models.ResponseKind)),
            Field("text", "string", "What was offered, refused or threatened, in plain words."),
            NOTE,
            PERMALINK,
        ),
        ("slug",),
        response_rows,
        (("actor", "actors", "slug"), ("round", "rounds", "slug")),
    ),
    Table(
        "demand_issues",
        "The issues of each demand",
        "One row a demand and an issue it bears on.",
        (key("demand", "demand"), key("issue", "issue")),
        ("demand", "issue"),
        link_rows(
            models.Demand.issues.through,
            "demand",
            "issue",
            ("demand", "issue"),
            lambda: {"demand__in": models.Demand.objects.published()},
        ),
        (("demand", "demands", "slug"), ("issue", "issues", "slug")),
    ),
    Table(
        "response_issues",
        "The issues of each response",
        "One row a response and an issue it bears on.",
        (key("response", "response"), key("issue", "issue")),
        ("response", "issue"),
        link_rows(
            models.Response.issues.through,
            "response",
            "issue",
            ("response", "issue"),
            lambda: {"response__in": models.Response.objects.published()},
        ),
        (("response", "responses", "slug"), ("issue", "issues", "slug")),
    ),
    Table(
        "response_answers",
        "Which demands each response answers",
        "One row a response and a demand it answers.",
        (key("response", "response"), key("demand", "demand answered")),
        ("response", "demand"),
        link_rows(
            models.Response.answers.through,
            "response",
            "demand",
            ("response", "demand"),
            lambda: {
                "response__in": models.Response.objects.published(),
                "demand__in": models.Demand.objects.published(),
            },
        ),
        (("response", "responses", "slug"), ("demand", "demands", "slug")),
    ),
    Table(
        "response_replies",
        "Which responses each response replies to",
        "One row a response and an earlier response it replies to.",
        (key("response", "response"), key("replies_to", "response replied to")),
        ("response", "replies_to"),
        link_rows(
            models.Response.replies_to.through,
            "from_response",
            "to_response",
            ("response", "replies_to"),
            lambda: {
                "from_response__in": models.Response.objects.published(),
                "to_response__in": models.Response.objects.published(),
            },
        ),
        (("response", "responses", "slug"), ("replies_to", "responses", "slug")),
    ),
    Table(
        "citations",
        "Citations",
        "Verbatim passages of the sources, each backing exactly one stance, demand, response or "
        "round. The quotes remain the copyright of their authors and publishers: they are not "
        "under CC BY 4.0.",
        (
            integer_id("citation"),
            Field("source", "string", "The article quoted (sources).", required=True),
            Field("quote", "string", "The passage, verbatim (white space may differ)."),
            Field("prefix", "string", "Text just before the quote, when it occurs twice."),
            Field("suffix", "string", "Text just after the quote, when it occurs twice."),
            Field("start", "integer", "Where the passage starts in the article (characters)."),
            Field("end", "integer", "Where it ends (characters, exclusive)."),
            Field("order", "integer", "Position among its claim's citations."),
            Field("stance", "integer", "The stance it backs (stances.id), if any."),
            Field("demand", "string", "The demand it backs (demands), if any."),
            Field("response", "string", "The response it backs (responses), if any."),
            Field("round", "string", "The round it documents (rounds), if any."),
            PERMALINK,
        ),
        ("id",),
        citation_rows,
        (
            ("source", "sources", "slug"),
            ("stance", "stances", "id"),
            ("demand", "demands", "slug"),
            ("response", "responses", "slug"),
            ("round", "rounds", "slug"),
        ),
    ),
]


# --------------------------------------------------------------------------- the package


def version(changed):
    """The data's last change, to the second: the same for the same data."""
    return f"{changed:%Y-%m-%dT%H:%M:%SZ}" if changed else "0"


def table_csv(table, absolute):
    names = [f.name for f in table.fields]
    return csvfiles.text(names, table.rows(absolute)).encode("utf-8")


def integrity(data):
    return {"bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}"}


def files(absolute):
    """{path in the package: bytes}, datapackage.json first. One query a table and one for the
    version."""
    changed = last_change()
    csvs = {f"data/{table.name}.csv": table_csv(table, absolute) for table in TABLES}
    codebook = CODEBOOK.read_bytes()
    resources = [
        {
            "name": table.name,
            "title": table.title,
            "description": table.description,
            "path": path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            **integrity(data),
            "schema": table.schema(),
        }
        for table, (path, data) in zip(TABLES, csvs.items(), strict=True)
    ]
    resources.append(
        {
            "name": "codebook",
            "title": "Codebook: how Parley reads a claim",
            "path": "codebook.md",
            "format": "md",
            "mediatype": "text/markdown",
            "encoding": "utf-8",
            **integrity(codebook),
        }
    )
    descriptor = {
        "name": "parley",
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version(changed),
        "homepage": absolute(reverse("positions:home")),
        "licenses": [LICENCE],
        "keywords": ["Russia", "NATO", "United States", "OSCE", "negotiation", "security talks"],
        "resources": resources,
    }
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    return changed, {"datapackage.json": text.encode("utf-8"), "codebook.md": codebook, **csvs}


EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a ZIP entry can carry


def build(absolute):
    """The package as ZIP bytes; ``absolute`` makes a path a full URL for the permalinks (a view
    passes ``request.build_absolute_uri``)."""
    changed, contents = files(absolute)
    date_time = changed.timetuple()[:6] if changed else EPOCH
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in contents.items():
            entry = zipfile.ZipInfo(f"{FOLDER}/{path}", date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return buffer.getvalue()
