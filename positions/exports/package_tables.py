"""The data package's tables: for each, its fields (name, type, meaning, allowed values), its
keys and where its rows come from (positions/exports/package_rows.py). What datapackage.json
says of every CSV file."""

from dataclasses import dataclass

from positions import models
from positions.exports import package_rows as rows
from positions.stance_rule import STATES


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
PARTY = Field(
    "party",
    "string",
    "The party the actor speaks for (actors): its affiliation, or the actor itself for a party. "
    "At one round a party's own position wins over its officials' (codebook.md).",
    required=True,
)
ROUND = Field("round", "string", "The round's slug (rounds); empty when tied to no round.")
PRECISION = Field(
    "date_precision",
    "string",
    "How precise the date is: day, month (the date is the 1st), year (1 January) or unknown.",
    values(models.DatePrecision),
)


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
        rows.source_rows,
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
        rows.actor_rows,
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
        rows.issue_rows,
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
        rows.round_rows,
    ),
    Table(
        "round_participants",
        "Who took part in each round",
        "One row a participant of a round.",
        (key("round", "round"), key("actor", "actor")),
        ("round", "actor"),
        rows.participant_rows,
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
            PARTY,
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
        rows.stance_rows,
        (
            ("actor", "actors", "slug"),
            ("party", "actors", "slug"),
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
        rows.demand_rows,
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
        rows.response_rows,
        (("actor", "actors", "slug"), ("round", "rounds", "slug")),
    ),
    Table(
        "demand_issues",
        "The issues of each demand",
        "One row a demand and an issue it bears on.",
        (key("demand", "demand"), key("issue", "issue")),
        ("demand", "issue"),
        rows.link_rows(
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
        rows.link_rows(
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
        rows.link_rows(
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
        rows.link_rows(
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
        rows.citation_rows,
        (
            ("source", "sources", "slug"),
            ("stance", "stances", "id"),
            ("demand", "demands", "slug"),
            ("response", "responses", "slug"),
            ("round", "rounds", "slug"),
        ),
    ),
]
