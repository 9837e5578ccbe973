"""Phases 2 and 3 of a load, *write* and *stale*: only if the check found no problem, upsert
everything by natural key in one transaction (loading the same files twice changes nothing); then
list the records the database holds and the fixtures no longer do and, with ``prune``, delete them,
or refuse the whole load where a delete would orphan something. A load never overwrites what a
curator changed in the admin since the last sync (``CuratedChanges``)."""

from dataclasses import dataclass, field

from django.db import DatabaseError, OperationalError, router, transaction
from django.db.models.deletion import Collector, ProtectedError
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from positions import models, search_index
from positions.curation.review import deferred_evidence
from positions.dataset.check import check_dataset
from positions.dataset.fixtures import FILES, SPECS, DatasetError, Problem, originals, unreachable
from positions.dataset.lock import hold_for_load


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


def record_evidence_text(kind, record):
    """What ``Claim.compute_evidence()`` gives for this record once written, without a query:
    its links as sorted slugs, then its citations in order. A test holds the two equal."""
    links = [(label, sorted(record.refs.get(name) or [])) for label, name in EVIDENCE_LINKS[kind]]
    cited = sorted(record.citations, key=lambda c: (c["order"], c["start"]))
    return models.evidence_text(
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
        if self.report.changes or not models.SearchEntry.objects.exists():
            # Bulk writes send no signals: search's entries are made anew in the load's
            # transaction, and cached pages retired once it has committed.
            search_index.rebuild()
            transaction.on_commit(models.DatasetVersion.bump)
        return self.report

    def write(self):
        self.upsert("source", models.Source, lambda r: {})
        self.upsert_actors()
        self.upsert_issues()
        self.upsert("round", models.TalkRound, lambda r: {})
        self.sync_m2m("round", models.TalkRound.participants, "participants", "actor")
        self.upsert("demand", models.Demand, self.claim_refs)
        self.sync_m2m("demand", models.Demand.issues, "issues", "issue")
        self.upsert("response", models.Response, self.claim_refs)
        self.sync_m2m("response", models.Response.issues, "issues", "issue")
        self.sync_m2m("response", models.Response.answers, "answers", "demand")
        self.sync_m2m("response", models.Response.replies_to, "replies_to", "response")
        self.upsert("stance", models.Stance, self.stance_refs, key=self.stance_key)
        self.sync_citations()

    def claim_refs(self, record):
        # The evidence is written with the claim, so one history record shows both.
        return {
            "actor": self.objects["actor"][record.refs["actor"]],
            "talk_round": self.objects["round"].get(record.refs.get("round")),
            "evidence": record_evidence_text(record.kind, record),
        }

    def stance_refs(self, record):
        return {**self.claim_refs(record), "issue": self.objects["issue"][record.refs["issue"]]}

    @staticmethod
    def stance_key(obj):
        return (obj.actor.slug, obj.issue.slug, obj.talk_round.slug if obj.talk_round else None)

    def upsert_actors(self):
        # Parties first, so that officials can point at them.
        self.upsert(
            "actor",
            models.Actor,
            lambda r: {"affiliation": None},
            only=lambda r: "affiliation" not in r.refs,
        )
        self.upsert(
            "actor",
            models.Actor,
            lambda r: {"affiliation": self.objects["actor"][r.refs["affiliation"]]},
            only=lambda r: "affiliation" in r.refs,
        )

    def upsert_issues(self):
        self.upsert(
            "issue", models.Issue, lambda r: {"parent": None}, only=lambda r: "parent" not in r.refs
        )
        self.upsert(
            "issue",
            models.Issue,
            lambda r: {"parent": self.objects["issue"][r.refs["parent"]]},
            only=lambda r: "parent" in r.refs,
        )

    def upsert(self, kind, model, refs, key=None, only=None):
        records = [r for r in self.records[kind].values() if only is None or only(r)]
        name = model._meta.verbose_name_plural
        self.log(f"Writing {len(records)} {name}")
        rows = originals(model)
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
        target_ids = {name: set() for name in models.Citation.TARGETS}
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
            for citation in models.Citation.objects.filter(**{f"{name}_id__in": ids}):
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
                    models.Citation(
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
            models.Citation.objects.filter(pk__in=stale).delete()
            self.report.count("deleted", "citations", len(stale))
        if to_create:
            bulk_create_with_history(
                to_create, models.Citation, batch_size=1000, default_change_reason=CHANGE_REASON
            )
            self.report.count("created", "citations", len(to_create))
        if to_update:
            bulk_update_with_history(
                to_update,
                models.Citation,
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
            rows = originals(model).order_by()
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
                if deleted.get(models.Citation._meta.label):
                    self.report.count("pruned", "citations", deleted[models.Citation._meta.label])
        if refused:
            raise DatasetError(refused)


def _key_label(key):
    return " / ".join(str(k) for k in key if k)


KINDS = {model: kind for kind, (model, _) in SPECS.items()}


def _describe(obj):
    """A record as a curator finds it: its kind and slug (or actor / issue / round)."""
    if isinstance(obj, models.Citation):
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
SYNCED = [
    models.Source,
    models.Actor,
    models.Issue,
    models.TalkRound,
    models.Demand,
    models.Response,
    models.Stance,
    models.Citation,
]
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
            hold_for_load()  # edits made meanwhile wait, then land after this load (lock.py)
            if not force:
                since = models.DatasetSync.last()
                if any_curated_changes(since):
                    total, lines = curated_changes(since)
                    raise CuratedChanges(lines, total, since)
            report = Writer(records, log, prune=prune).run()
            models.DatasetSync.objects.create(
                kind=models.DatasetSync.Kind.LOAD, folder=str(fixtures_dir)
            )
    except OperationalError as exc:  # no connection, or it dropped: nothing was written
        raise DatasetError([Problem(str(fixtures_dir), message=unreachable(exc))]) from exc
    except DatabaseError as exc:  # a constraint the checks above missed: nothing was written
        while isinstance(exc.__context__, DatabaseError):
            exc = exc.__context__  # the first error, not one raised while unwinding from it
        raise DatasetError(
            [Problem(str(fixtures_dir), message=f"database refused the data: {exc}")]
        ) from exc
    return report
