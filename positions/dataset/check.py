"""Phase 1 of a load, *check*: read every file, validate every record and field, resolve every
slug, anchor every quote in its source, and run the codebook's rules across claims
(positions/readings.py). Nothing touches the database; every problem found is collected with the
file, the record and the field it concerns."""

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

from positions import citations, readings
from positions.dataset.fixtures import CITATION_SPEC, FILES, SPECS, DatasetError, Problem, read_yaml
from positions.models import (
    PARTY_KINDS,
    Citation,
    DatePrecision,
    Status,
    attribution_problem,
    nesting_problem,
)
from positions.partial_dates import parse_partial_date
from positions.validators import invisible_character


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
        """The models' own rules, on records that refer to each other by slug."""
        actors, issues = self.records["actor"], self.records["issue"]
        for field_name, its_kind, records in (
            ("affiliation", "actor", actors),
            ("parent", "issue", issues),
        ):
            if kind == its_kind and field_name in record.refs:
                target = records.get((record.refs[field_name],))
                nested = target is not None and field_name in target.refs
                problem = nesting_problem(
                    field_name, record.key[0], record.refs[field_name], nested
                )
                if problem:
                    self.problem(kind, record.label, field_name, problem)
        if kind == "stance":
            actor = actors.get((record.refs.get("actor"),))
            if actor is None:
                return
            problem = attribution_problem(
                actor.values.get("kind"), record.values.get("attribution")
            )
            if problem:
                self.problem(kind, record.label, "attribution", f"{actor.key[0]}: {problem}")

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
