"""Load and verify the curated dataset: the articles in seeds/ and the YAML fixtures that cite them.

Loading happens in three phases:

1. *check*: read every file, validate every record and field, resolve every slug, anchor every
   quote in its source. Nothing touches the database; every problem found is collected with the
   file, the record and the field it concerns.
2. *write*: only if there was no problem, upsert everything by natural key in one transaction.
   Loading the same files twice changes nothing.
3. *stale*: in the same transaction, list the records the database holds and the fixtures no
   longer do; with ``prune``, delete them, or refuse the whole load where a delete would orphan
   something.

The fixtures hold published claims (and drafts), never a curator's pending proposed change to one
(a claim with ``revision_of`` set): the loader matches, exports and prunes originals only, and
leaves proposed changes to the review workflow.

The management commands ``load_dataset`` and ``check_citations`` are thin wrappers over this module.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import DatabaseError, OperationalError, router, transaction
from django.db.models import Prefetch
from django.db.models.deletion import Collector, ProtectedError
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from positions import citations, readings
from positions.models import (
    ANALYST_ATTRIBUTIONS,
    PARTY_KINDS,
    ROUND_ORDER,
    Actor,
    ActorKind,
    Citation,
    DatasetSync,
    DatasetVersion,
    DatePrecision,
    Demand,
    Issue,
    Response,
    Source,
    Stance,
    Status,
    TalkRound,
    evidence_text,
    parse_partial_date,
)
from positions.review import deferred_evidence
from positions.validators import invisible_character

# The fixture files, in load order: each may refer only to what comes before it (or to itself).
FILES = {
    "source": "sources.yaml",
    "actor": "actors.yaml",
    "issue": "issues.yaml",
    "round": "rounds.yaml",
    "demand": "demands.yaml",
    "response": "responses.yaml",
    "stance": "stances.yaml",
}


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    file: str
    record: str = ""
    field: str = ""
    message: str = ""

    def __str__(self):
        where = [self.file]
        if self.record:
            where.append(f"record {self.record}")
        if self.field:
            where.append(f"field {self.field}")
        return f"{', '.join(where)}: {self.message}"


class DatasetError(Exception):
    """The dataset cannot be loaded. ``problems`` lists everything that is wrong."""

    def __init__(self, problems):
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"the dataset was not loaded ({len(self.problems)} problems):\n{lines}")


# --------------------------------------------------------------------------- reading YAML


class StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A YAML loader (libyaml's when installed) that refuses a mapping with the same key twice."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path, display):
    """The list of records in a fixture file, or a Problem saying why there is none."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=StrictLoader)
    except FileNotFoundError:
        return None, Problem(display, message="file not found")
    except UnicodeDecodeError as exc:
        return None, Problem(display, message=f"not UTF-8 text ({exc.reason})")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        return None, Problem(display, message=f"malformed YAML: {line}{reason}")
    if data is None:
        return [], None
    if not isinstance(data, list):
        return None, Problem(display, message="expected a list of records at the top level")
    return data, None


# --------------------------------------------------------------------------- checking records

# For each kind: fixture key -> (model field used to validate it, or None; required?).
SPECS = {
    "source": (
        Source,
        {
            "slug": ("slug", True),
            "title": ("title", True),
            "author": ("author", False),
            "publisher": ("publisher", False),
            "original_publisher": ("original_publisher", False),
            "published": (None, False),
            "url": ("url", False),
            "kind": ("kind", True),
            "metadata_note": ("metadata_note", False),
            "file": ("file_name", True),
            "sha256": ("sha256", True),
        },
    ),
    "actor": (
        Actor,
        {
            "slug": ("slug", True),
            "name": ("name", True),
            "kind": ("kind", True),
            "role": ("role", False),
            "affiliation": (None, False),
            "aliases": ("aliases", False),
            "description": ("description", False),
            "order": ("order", False),
        },
    ),
    "issue": (
        Issue,
        {
            "slug": ("slug", True),
            "title": ("title", True),
            "description": ("description", False),
            "parent": (None, False),
            "order": ("order", False),
        },
    ),
    "round": (
        TalkRound,
        {
            "slug": ("slug", True),
            "title": ("title", True),
            "format": ("format", True),
            "city": ("city", False),
            "venue": ("venue", False),
            "date": (None, False),
            "end": (None, False),
            "date_note": ("date_note", False),
            "participants": (None, False),
            "outcome": ("outcome", False),
            "order": ("order", True),
            "citations": (None, True),
        },
    ),
    "demand": (
        Demand,
        {
            "slug": ("slug", True),
            "actor": (None, True),
            "round": (None, False),
            "issues": (None, True),
            "text": ("text", True),
            "bindingness": ("bindingness", False),
            "outcome": ("outcome", False),
            "note": ("note", False),
            "status": ("status", False),
            "withdrawal_reason": ("withdrawal_reason", False),
            "citations": (None, True),
        },
    ),
    "response": (
        Response,
        {
            "slug": ("slug", True),
            "actor": (None, True),
            "round": (None, False),
            "kind": ("kind", True),
            "answers": (None, False),
            "replies_to": (None, False),
            "issues": (None, True),
            "text": ("text", True),
            "note": ("note", False),
            "status": ("status", False),
            "withdrawal_reason": ("withdrawal_reason", False),
            "citations": (None, True),
        },
    ),
    "stance": (
        Stance,
        {
            "actor": (None, True),
            "issue": (None, True),
            "round": (None, False),
            "stance": ("code", True),
            "summary": ("summary", True),
            "attribution": ("attribution", True),
            "confidence": ("confidence", False),
            "note": ("note", False),
            "status": ("status", False),
            "withdrawal_reason": ("withdrawal_reason", False),
            "citations": (None, True),
        },
    ),
}

CITATION_SPEC = {
    "source": (None, True),
    "quote": ("quote", True),
    "prefix": ("prefix", False),
    "suffix": ("suffix", False),
}


@dataclass
class Record:
    """One fixture record after checking: plain values, with references still as slugs."""

    kind: str
    key: tuple
    label: str
    values: dict = field(default_factory=dict)  # model field -> value
    refs: dict = field(default_factory=dict)  # fixture key -> slug or list of slugs
    citations: list = field(
        default_factory=list
    )  # dicts: source, quote, prefix, suffix, start, end


