"""The editors' review queue: everything awaiting review, with its quotes in their source context
and, for a proposed change, what it changes in the published claim; approve or send back.

Served inside the admin (``ParleyAdminSite``), so only signed-in staff reach it; the decisions
themselves are made by positions/curation/review.py, which refuses anyone without the publish permission.
"""

from dataclasses import dataclass, field

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from positions.curation import review
from positions.models import AWAITING_REVIEW, Citation, Source, Status

CONTEXT_CHARS = 160


@dataclass
class Passage:
    source: Source
    before: str
    quote: str
    after: str


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Item:
    claim: object
    kind: str
    admin_url: str
    submitted_by: str
    submitted_at: object
    passages: list
    changes: list = field(default_factory=list)
    removed_evidence: list = field(default_factory=list)
    added_evidence: list = field(default_factory=list)
    may_decide: bool = False

    @property
    def key(self):
        return f"{self.kind}-{self.claim.pk}"

    @property
    def facts(self):
        """The whole claim as the editor must judge it: [(label, text)], blanks said as such."""
        claim, said = self.claim, []

        def add(label, value):
            said.append((label, value if value not in (None, "") else "—"))

        add(
            "By",
            f"{claim.actor}"
            + (f" ({claim.actor.affiliation})" if claim.actor.affiliation_id else ""),
        )
        add("Round", claim.talk_round.title if claim.talk_round_id else "none: a standing position")
        if self.kind == "stance":
            add("Proposition", claim.issue.title)
            add("Stance", claim.get_code_display())
            add("Summary", claim.summary)
            add("Attribution", claim.get_attribution_display())
            add("Confidence", claim.get_confidence_display())
        else:
            add("Issues", "; ".join(issue.title for issue in claim.issues.all()))
            add("Text", claim.text)
            if self.kind == "demand":
                add("Binding", claim.get_bindingness_display())
                add("Outcome", claim.get_outcome_display())
            else:
                add("Kind", claim.get_kind_display())
                add("Answers", "; ".join(str(demand) for demand in claim.answers.all()))
        add("Note", claim.note)
        return said


def in_context(text, start, end):
    """The passage with up to CONTEXT_CHARS either side, cut at a word boundary."""
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS and " " in before:
        before = "…" + before[before.index(" ") + 1 :]
    if end + CONTEXT_CHARS < len(text) and " " in after:
        after = after[: after.rindex(" ")] + "…"
    return before, text[start:end], after


def display(claim, f):
    if f.is_relation:
        related = getattr(claim, f.name)
        return str(related) if related is not None else "—"
    if f.choices:
        return str(dict(f.flatchoices).get(getattr(claim, f.attname), ""))
    value = getattr(claim, f.attname)
    return str(value) if value not in (None, "") else "—"


def field_changes(revision, original):
    changes = []
    for f in review.content_fields(type(revision)):
        old, new = display(original, f), display(revision, f)
        if old != new:
            changes.append(FieldChange(str(f.verbose_name), old, new))
    return changes


def latest_authors(model, ids):
    """Who last saved each claim and when: one query."""
    latest = {}
    rows = model.history.filter(id__in=ids).select_related("history_user")
    for record in rows.order_by("id", "-history_date", "-history_id"):
        latest.setdefault(record.id, record)
    return latest


