"""Cite onto what exists: from a passage selected on a source's page ("on an existing claim"),
the claims it most likely belongs to (those of the actor it names, or on the propositions it
is nearest to: positions/curation/suggest.py), and a search over every claim; each leads to the
claim's form with the passage filled in as a new citation. A published claim's form proposes the
change for review, as any edit of it does. Served inside the admin."""

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse

from positions import models
from positions.curation import suggest

SHOWN = 25
CITE = ("cite_source", "cite_quote", "cite_prefix", "cite_suffix")


def page(request):
    if not request.user.has_perm("positions.change_stance"):
        raise PermissionDenied
    source = models.Source.objects.filter(slug=request.GET.get("cite_source", "")).first()
    quote = request.GET.get("cite_quote", "").strip()
    q = request.GET.get("q", "").strip()[:200]
    cite = urlencode({k: request.GET[k] for k in CITE if request.GET.get(k)})
    stances = models.Stance.objects.exclude(status=models.Status.WITHDRAWN).filter(
        revision_of__isnull=True
    )
    stances = stances.select_related("actor", "issue", "talk_round").order_by(
        "issue__order", "actor__order", "pk"
    )
    actor, issues = None, []
    if quote:
        reader = suggest.Reader()
        actor, issues = reader.actor_in(quote), reader.nearest_issues(quote)
    if q:
        words = Q()
        for word in q.split()[:8]:
            words &= (
                Q(summary__icontains=word)
                | Q(actor__name__icontains=word)
                | Q(issue__title__icontains=word)
            )
        found = stances.filter(words)
    elif actor or issues:
        party = actor.affiliation_id or actor.pk if actor else None
        near = Q(issue__in=issues)
        if party:
            near |= Q(actor_id=party) | Q(actor__affiliation_id=party)
        found = stances.filter(near)
    else:
        found = stances.none()
    rows = [
        (stance, f"{reverse('admin:positions_stance_change', args=[stance.pk])}?{cite}")
        for stance in found[:SHOWN]
    ]
    context = {
        **admin.site.each_context(request),
        "title": "Add the passage to an existing claim",
        "source": source,
        "quote": quote,
        "q": q,
        "actor": actor,
        "issues": issues,
        "rows": rows,
        "more": max(0, found.count() - SHOWN) if rows else 0,
        "cite": request.GET,
        "new_url": f"{reverse('admin:positions_stance_add')}?{cite}",
    }
    return TemplateResponse(request, "admin/positions/cite_existing.html", context)
