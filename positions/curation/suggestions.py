"""The curators' page of a source's suggested claims (positions/curation/suggest.py): each
suggestion with its passage, likely actor, propositions, kind and code; "Accept" opens the add
form of its kind filled in (a draft like any other, reviewed like any other), "Dismiss" puts it
away for good (models.DismissedSuggestion). Served inside the admin."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from positions import models
from positions.curation import suggest

SHOWN = 30


@dataclass
class Shown:
    suggestion: suggest.Suggestion
    actor: object
    issues: list
    talk_round: object
    accept_url: str


def accept_url(source, item, actor, issues, talk_round):
    """The add form of the suggestion's kind, filled in: the passage as its citation (the
    select-to-cite parameters) and the suggested fields as initial values."""
    params = {"cite_source": source.slug, "cite_quote": item.quote}
    if actor:
        params["actor"] = actor.pk
    if talk_round:
        params["talk_round"] = talk_round.pk
    if item.kind == "stance":
        if issues:
            params["issue"] = issues[0].pk
        params["code"] = item.code
    else:
        params["text"] = item.quote
        params["issues"] = ",".join(str(issue.pk) for issue in issues[:1])
        if item.kind == "response" and item.code:
            params["kind"] = item.code
    return f"{reverse(f'admin:positions_{item.kind}_add')}?{urlencode(params)}"


def may_suggest(user):
    return any(user.has_perm(f"positions.add_{kind}") for kind in ("stance", "demand", "response"))


def page(request, slug):
    if not may_suggest(request.user):
        raise PermissionDenied
    source = get_object_or_404(models.Source, slug=slug)
    if request.method == "POST":
        return dismiss(request, source)
    dismissed = set(source.dismissed.values_list("start", "end"))
    found = [s for s in suggest.suggest(source) if (s.start, s.end) not in dismissed][:SHOWN]
    actors = models.Actor.objects.in_bulk([s.actor for s in found if s.actor], field_name="slug")
    slugs = {slug for s in found for slug in s.propositions}
    issues = models.Issue.objects.in_bulk(list(slugs), field_name="slug")
    rounds = models.TalkRound.objects.in_bulk(
        [s.round for s in found if s.round], field_name="slug"
    )
    shown = []
    for item in found:
        actor, talk_round = actors.get(item.actor), rounds.get(item.round)
        about = [issues[slug] for slug in item.propositions if slug in issues]
        shown.append(
            Shown(
                item, actor, about, talk_round, accept_url(source, item, actor, about, talk_round)
            )
        )
    context = {
        **admin.site.each_context(request),
        "title": f"Suggested claims: {source.title}",
        "source": source,
        "shown": shown,
        "dismissed": len(dismissed),
    }
    return TemplateResponse(request, "admin/positions/suggestions.html", context)


def dismiss(request, source):
    try:
        start, end = int(request.POST["start"]), int(request.POST["end"])
    except (KeyError, ValueError):
        messages.error(request, "That suggestion could not be dismissed: it names no passage.")
        return redirect("admin:suggestions", source.slug)
    if not (0 <= start < end <= len(source.text)):
        messages.error(request, "That passage is not in this source.")
        return redirect("admin:suggestions", source.slug)
    models.DismissedSuggestion.objects.get_or_create(
        source=source, start=start, end=end, defaults={"dismissed_by": request.user}
    )
    messages.success(request, "Dismissed: it will not be suggested again.")
    return redirect("admin:suggestions", source.slug)
