"""Write the database back as fixtures/ and seeds/ in the format the loader reads: natural keys,
stable order and formatting, so curated edits review as a diff (``export_dataset``)."""

from pathlib import Path

import yaml
from django.db.models import Prefetch

from positions import models
from positions.dataset.fixtures import FILES, originals
from positions.partial_dates import unparse_partial_date

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
    return None if claim.status == models.Status.PUBLISHED else claim.status


def _slugs(related, key=lambda o: (getattr(o, "order", 0), o.slug)):
    return [o.slug for o in sorted(related, key=key)]


def export_records():
    """Every curated record in the fixture format, in a stable order. Returns {kind: [records]}.

    Claims are the originals: a pending proposed change is not exported, nor linked to. The
    evidence field is derived from the citations and links, so it is not exported either.
    """
    answers = Prefetch("answers", queryset=originals(models.Demand))
    replies_to = Prefetch("replies_to", queryset=originals(models.Response))
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
        for s in models.Source.objects.order_by("file_name", "slug")
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
        for a in models.Actor.objects.select_related("affiliation").order_by("order", "slug")
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
        for i in models.Issue.objects.select_related("parent").order_by("order", "slug")
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
        for r in models.TalkRound.objects.prefetch_related(
            "participants", models.CITATIONS
        ).order_by("order")
    ]
    claim_order = (models.ROUND_ORDER, "slug")
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
        for d in originals(models.Demand)
        .select_related("actor", "talk_round")
        .prefetch_related("issues", models.CITATIONS)
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
        for r in originals(models.Response)
        .select_related("actor", "talk_round")
        .prefetch_related("issues", answers, replies_to, models.CITATIONS)
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
        for s in originals(models.Stance)
        .select_related("actor", "issue", "talk_round")
        .prefetch_related(models.CITATIONS)
        .order_by("issue__order", "issue__slug", "actor__order", "actor__slug", models.ROUND_ORDER)
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
    for source in models.Source.objects.only("file_name", "text"):
        path = seeds / source.file_name
        data = source.text.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            log(f"Wrote {path}")
    models.DatasetSync.objects.create(kind=models.DatasetSync.Kind.EXPORT, folder=str(fixtures))
    return records
