"""The API's querysets: published data only, with everything its serializers show loaded in a
fixed number of queries (one per prefetch), whatever the page size."""

from django.db.models import Count, Prefetch

from positions import models


def links(model, *fields, via=None):
    """The rows a list of links needs, for a prefetch, in a stable order: public ones only (a
    round, actor or issue a curator added is not, until reviewed). A reverse foreign key
    (``via``) must be loaded too, or matching the rows to their owners costs a query each."""
    rows = model.objects.only("pk", *fields, *([via] if via else [])).order_by(*fields)
    return rows.public() if hasattr(rows, "public") else rows


def published_links(model, *fields):
    return model.objects.published().only("pk", *fields).order_by(*fields)


CLAIM_LINKS = ("actor__affiliation", "talk_round")


def stances():
    """Published stances in the API's order: positions/api/records.py reads the values it shows
    (and their citations) from it."""
    return models.Stance.objects.published().order_by(
        "issue__order", "actor__order", models.ROUND_ORDER, "pk"
    )


def demands():
    return (
        models.Demand.objects.published()
        .select_related(*CLAIM_LINKS)
        .prefetch_related(
            Prefetch("issues", queryset=links(models.Issue, "slug", "title")),
            Prefetch("responses", queryset=published_links(models.Response, "slug", "kind")),
            models.CITATIONS,
        )
        .order_by(models.ROUND_ORDER, "slug")
    )


def responses():
    return (
        models.Response.objects.published()
        .select_related(*CLAIM_LINKS)
        .prefetch_related(
            Prefetch("issues", queryset=links(models.Issue, "slug", "title")),
            Prefetch("answers", queryset=published_links(models.Demand, "slug")),
            Prefetch("replies_to", queryset=published_links(models.Response, "slug", "kind")),
            Prefetch("replies", queryset=published_links(models.Response, "slug", "kind")),
            models.CITATIONS,
        )
        .order_by(models.ROUND_ORDER, "slug")
    )


def citations():
    """Published citations (of published claims, and of rounds), in reading order."""
    return (
        models.Citation.objects.published()
        .select_related("source", "stance", "demand", "response", "talk_round")
        .only(
            *("quote", "prefix", "suffix", "start", "end", "order"),
            *("source__slug", "source__title", "talk_round__slug", "talk_round__title"),
            *("stance__id", "demand__slug", "response__slug", "response__kind"),
        )
        .order_by("source__slug", "start", "end", "pk")
    )


def sources(with_text=False):
    """Sources with the number of their citations the public may see."""
    counted = (
        models.Source.objects.public()
        .annotate(n_citations=Count("citations", filter=models.published_citation("citations__")))
        .order_by("slug")
    )
    return counted if with_text else counted.defer("text")


def actors():
    return (
        models.Actor.objects.public()
        .select_related("affiliation")
        .prefetch_related(
            Prefetch(
                "members", queryset=links(models.Actor, "order", "name", "slug", via="affiliation")
            )
        )
        .order_by("order", "name")
    )


def issues():
    return (
        models.Issue.objects.public()
        .select_related("parent")
        .prefetch_related(
            Prefetch(
                "children", queryset=links(models.Issue, "order", "title", "slug", via="parent")
            )
        )
        .order_by("order", "title")
    )


def rounds():
    return (
        models.TalkRound.objects.public()
        .prefetch_related(
            Prefetch("participants", queryset=links(models.Actor, "order", "name", "slug")),
            models.CITATIONS,
        )
        .order_by("order")
    )
