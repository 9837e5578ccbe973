"""The read side: what each page shows, as plain data, with a fixed number of queries."""

from django.db.models import Count, Q

from positions.models import (
    Actor,
    Citation,
    Demand,
    Issue,
    Response,
    Source,
    Stance,
    Status,
    TalkRound,
)


def overview():
    """The dataset at a glance: sources, rounds and how much is recorded."""
    published = Q(status=Status.PUBLISHED)
    return {
        "sources": list(Source.objects.annotate(n_citations=Count("citations")).order_by("slug")),
        "rounds": list(TalkRound.objects.order_by("order")),
        "counts": {
            "actors": Actor.objects.count(),
            "issues": Issue.objects.count(),
            "stances": Stance.objects.filter(published).count(),
            "demands": Demand.objects.filter(published).count(),
            "responses": Response.objects.filter(published).count(),
            "citations": Citation.objects.count(),
        },
    }
