"""The fixture format: the files in load order, what each record may hold, and how a problem is
reported (file, record, field). docs/fixtures.md says the same for curators."""

from dataclasses import dataclass

import yaml

from positions.models import Actor, Demand, Issue, Response, Source, Stance, TalkRound

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


def originals(model):
    """The rows the fixtures describe: for claims, not a curator's pending proposed change."""
    manager = model._base_manager
    if any(f.name == "revision_of" for f in model._meta.concrete_fields):
        return manager.filter(revision_of__isnull=True)
    return manager.all()


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