class Checker:
    def __init__(self, fixtures_dir, seeds_dir):
        self.fixtures_dir = Path(fixtures_dir)
        self.seeds_dir = Path(seeds_dir)
        self.problems = []
        self.records = {kind: {} for kind in FILES}
        self.source_texts = {}  # slug -> (text, normalised)

    def display(self, kind):
        return f"{self.fixtures_dir.name}/{FILES[kind]}"

    def problem(self, kind, label, field_name, message):
        self.problems.append(Problem(self.display(kind), label, field_name, message))

    # -- the whole dataset

    def run(self, log):
        for kind, file_name in FILES.items():
            path = self.fixtures_dir / file_name
            data, problem = read_yaml(path, self.display(kind))
            if problem:
                self.problems.append(problem)
                continue
            log(f"Checking {self.display(kind)}: {len(data)} records")
            for index, raw in enumerate(data, start=1):
                self.check_record(kind, index, raw)
        if not self.problems:
            self.check_references()
        if not self.problems:
            self.check_readings()
        return self.records

    def check_readings(self):
        """The codebook's rules across claims (positions/readings.py), on the fixtures."""
        actors = self.records["actor"]

        def party(slug):
            affiliation = actors[(slug,)].refs.get("affiliation")
            return affiliation or slug

        stances = [
            readings.StanceFacts(
                key=record.label,
                actor=record.refs["actor"],
                party=party(record.refs["actor"]),
                issue=record.refs["issue"],
                round=record.refs.get("round"),
                code=record.values["code"],
                attribution=record.values["attribution"],
                spans=[readings.Span(c["source"], c["start"], c["end"]) for c in record.citations],
            )
            for record in self.records["stance"].values()
        ]
        claimed = {
            party(record.refs["actor"])
            for kind in ("stance", "demand", "response")
            for record in self.records[kind].values()
        }
        participants = {
            slug
            for record in self.records["round"].values()
            for slug in record.refs["participants"]
        }
        findings = readings.check(
            stances,
            [
                readings.IssueFacts(record.label, record.key[0], record.values["title"])
                for record in self.records["issue"].values()
            ],
            [
                readings.ActorFacts(
                    record.label,
                    record.key[0],
                    record.values["name"],
                    record.values["kind"] in PARTY_KINDS,
                    readings.split_aliases(record.values.get("aliases")),
                )
                for record in actors.values()
            ],
            claimed,
            participants,
        )
        for finding in findings:
            self.problem(finding.kind, finding.key, finding.field, finding.message)

    def check_record(self, kind, index, raw):
        model, spec = SPECS[kind]
        label = str(index)
        if not isinstance(raw, dict):
            self.problem(kind, label, "", "expected a mapping of field: value")
            return
        key = self.record_key(kind, raw)
        if key:
            label = f"{index} ({' / '.join(str(k) for k in key if k)})"
        record = Record(kind, key, label)
        ok = self.check_fields(kind, label, model, spec, raw, record.values, "")
        if not ok or key is None:
            return
        for name in ("actor", "issue", "round", "affiliation", "parent"):
            if name in spec and raw.get(name) not in (None, ""):
                record.refs[name] = self.slug_ref(kind, label, name, raw[name])
        for name in ("participants", "issues", "answers", "replies_to"):
            if name in spec:
                record.refs[name] = self.slug_list(kind, label, name, raw.get(name))
        if kind == "source":
            self.check_source(label, raw, record)
        if kind == "round":
            self.check_round_dates(label, raw, record)
        if "status" in spec:
            record.values.setdefault("status", Status.PUBLISHED)
            record.values["status"] = record.values["status"] or Status.PUBLISHED
        if "citations" in spec:
            self.check_citation_list(kind, label, raw.get("citations"), record)
        if key in self.records[kind]:
            self.problem(kind, label, "slug" if kind != "stance" else "", self.duplicate(kind, key))
            return
        self.records[kind][key] = record

    def record_key(self, kind, raw):
        if kind == "stance":
            parts = (raw.get("actor"), raw.get("issue"), raw.get("round") or None)
            if not all(isinstance(p, str) for p in parts[:2]):
                return None
            return parts
        slug = raw.get("slug")
        return (slug,) if isinstance(slug, str) and slug else None

    def duplicate(self, kind, key):
        if kind == "stance":
            return "duplicate stance: this actor already has a stance on this issue at this round"
        return f"duplicate slug {key[0]!r}"

    def check_fields(self, kind, label, model, spec, raw, values, prefix):
        ok = True
        for name in raw:
            if name not in spec:
                known = ", ".join(spec)
                self.problem(kind, label, prefix + str(name), f"unknown field (known: {known})")
                ok = False
        for name, (model_field, required) in spec.items():
            value = raw.get(name)
            if value is None or value == "" or value == []:
                if required:
                    self.problem(kind, label, prefix + name, "required field is missing or empty")
                    ok = False
                continue
            if model_field is None:
                continue
            django_field = model._meta.get_field(model_field)
            if isinstance(value, (dict, list)):
                self.problem(kind, label, prefix + name, "expected a single value")
                ok = False
                continue
            try:
                values[model_field] = django_field.clean(value, None)
            except ValidationError as exc:
                self.problem(kind, label, prefix + name, "; ".join(exc.messages))
                ok = False
                continue
            invisible = invisible_character(values[model_field])
            if invisible:
                self.problem(kind, label, prefix + name, invisible)
                ok = False
        if "slug" in spec and ok:
            values.pop("slug", None)
        return ok

    def slug_ref(self, kind, label, name, value):
        if not isinstance(value, str):
            self.problem(kind, label, name, "expected a slug")
            return None
        return value

    def slug_list(self, kind, label, name, value):
        if value in (None, ""):
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(kind, label, name, "expected a list of slugs")
            return []
        if len(set(value)) != len(value):
            self.problem(kind, label, name, "lists the same slug twice")
        return list(dict.fromkeys(value))

    def check_source(self, label, raw, record):
        published = raw.get("published")
        record.values["published_on"], record.values["date_precision"] = None, DatePrecision.UNKNOWN
        if published not in (None, ""):
            try:
                parsed = parse_partial_date(_date_text(published))
                record.values["published_on"], record.values["date_precision"] = parsed
            except ValueError as exc:
                self.problem("source", label, "published", str(exc))
        file_name = record.values.get("file_name", "")
        path = self.seeds_dir / file_name
        if Path(file_name).name != file_name:
            self.problem("source", label, "file", "name a file directly inside seeds/")
            return
        try:
            data = path.read_bytes()
        except OSError:
            self.problem("source", label, "file", f"seeds/{file_name} cannot be read")
            return
        digest = hashlib.sha256(data).hexdigest()
        if digest != record.values.get("sha256"):
            self.problem(
                "source",
                label,
                "sha256",
                f"seeds/{file_name} has changed: its SHA-256 is {digest}, the fixture says "
                f"{record.values.get('sha256')}. Re-check every quote from it, then update the hash.",
            )
            return
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            self.problem("source", label, "file", f"seeds/{file_name} is not UTF-8 text")
            return
        invisible = invisible_character(text)
        if invisible:
            self.problem("source", label, "file", f"seeds/{file_name} {invisible}")
            return
        record.values["text"] = text
        self.source_texts[record.key[0]] = (text, citations.normalise_with_offsets(text))

    def check_round_dates(self, label, raw, record):
        values = record.values
        values["start_date"], values["end_date"] = None, None
        values["date_precision"] = DatePrecision.UNKNOWN
        for name, target in (("date", "start_date"), ("end", "end_date")):
            value = raw.get(name)
            if value in (None, ""):
                continue
            try:
                values[target], precision = parse_partial_date(_date_text(value))
            except ValueError as exc:
                self.problem("round", label, name, str(exc))
                continue
            if target == "start_date":
                values["date_precision"] = precision
        if values["end_date"] and not values["start_date"]:
            self.problem("round", label, "end", "an end date needs a start date")
        elif values["end_date"] and values["end_date"] < values["start_date"]:
            self.problem("round", label, "end", "the round cannot end before it starts")

    def check_citation_list(self, kind, label, raw_list, record):
        if raw_list in (None, "", []):
            return  # reported as a missing required field
        if not isinstance(raw_list, list):
            self.problem(kind, label, "citations", "expected a list of citations")
            return
        for position, raw in enumerate(raw_list):
            where = f"citations[{position}]"
            if not isinstance(raw, dict):
                self.problem(kind, label, where, "expected a mapping with source and quote")
                continue
            values = {}
            if not self.check_fields(
                kind, label, Citation, CITATION_SPEC, raw, values, where + "."
            ):
                continue
            values["source"] = raw["source"]
            values["order"] = position
            record.citations.append((where, values))

    # -- references and quotes, once every file has been read

    def check_references(self):
        known = {kind: {key[0] for key in records} for kind, records in self.records.items()}
        targets = {
            "actor": "actor",
            "affiliation": "actor",
            "participants": "actor",
            "issue": "issue",
            "issues": "issue",
            "parent": "issue",
            "round": "round",
            "answers": "demand",
            "replies_to": "response",
        }
        for kind, records in self.records.items():
            for record in records.values():
                for name, value in record.refs.items():
                    slugs = value if isinstance(value, list) else [value]
                    for slug in slugs:
                        if slug is not None and slug not in known[targets[name]]:
                            self.problem(
                                kind,
                                record.label,
                                name,
                                f"refers to {targets[name]} {slug!r}, which is not in "
                                f"{FILES[targets[name]]}",
                            )
                self.check_rules(kind, record)
                self.anchor_citations(kind, record)

    def check_rules(self, kind, record):
        actors = self.records["actor"]
        if kind == "actor" and "affiliation" in record.refs:
            party = actors.get((record.refs["affiliation"],))
            if record.refs["affiliation"] == record.key[0]:
                self.problem(kind, record.label, "affiliation", "an actor cannot be its own party")
            elif party and party.refs.get("affiliation"):
                self.problem(
                    kind, record.label, "affiliation", "affiliate with a party, not an official"
                )
        if kind == "issue" and "parent" in record.refs:
            parent = self.records["issue"].get((record.refs["parent"],))
            if record.refs["parent"] == record.key[0]:
                self.problem(kind, record.label, "parent", "an issue cannot be its own parent")
            elif parent and parent.refs.get("parent"):
                self.problem(kind, record.label, "parent", "issues nest one level deep")
        if kind == "stance":
            actor = actors.get((record.refs.get("actor"),))
            if actor is None:
                return
            is_analyst = actor.values.get("kind") == ActorKind.ANALYST
            attribution = record.values.get("attribution")
            if is_analyst and attribution not in ANALYST_ATTRIBUTIONS:
                self.problem(
                    kind,
                    record.label,
                    "attribution",
                    f"{actor.key[0]} is an analyst: its stance is 'analysis' or 'proposal'",
                )
            if not is_analyst and attribution in ANALYST_ATTRIBUTIONS:
                self.problem(
                    kind,
                    record.label,
                    "attribution",
                    f"{actor.key[0]} is not an analyst: record what it said or did "
                    "('on_record' or 'reported'), and put an author's analysis under the author",
                )

    def anchor_citations(self, kind, record):
        anchored = []
        for where, values in record.citations:
            slug = values["source"]
            if slug not in self.source_texts:
                if slug not in {key[0] for key in self.records["source"]}:
                    self.problem(
                        kind,
                        record.label,
                        where + ".source",
                        f"refers to source {slug!r}, which is not in sources.yaml",
                    )
                continue  # a source whose file failed its checks is reported there
            text, normalised = self.source_texts[slug]
            try:
                found = citations.anchor(
                    text,
                    values["quote"],
                    values.get("prefix", ""),
                    values.get("suffix", ""),
                    normalised=normalised,
                )
            except citations.AnchorError as exc:
                self.problem(kind, record.label, where + ".quote", f"{exc} (source {slug!r})")
                continue
            values.update(start=found.start, end=found.end)
            anchored.append(values)
        record.citations = anchored


