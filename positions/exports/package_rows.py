"""The rows of the data package's tables (positions/exports/package_tables.py): one query a
table, from a ``published()`` queryset, as dicts keyed by field name, in a total order."""

from django.urls import reverse

from positions import models
from positions.paths import page_path
from positions.site import comparison
from positions.stance_rule import reading


def absolute_url(absolute, name, *args):
    return absolute(reverse(f"positions:{name}", args=args))


def source_rows(absolute):
    for s in models.Source.objects.public().defer("text").order_by("slug"):
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
    for a in models.Actor.objects.public().select_related("affiliation").order_by("order", "slug"):
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
    issues = list(models.Issue.objects.public().select_related("parent").order_by("order", "slug"))
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
    for r in models.TalkRound.objects.public().order_by("order"):
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
    links = models.TalkRound.participants.through.objects.filter(
        talkround__public=True, actor__public=True
    ).values_list("talkround__slug", "actor__slug")
    for round_slug, actor_slug in links.order_by("talkround__order", "actor__order", "actor__slug"):
        yield {"round": round_slug, "actor": actor_slug}


STANCE_VALUES = (
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


def stance_row(s, absolute):
    """One stance as a flat row (``STANCE_VALUES`` of it): the package's stances.csv, and the
    API's stance rows."""
    meaning = reading(s["code"], s["attribution"], s["actor__slug"], s["actor__affiliation__slug"])
    return {
        "id": s["pk"],
        "actor": s["actor__slug"],
        "party": s["actor__affiliation__slug"] or s["actor__slug"],
        "issue": s["issue__slug"],
        "round": s["talk_round__slug"],
        "stance": s["code"],
        "stance_label": models.StanceCode(s["code"]).label,
        "direction": meaning["direction"],
        "emphatic": meaning["emphatic"],
        "summary": s["summary"],
        "attribution": s["attribution"],
        "analysis": meaning["analysis"],
        "position": meaning["position"],
        "counts_for": meaning["counts_for"],
        "confidence": s["confidence"],
        "note": s["note"],
        "permalink": absolute(page_path("positions:stance", s["pk"])),
    }


def stance_rows(absolute):
    stances = (
        models.Stance.objects.published()
        .values(*STANCE_VALUES)
        .order_by(
            "issue__order", "issue__slug", "actor__order", "actor__slug", models.ROUND_ORDER, "pk"
        )
    )
    for s in stances:
        yield stance_row(s, absolute)


def claim_rows(model, absolute, *fields):
    """A published demand or response a row: who, at which round, its ``fields``, the note."""
    claims = model.objects.published().select_related("actor", "talk_round")
    for claim in claims.order_by(models.ROUND_ORDER, "slug"):
        yield {
            "slug": claim.slug,
            "actor": claim.actor.slug,
            "round": claim.talk_round.slug if claim.talk_round_id else None,
            **{name: getattr(claim, name) for name in fields},
            "note": claim.note,
            "permalink": absolute(claim.get_absolute_url()),
        }


def demand_rows(absolute):
    return claim_rows(models.Demand, absolute, "text", "bindingness", "outcome")


def response_rows(absolute):
    return claim_rows(models.Response, absolute, "kind", "text")


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