def items_for(model, statuses, user, sources):
    related = ["actor__affiliation", "talk_round", "revision_of__actor", "revision_of__talk_round"]
    links = []
    if model._meta.model_name == "stance":
        related += ["issue", "revision_of__issue"]
    else:
        links.append("issues")
    if model._meta.model_name == "response":
        links.append(
            Prefetch(
                "answers",
                queryset=model.answers.field.related_model.objects.select_related("actor"),
            )
        )
    claims = list(
        model.objects.filter(status__in=statuses)
        .select_related(*related)
        .prefetch_related(
            Prefetch("citations", queryset=Citation.objects.order_by("order", "pk")), *links
        )
        .order_by("pk")
    )
    authors = latest_authors(model, [c.pk for c in claims])
    name = model._meta.model_name
    may_decide = review.may_publish(user, model)
    items = []
    for claim in claims:
        record = authors.get(claim.pk)
        item = Item(
            claim=claim,
            kind=name,
            admin_url=reverse(f"admin:positions_{name}_change", args=[claim.pk]),
            submitted_by=str(record.history_user) if record and record.history_user else "",
            submitted_at=record.history_date if record else None,
            passages=[
                Passage(
                    sources[c.source_id], *in_context(sources[c.source_id].text, c.start, c.end)
                )
                for c in claim.citations.all()
            ],
            may_decide=may_decide,
        )
        if claim.revision_of_id:
            original = claim.revision_of
            item.changes = field_changes(claim, original)
            old, new = original.evidence.splitlines(), claim.evidence.splitlines()
            item.removed_evidence = [line for line in old if line not in new]
            item.added_evidence = [line for line in new if line not in old]
        items.append(item)
    return items


def queue(request):
    sources = Source.objects.in_bulk()
    awaiting, returned = [], []
    for model in review.CLAIMS:
        awaiting += items_for(model, AWAITING_REVIEW, request.user, sources)
        returned += items_for(model, [Status.RETURNED], request.user, sources)
    awaiting.sort(key=lambda i: i.submitted_at or 0, reverse=False)
    context = {
        **admin.site.each_context(request),
        "title": "Review queue",
        "awaiting": awaiting,
        "returned": returned,
    }
    return TemplateResponse(request, "admin/positions/review_queue.html", context)


DECISIONS = {"approve", "send-back"}


def refusal(exc):
    """Why a decision was not taken, for a message: a claim it would repeat is named and linked."""
    existing = getattr(exc, "existing", None)
    if existing is None:
        return str(exc)
    url = reverse(f"admin:positions_{existing._meta.model_name}_change", args=[existing.pk])
    return format_html("{} <a href='{}'>Open “{}”</a>.", str(exc), url, existing)


@require_POST
def decide(request, kind, pk, decision):
    model = {m._meta.model_name: m for m in review.CLAIMS}.get(kind)
    if model is None or decision not in DECISIONS:
        raise Http404("No such decision.")
    claim = model.objects.filter(pk=pk, status__in=[*AWAITING_REVIEW]).first()
    if claim is None:
        messages.warning(request, "That claim is no longer awaiting review.")
        return redirect("admin:review")
    if not review.may_publish(request.user, model):
        raise PermissionDenied(review.ONLY_EDITORS)
    label = str(claim)
    if request.POST.get("version", str(claim.version)) != str(claim.version):
        messages.warning(
            request,
            f"{label} was changed after you loaded the queue: nothing was decided. "
            "Read it again below.",
        )
        return redirect(f"{reverse('admin:review')}#{kind}-{pk}")
    version = claim.version  # the one the editor saw, as checked above: decided under a lock
    if decision == "approve":
        withdrawal = claim.proposes_withdrawal
        try:
            published = review.approve(claim, request.user, version)
        except ValueError as exc:
            messages.error(request, refusal(exc))
        else:
            if withdrawal:
                messages.success(request, f"Withdrawn: {label}. It is off the public site.")
                return redirect("admin:review")
            messages.success(
                request,
                f"Approved and published: {label}. It is now on the public site "
                f"({published.get_absolute_url()}).",
            )
    else:
        reason = request.POST.get("reason", "").strip()
        if not reason:
            messages.error(request, "Say why it is sent back, so the curator knows what to fix.")
            return redirect(f"{reverse('admin:review')}#{kind}-{pk}")
        try:
            review.send_back(claim, request.user, reason, version)
        except review.Stale as exc:
            messages.error(request, str(exc))
            return redirect("admin:review")
        messages.success(request, f"Sent back to the curator: {label}.")
    return redirect("admin:review")