def _date_text(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def check_dataset(fixtures_dir, seeds_dir, log=print):
    """Check everything without touching the database. Raises DatasetError."""
    checker = Checker(fixtures_dir, seeds_dir)
    records = checker.run(log)
    if checker.problems:
        raise DatasetError(checker.problems)
    return records


# --------------------------------------------------------------------------- writing


@dataclass
class Report:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    deleted: dict = field(default_factory=dict)
    unchanged: dict = field(default_factory=dict)
    pruned: dict = field(default_factory=dict)
    # Records in the database that the fixtures no longer hold: kind -> labels (slug or
    # actor / issue / round). Pruned too when ``pruned`` counts them.
    stale: dict = field(default_factory=dict)

    BUCKETS = ("created", "updated", "deleted", "pruned", "unchanged")

    def count(self, bucket, name, n=1):
        counts = getattr(self, bucket)
        counts[name] = counts.get(name, 0) + n

    @property
    def changes(self):
        return sum(sum(getattr(self, b).values()) for b in self.BUCKETS if b != "unchanged")

    def stale_records(self):
        """'kind label' for every stale record, in load order."""
        return [f"{kind} {label}" for kind, labels in self.stale.items() for label in labels]

    def summary(self):
        names = sorted(set().union(*(getattr(self, b) for b in self.BUCKETS)))
        return "\n".join(
            f"{name}: " + ", ".join(f"{getattr(self, b).get(name, 0)} {b}" for b in self.BUCKETS)
            for name in names
        )


CHANGE_REASON = "load_dataset"
PRUNE_REASON = "load_dataset --prune"

# What a claim's evidence lists besides its citations: (label, fixture key), as in
# Claim.evidence_links().
EVIDENCE_LINKS = {
    "demand": [("issues", "issues")],
    "response": [("issues", "issues"), ("answers", "answers"), ("replies to", "replies_to")],
    "stance": [],
}

# Prune in this order, so that nothing stale still refers to what is deleted after it.
PRUNE_ORDER = ["stance", "response", "demand", "round", "issue", "actor", "source"]


def _originals(model):
    """The rows the fixtures describe: for claims, not a curator's pending proposed change."""
    manager = model._base_manager
    if any(f.name == "revision_of" for f in model._meta.concrete_fields):
        return manager.filter(revision_of__isnull=True)
    return manager.all()


def record_evidence_text(kind, record):
    """What ``Claim.compute_evidence()`` gives for this record once written, without a query:
    its links as sorted slugs, then its citations in order. A test holds the two equal."""
    links = [(label, sorted(record.refs.get(name) or [])) for label, name in EVIDENCE_LINKS[kind]]
    cited = sorted(record.citations, key=lambda c: (c["order"], c["start"]))
    return evidence_text(
        links, ((c["source"], c["quote"], c.get("prefix"), c.get("suffix")) for c in cited)
    )


class Writer:
    """Upsert checked records by natural key, with a bounded number of queries per kind."""

    def __init__(self, records, log, prune=False):
        self.records = records
        self.log = log
        self.prune = prune
        self.report = Report()
        self.objects = {}  # kind -> {slug or key: instance}

    def run(self):
        # Deleted citations and links tell the review workflow to re-record their claims'
        # evidence; deferred to the end, it finds the evidence this load wrote and writes nothing.
        with deferred_evidence():
            self.write()
            stale = self.find_stale()
            if self.prune and stale:
                self.prune_stale(stale)
        if self.report.changes:
            DatasetVersion.bump()  # bulk writes send no signals: retire cached pages here
        return self.report

    def write(self):
        self.upsert("source", Source, lambda r: {})
        self.upsert_actors()
        self.upsert_issues()
        self.upsert("round", TalkRound, lambda r: {})
        self.sync_m2m("round", TalkRound.participants, "participants", "actor")
        self.upsert("demand", Demand, self.claim_refs)
        self.sync_m2m("demand", Demand.issues, "issues", "issue")
        self.upsert("response", Response, self.claim_refs)
        self.sync_m2m("response", Response.issues, "issues", "issue")
        self.sync_m2m("response", Response.answers, "answers", "demand")
        self.sync_m2m("response", Response.replies_to, "replies_to", "response")
        self.upsert("stance", Stance, self.stance_refs, key=self.stance_key)
        self.sync_citations()

    def claim_refs(self, record):
        # The evidence is written with the claim, so one history record shows both.
        return {
            "actor": self.objects["actor"][record.refs["actor"]],
            "talk_round": self.objects["round"].get(record.refs.get("round")),
            "evidence": record_evidence_text(record.kind, record),
        }

    def stance_refs(self, record):
        return {
            **self.claim_refs(record),
            "issue": self.objects["issue"][record.refs["issue"]],
        }

    @staticmethod
    def stance_key(obj):
        return (obj.actor.slug, obj.issue.slug, obj.talk_round.slug if obj.talk_round else None)

    def upsert_actors(self):
        # Parties first, so that officials can point at them.
        self.upsert(
            "actor",
            Actor,
            lambda r: {"affiliation": None},
            only=lambda r: "affiliation" not in r.refs,
        )
        self.upsert(
            "actor",
            Actor,
            lambda r: {"affiliation": self.objects["actor"][r.refs["affiliation"]]},
            only=lambda r: "affiliation" in r.refs,
        )

    def upsert_issues(self):
        self.upsert(
            "issue", Issue, lambda r: {"parent": None}, only=lambda r: "parent" not in r.refs
        )
        self.upsert(
            "issue",
            Issue,
            lambda r: {"parent": self.objects["issue"][r.refs["parent"]]},
            only=lambda r: "parent" in r.refs,
        )

    def upsert(self, kind, model, refs, key=None, only=None):
        records = [r for r in self.records[kind].values() if only is None or only(r)]
        name = model._meta.verbose_name_plural
        self.log(f"Writing {len(records)} {name}")
        rows = _originals(model)
        if kind == "stance":
            existing = {
                key(obj): obj for obj in rows.select_related("actor", "issue", "talk_round")
            }
        else:
            existing = {obj.slug: obj for obj in rows}
        objects = self.objects.setdefault(
            kind, {}
        )  # a second pass (officials, sub-issues) adds to it
        to_create, to_update, changed_fields = [], [], set()
        defaults = {
            f.name: f.get_default()
            for f in model._meta.concrete_fields
            if not f.primary_key and f.has_default() and f.name != "version"
        }
        versioned = any(f.name == "version" for f in model._meta.concrete_fields)
        for record in records:
            wanted = {
                **defaults,
                **self.blank_defaults(model, record),
                **record.values,
                **refs(record),
            }
            ident = record.key if kind == "stance" else record.key[0]
            obj = existing.get(ident)
            if obj is None:
                obj = model(**wanted) if kind == "stance" else model(slug=ident, **wanted)
                to_create.append(obj)
            else:
                dirty = [f for f, v in wanted.items() if _field_value(obj, f) != _value(v)]
                for f in dirty:
                    setattr(obj, f, wanted[f])
                if dirty:
                    if versioned:  # an admin form opened before this load sees a conflict
                        obj.version += 1
                        dirty.append("version")
                    to_update.append(obj)
                    changed_fields.update(dirty)
                else:
                    self.report.count("unchanged", name)
            objects[ident] = obj
        if to_create:
            # SQLite >= 3.35 and PostgreSQL return the new ids, so to_create now has its pks.
            bulk_create_with_history(
                to_create, model, batch_size=500, default_change_reason=CHANGE_REASON
            )
            self.report.count("created", name, len(to_create))
        if to_update:
            bulk_update_with_history(
                to_update,
                model,
                sorted(changed_fields),
                batch_size=500,
                default_change_reason=CHANGE_REASON,
            )
            self.report.count("updated", name, len(to_update))

    @staticmethod
    def blank_defaults(model, record):
        """Optional text fields the record leaves out are blank, so removing a field clears it."""
        blanks = {}
        for f in model._meta.concrete_fields:
            text_field = f.get_internal_type() in ("CharField", "TextField", "URLField")
            optional = f.blank and f.editable and not f.has_default()
            if text_field and optional and f.name not in record.values:
                blanks[f.name] = ""
        return blanks

    def sync_m2m(self, kind, descriptor, ref_name, target_kind):
        through = descriptor.through
        from_field, to_field = _through_fields(descriptor)
        wanted = set()
        for ident, record in ((r.key[0], r) for r in self.records[kind].values()):
            source_id = self.objects[kind][ident].pk
            for slug in record.refs.get(ref_name, []):
                wanted.add((source_id, self.objects[target_kind][slug].pk))
        owner_ids = {self.objects[kind][r.key[0]].pk for r in self.records[kind].values()}
        rows = through.objects.filter(**{f"{from_field}_id__in": owner_ids})
        if target_kind in ("demand", "response"):
            # A link to a pending proposed change belongs to the review workflow: leave it.
            rows = rows.filter(**{f"{to_field}__revision_of__isnull": True})
        existing = {
            (getattr(row, f"{from_field}_id"), getattr(row, f"{to_field}_id")): row.pk
            for row in rows
        }
        stale = [pk for pair, pk in existing.items() if pair not in wanted]
        fresh = [
            through(**{f"{from_field}_id": a, f"{to_field}_id": b})
            for a, b in sorted(wanted - set(existing))
        ]
        name = f"{kind} {ref_name}"
        if stale:
            through.objects.filter(pk__in=stale).delete()
            self.report.count("deleted", name, len(stale))
        if fresh:
            through.objects.bulk_create(fresh, batch_size=500)
            self.report.count("created", name, len(fresh))
        self.report.count("unchanged", name, len(existing) - len(stale))

    def sync_citations(self):
        """Each cited record's citations become exactly those of its fixture record."""
        self.log("Writing citations")
        sources = self.objects["source"]
        wanted = {}
        target_ids = {name: set() for name in Citation.TARGETS}
        for kind, target in (
            ("round", "talk_round"),
            ("demand", "demand"),
            ("response", "response"),
            ("stance", "stance"),
        ):
            for record in self.records[kind].values():
                ident = record.key if kind == "stance" else record.key[0]
                owner = self.objects[kind][ident]
                target_ids[target].add(owner.pk)
                for values in record.citations:
                    key = (
                        target,
                        owner.pk,
                        sources[values["source"]].pk,
                        values["start"],
                        values["end"],
                    )
                    wanted[key] = {
                        "quote": values["quote"],
                        "prefix": values.get("prefix", ""),
                        "suffix": values.get("suffix", ""),
                        "order": values["order"],
                    }
        existing = {}
        for name, ids in target_ids.items():
            for citation in Citation.objects.filter(**{f"{name}_id__in": ids}):
                key = (
                    name,
                    getattr(citation, f"{name}_id"),
                    citation.source_id,
                    citation.start,
                    citation.end,
                )
                existing[key] = citation
        stale = [c.pk for key, c in existing.items() if key not in wanted]
        to_create, to_update = [], []
        for key, values in wanted.items():
            citation = existing.get(key)
            if citation is None:
                target, owner_id, source_id, start, end = key
                to_create.append(
                    Citation(
                        source_id=source_id,
                        start=start,
                        end=end,
                        **{f"{target}_id": owner_id},
                        **values,
                    )
                )
            elif any(getattr(citation, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(citation, f, v)
                to_update.append(citation)
        if stale:
            Citation.objects.filter(pk__in=stale).delete()
            self.report.count("deleted", "citations", len(stale))
        if to_create:
            bulk_create_with_history(
                to_create, Citation, batch_size=1000, default_change_reason=CHANGE_REASON
            )
            self.report.count("created", "citations", len(to_create))
        if to_update:
            bulk_update_with_history(
                to_update,
                Citation,
                ["quote", "prefix", "suffix", "order"],
                batch_size=1000,
                default_change_reason=CHANGE_REASON,
            )
            self.report.count("updated", "citations", len(to_update))
        self.report.count("unchanged", "citations", len(existing) - len(stale) - len(to_update))

    # -- records the fixtures no longer hold

    def find_stale(self):
        """Every original in the database that the fixtures do not hold: {kind: [(label, pk)]}.

        One query per kind. A pending proposed change is not a record of the fixtures: it is
        never stale by itself, and goes with its original when that is pruned.
        """
        self.log("Looking for records the fixtures no longer hold")
        stale = {}
        for kind, (model, _) in SPECS.items():
            rows = _originals(model).order_by()
            if kind == "stance":
                rows = rows.values_list("pk", "actor__slug", "issue__slug", "talk_round__slug")
                found = ((pk, (actor, issue, round_)) for pk, actor, issue, round_ in rows)
            else:
                found = ((pk, (slug,)) for pk, slug in rows.values_list("pk", "slug"))
            missing = sorted(
                (_key_label(key), pk) for pk, key in found if key not in self.records[kind]
            )
            if missing:
                stale[kind] = missing
                self.report.stale[kind] = [label for label, _ in missing]
        return stale

    def prune_stale(self, stale):
        """Delete the stale records, each with what cascades from it (a claim's citations and
        pending proposed change), leaving a history record of each delete.

        Raises DatasetError naming every record whose delete would orphan something (what a
        PROTECT foreign key guards), so the whole load writes nothing.
        """
        self.log(f"Pruning {sum(len(v) for v in stale.values())} records")
        refused = []
        for kind in PRUNE_ORDER:
            if kind not in stale:
                continue
            model = SPECS[kind][0]
            labels = {pk: label for label, pk in stale[kind]}
            # Officials before their party, sub-issues before their cluster.
            up = {"actor": "affiliation_id", "issue": "parent_id"}.get(kind)
            objs = sorted(
                model._base_manager.filter(pk__in=labels),
                key=lambda o: (up is not None and getattr(o, up) is None, labels[o.pk]),
            )
            for obj in objs:
                # What Model.delete() does, with a change reason on everything that goes.
                collector = Collector(using=router.db_for_write(model, instance=obj), origin=obj)
                try:
                    collector.collect([obj])
                except ProtectedError as exc:
                    refused.append(_refusal(kind, labels[obj.pk], exc.protected_objects))
                    continue
                for instances in collector.data.values():
                    for instance in instances:
                        instance._change_reason = PRUNE_REASON
                _, deleted = collector.delete()
                self.report.count("pruned", model._meta.verbose_name_plural)
                if deleted.get(Citation._meta.label):
                    self.report.count("pruned", "citations", deleted[Citation._meta.label])
        if refused:
            raise DatasetError(refused)


def _key_label(key):
    return " / ".join(str(k) for k in key if k)


KINDS = {model: kind for kind, (model, _) in SPECS.items()}


def _describe(obj):
    """A record as a curator finds it: its kind and slug (or actor / issue / round)."""
    if isinstance(obj, Citation):
        return f"a citation of {_describe(obj.target)}"
    kind = KINDS.get(type(obj))
    if kind is None:
        return f"{obj._meta.verbose_name} {obj.pk}"
    label = _key_label(Writer.stance_key(obj)) if kind == "stance" else obj.slug
    if getattr(obj, "revision_of_id", None):
        label += " (a pending proposed change)"
    return f"{kind} {label}"


def _refusal(kind, label, protected):
    names = sorted({_describe(obj) for obj in protected})
    more = f" and {len(names) - 10} more" if len(names) > 10 else ""
    return Problem(
        "database",
        f"{kind} {label}",
        "",
        f"not in {FILES[kind]}, and --prune cannot delete it without orphaning what still "
        f"refers to it: {', '.join(names[:10])}{more}",
    )


def _through_fields(descriptor):
    field = descriptor.field
    return field.m2m_field_name(), field.m2m_reverse_field_name()


def _field_value(obj, name):
    f = obj._meta.get_field(name)
    if f.is_relation:
        return getattr(obj, f.attname)
    return getattr(obj, name)


def _value(value):
    return value.pk if hasattr(value, "_meta") else value


# Everything a curator edits in the admin, with its history.
SYNCED = [Source, Actor, Issue, TalkRound, Demand, Response, Stance, Citation]
NAMED = 20  # curated changes named in a refusal; the rest are counted


class CuratedChanges(DatasetError):
    """The database holds changes made in the admin since the last load or export."""

    def __init__(self, lines, total, since):
        self.problems = []
        when = f"since the last load or export ({since})" if since else "and was never loaded"
        more = f"\n  ... and {total - len(lines)} more" if total > len(lines) else ""
        listed = "\n".join(f"  {line}" for line in lines)
        Exception.__init__(
            self,
            f"the dataset was not loaded: the database holds {total} changes made in the admin "
            f"{when}, which this load would overwrite:\n{listed}{more}\n"
            "Keep them: run `manage.py export_dataset`, review and commit the fixtures, then "
            "load. Or discard them: run `manage.py load_dataset --force`.",
        )


def _curated_rows(model, since):
    rows = model.history.filter(history_user__isnull=False)
    return rows if since is None else rows.filter(history_date__gt=since.at)


def any_curated_changes(since):
    """Whether anyone changed the data in the admin after ``since``: one query."""
    first, *rest = [_curated_rows(model, since).values_list("history_id") for model in SYNCED]
    return first.union(*rest, all=True).exists()


def curated_changes(since):
    """The changes signed-in people made (history records with a user) after ``since``, the
    latest per record: (total, lines naming the first NAMED). Commands write history with no
    user, so a load's own writes never count. Two queries per kind."""
    lines, total = [], 0
    for model in SYNCED:
        rows = _curated_rows(model, since)
        total += rows.values("id").distinct().count()
        seen = set()
        for record in rows.select_related("history_user").order_by("-history_date")[: NAMED * 4]:
            if record.id in seen or len(lines) >= NAMED:
                continue
            seen.add(record.id)
            verb = {"+": "added", "~": "changed", "-": "deleted"}[record.history_type]
            lines.append(
                f"{_describe_record(record)}: {verb} by "
                f"{record.history_user} on {record.history_date:%Y-%m-%d %H:%M} UTC"
            )
    return total, lines


def _describe_record(record):
    try:
        return _describe(record.instance)
    except Exception:  # a deleted row's relations may be gone too
        return f"{record.instance._meta.verbose_name} #{record.id}"


def load_dataset(fixtures_dir, seeds_dir, log=print, prune=False, force=False):
    """Check the whole dataset, then write it in one transaction. Returns a Report.

    The report lists the records in the database that the fixtures no longer hold (``stale``);
    with ``prune`` they are deleted in the same transaction.

    Raises DatasetError, with every problem found, before anything is written; or, with
    ``prune``, naming every stale record that cannot be deleted, and then nothing is written.
    Raises CuratedChanges, writing nothing, if people changed the data in the admin since the
    last load or export, unless ``force``.
    """
    records = check_dataset(fixtures_dir, seeds_dir, log)
    try:
        with transaction.atomic():
            if not force:
                since = DatasetSync.last()
                if any_curated_changes(since):
                    total, lines = curated_changes(since)
                    raise CuratedChanges(lines, total, since)
            report = Writer(records, log, prune=prune).run()
            DatasetSync.objects.create(kind=DatasetSync.Kind.LOAD, folder=str(fixtures_dir))
    except OperationalError as exc:  # no connection, or it dropped: nothing was written
        raise DatasetError([Problem(str(fixtures_dir), message=unreachable(exc))]) from exc
    except DatabaseError as exc:  # a constraint the checks above missed: nothing was written
        while isinstance(exc.__context__, DatabaseError):
            exc = exc.__context__  # the first error, not one raised while unwinding from it
        raise DatasetError(
            [Problem(str(fixtures_dir), message=f"database refused the data: {exc}")]
        ) from exc
    return report


def unreachable(exc):
    """One line for a database that cannot be used, instead of a driver's traceback."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    reason = lines[0] if lines else type(exc).__name__
    if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
        return (
            f"the database has no Parley tables yet ({reason}); nothing was written. Run "
            "`manage.py migrate`, then `manage.py load_dataset` (or `make db`)."
        )
    return (
        f"could not use the database ({reason}); nothing was written. "
        "Is the database running, and is DATABASE_URL right?"
    )


# --------------------------------------------------------------------------- verifying


def verify_citations():
    """Re-verify every citation and claim in the database. Returns a list of failure strings."""
    failures = []
    sources = {s.pk: s for s in Source.objects.all()}
    for source in sources.values():
        if citations.sha256_text(source.text) != source.sha256:
            failures.append(f"source {source.slug}: its text no longer matches its SHA-256")
    normalised = {pk: citations.normalise_with_offsets(s.text) for pk, s in sources.items()}
    for citation in Citation.objects.order_by("pk").iterator():
        source = sources[citation.source_id]
        label = f"citation {citation.pk} ({source.slug} [{citation.start}:{citation.end}])"
        if not citations.verify(source.text, citation.quote, citation.start, citation.end):
            failures.append(f"{label}: the text at its offsets is not the quote")
            continue
        try:
            found = citations.anchor(
                source.text, citation.quote, citation.prefix, citation.suffix, normalised[source.pk]
            )
        except citations.AnchorError as exc:
            failures.append(f"{label}: {exc}")
            continue
        if (found.start, found.end) != (citation.start, citation.end):
            failures.append(f"{label}: the quote now anchors at [{found.start}:{found.end}]")
    for model in (Stance, Demand, Response):
        uncited = model.objects.published().filter(citations__isnull=True)
        for claim in uncited:
            failures.append(
                f"{model._meta.verbose_name} {claim.pk} ({claim}): published without a citation"
            )
    uncited_rounds = TalkRound.objects.filter(citations__isnull=True)
    failures.extend(f"round {r.slug}: no citation" for r in uncited_rounds)
    failures.extend(f"{f.kind} {f.key}: {f.message}" for f in published_readings_findings())
    return failures


def published_readings_findings():
    """The codebook's rules across claims (positions/readings.py), on the published data."""
    stances = (
        Stance.objects.published()
        .select_related("actor", "issue", "talk_round")
        .prefetch_related(
            Prefetch(
                "citations",
                Citation.objects.select_related("source").only(
                    "stance_id", "start", "end", "source__slug"
                ),
            )
        )
    )
    actors = list(Actor.objects.all())
    by_pk = {actor.pk: actor for actor in actors}
    facts = [
        readings.StanceFacts(
            key=f"{s.pk} ({s})",
            actor=s.actor.slug,
            party=by_pk[s.actor.affiliation_id or s.actor_id].slug,
            issue=s.issue.slug,
            round=s.talk_round.slug if s.talk_round_id else None,
            code=s.code,
            attribution=s.attribution,
            spans=[readings.Span(c.source.slug, c.start, c.end) for c in s.citations.all()],
        )
        for s in stances
    ]
    claimed = set()
    for model in (Stance, Demand, Response):
        for actor_id in model.objects.published().values_list("actor_id", flat=True).distinct():
            actor = by_pk[actor_id]
            claimed.add(by_pk[actor.affiliation_id].slug if actor.affiliation_id else actor.slug)
    participants = set(TalkRound.participants.through.objects.values_list("actor__slug", flat=True))
    return readings.check(
        facts,
        [readings.IssueFacts(i.slug, i.slug, i.title) for i in Issue.objects.all()],
        [
            readings.ActorFacts(
                a.slug, a.slug, a.name, a.kind in PARTY_KINDS, readings.split_aliases(a.aliases)
            )
            for a in actors
        ],
        claimed,
        participants,
    )


# --------------------------------------------------------------------------- exporting

HEADERS = {
    "source": "The source articles. Each text lives verbatim in seeds/; its SHA-256 is checked on "
    "every load.\nLeave a field out when the article does not say: never guess.",
    "actor": "Parties (states, alliances, organisations) get a column in the comparison table.\n"
    "Officials and government bodies name the party they speak for in `affiliation`.",
    "issue": "Issues nest one level: a cluster, then its sub-issues. `order` sets the rows.",
    "round": "The talk rounds, in order. Dates only as precise as the sources: 'YYYY-MM-DD', "
    "'YYYY-MM', 'YYYY',\nor left out when no source gives one.",
    "demand": "Demands: what each party tabled, with its outcome as the sources report it.",
    "response": "Counterproposals and responses: what answers a demand (`answers`) or another "
    "response (`replies_to`).",
    "stance": "Stances: one per actor, issue and round. The code is the curator's reading; the "
    "quotes are the facts.\nSee docs/codebook.md for the scale, attribution and confidence.",
}


class FixtureDumper(yaml.SafeDumper):
    """Block style, keys in the order given, long strings folded at a stable width."""


def _no_aliases(self, data):
    return True


FixtureDumper.ignore_aliases = _no_aliases


def dump_records(kind, records):
    header = "".join(f"# {line}\n" for line in HEADERS[kind].splitlines())
    body = yaml.dump(
        records,
        Dumper=FixtureDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return header + body


def _compact(record):
    """Leave out what is empty, so a fixture carries only what the sources give."""
    return {k: v for k, v in record.items() if v not in (None, "", [])}


def _citations(owner):
    return [
        _compact(
            {"source": c.source.slug, "quote": c.quote, "prefix": c.prefix, "suffix": c.suffix}
        )
        for c in sorted(owner.citations.all(), key=lambda c: (c.order, c.start, c.pk))
    ]


def _status(claim):
    return None if claim.status == Status.PUBLISHED else claim.status


def _slugs(related, key=lambda o: (getattr(o, "order", 0), o.slug)):
    return [o.slug for o in sorted(related, key=key)]


def export_records():
    """Every curated record in the fixture format, in a stable order. Returns {kind: [records]}.

    Claims are the originals: a pending proposed change is not exported, nor linked to. The
    evidence field is derived from the citations and links, so it is not exported either.
    """
    from positions.models import unparse_partial_date

    cites = Prefetch("citations", queryset=Citation.objects.select_related("source"))
    answers = Prefetch("answers", queryset=_originals(Demand))
    replies_to = Prefetch("replies_to", queryset=_originals(Response))
    out = {}
    out["source"] = [
        _compact(
            {
                "slug": s.slug,
                "title": s.title,
                "author": s.author,
                "publisher": s.publisher,
                "original_publisher": s.original_publisher,
                "published": unparse_partial_date(s.published_on, s.date_precision),
                "url": s.url,
                "kind": s.kind,
                "metadata_note": s.metadata_note,
                "file": s.file_name,
                "sha256": s.sha256,
            }
        )
        for s in Source.objects.order_by("file_name", "slug")
    ]
    out["actor"] = [
        _compact(
            {
                "slug": a.slug,
                "name": a.name,
                "kind": a.kind,
                "role": a.role,
                "affiliation": a.affiliation.slug if a.affiliation else None,
                "aliases": a.aliases,
                "description": a.description,
                "order": a.order,
            }
        )
        for a in Actor.objects.select_related("affiliation").order_by("order", "slug")
    ]
    out["issue"] = [
        _compact(
            {
                "slug": i.slug,
                "title": i.title,
                "description": i.description,
                "parent": i.parent.slug if i.parent else None,
                "order": i.order,
            }
        )
        for i in Issue.objects.select_related("parent").order_by("order", "slug")
    ]
    out["round"] = [
        _compact(
            {
                "slug": r.slug,
                "title": r.title,
                "format": r.format,
                "city": r.city,
                "venue": r.venue,
                "date": unparse_partial_date(r.start_date, r.date_precision),
                "end": unparse_partial_date(r.end_date, r.date_precision),
                "date_note": r.date_note,
                "participants": _slugs(r.participants.all()),
                "outcome": r.outcome,
                "order": r.order,
                "citations": _citations(r),
            }
        )
        for r in TalkRound.objects.prefetch_related("participants", cites).order_by("order")
    ]
    claim_order = (ROUND_ORDER, "slug")
    out["demand"] = [
        _compact(
            {
                "slug": d.slug,
                "actor": d.actor.slug,
                "round": d.talk_round.slug if d.talk_round else None,
                "issues": _slugs(d.issues.all()),
                "text": d.text,
                "bindingness": d.bindingness,
                "outcome": d.outcome,
                "note": d.note,
                "status": _status(d),
                "withdrawal_reason": d.withdrawal_reason,
                "citations": _citations(d),
            }
        )
        for d in _originals(Demand)
        .select_related("actor", "talk_round")
        .prefetch_related("issues", cites)
        .order_by(*claim_order)
    ]
    out["response"] = [
        _compact(
            {
                "slug": r.slug,
                "actor": r.actor.slug,
                "round": r.talk_round.slug if r.talk_round else None,
                "kind": r.kind,
                "answers": _slugs(r.answers.all(), key=lambda o: o.slug),
                "replies_to": _slugs(r.replies_to.all(), key=lambda o: o.slug),
                "issues": _slugs(r.issues.all()),
                "text": r.text,
                "note": r.note,
                "status": _status(r),
                "withdrawal_reason": r.withdrawal_reason,
                "citations": _citations(r),
            }
        )
        for r in _originals(Response)
        .select_related("actor", "talk_round")
        .prefetch_related("issues", answers, replies_to, cites)
        .order_by(*claim_order)
    ]
    out["stance"] = [
        _compact(
            {
                "actor": s.actor.slug,
                "issue": s.issue.slug,
                "round": s.talk_round.slug if s.talk_round else None,
                "stance": s.code,
                "summary": s.summary,
                "attribution": s.attribution,
                "confidence": s.confidence,
                "note": s.note,
                "status": _status(s),
                "withdrawal_reason": s.withdrawal_reason,
                "citations": _citations(s),
            }
        )
        for s in _originals(Stance)
        .select_related("actor", "issue", "talk_round")
        .prefetch_related(cites)
        .order_by("issue__order", "issue__slug", "actor__order", "actor__slug", ROUND_ORDER)
    ]
    return out


def export_dataset(root, log=print):
    """Write the database as fixtures/ and seeds/ under root, in the format load_dataset reads."""
    root = Path(root)
    fixtures, seeds = root / "fixtures", root / "seeds"
    fixtures.mkdir(parents=True, exist_ok=True)
    seeds.mkdir(parents=True, exist_ok=True)
    records = export_records()
    for kind, file_name in FILES.items():
        (fixtures / file_name).write_text(dump_records(kind, records[kind]), encoding="utf-8")
        log(f"Wrote {fixtures / file_name}: {len(records[kind])} records")
    for source in Source.objects.only("file_name", "text"):
        path = seeds / source.file_name
        data = source.text.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            log(f"Wrote {path}")
    DatasetSync.objects.create(kind=DatasetSync.Kind.EXPORT, folder=str(fixtures))
    return records
