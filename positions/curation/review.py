"""The review workflow, and the guard that holds it on every route.

The rules:

- Only an editor (a user with the model's ``publish_*`` permission) publishes, approves, sends
  back or changes a published claim.
- A curator's change to a published claim does not touch it: it is saved as a *proposed change*,
  a draft copy that points at its original (``revision_of``). The published version stays on the
  public site until an editor approves the change, which applies it to the original in one
  recorded save, or sends it back with a reason.
- A curator's own claims are drafts; an edit to one sent back resubmits it for review.
- A published claim is never deleted by a curator: a curator proposes its withdrawal (with a
  reason), and an editor who approves it withdraws it. A withdrawn claim leaves the public site
  and stays in history. A curator may delete only a claim that was never published.
- Every status change is a recorded save (django-simple-history), never a bulk ``update()``, and a
  claim's citations and links are part of its history (``Claim.evidence``).

The admin applies these rules to give the curator the right outcome; the guard
(positions/curation/guard.py) refuses, whatever the route (form, inline, bulk action, history
revert, crafted POST, shell), a write by a signed-in user that breaks them. Management commands
run with no request and are trusted: they are run by whoever deploys the dataset.
"""

import threading
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import UniqueConstraint
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from simple_history.models import HistoricalRecords

from positions.models import AWAITING_REVIEW, Citation, Demand, Response, Stance, Status

CLAIMS = [Stance, Demand, Response]
LINKS = [Demand.issues, Response.issues, Response.answers, Response.replies_to]

_local = threading.local()

ONLY_EDITORS = "Only an editor may publish, approve or send back a claim."


# --------------------------------------------------------------------------- who is acting


def acting_user():
    """The user a write is made for: set by ``acting_as``, else the current request's user
    (simple-history's middleware keeps the request), else None for commands and the shell."""
    user = getattr(_local, "user", None)
    if user is not None:
        return user
    request = getattr(HistoricalRecords.context, "request", None)
    return getattr(request, "user", None)


@contextmanager
def acting_as(user):
    """Apply the rules for ``user`` to writes outside a request (tests, scripts)."""
    previous = getattr(_local, "user", None)
    _local.user = user
    try:
        yield
    finally:
        _local.user = previous


def publish_permission(model):
    return f"positions.publish_{model._meta.model_name}"


def may_publish(user, model):
    return user is not None and user.is_active and user.has_perm(publish_permission(model))


def restricted(model):
    """True when the acting user is signed in and may not publish this kind of claim."""
    user = acting_user()
    return user is not None and not may_publish(user, model)


def stored_status(claim):
    if claim.pk is None:
        return None
    manager = type(claim)._base_manager
    return manager.filter(pk=claim.pk).values_list("status", flat=True).first()


# --------------------------------------------------------------------------- evidence in history


def claim_of(citation):
    for name in ("stance", "demand", "response"):
        if getattr(citation, f"{name}_id"):
            return getattr(citation, name)
    return None


@contextmanager
def deferred_evidence():
    """Record each touched claim's evidence once, when the block ends, not once per row."""
    outer = getattr(_local, "pending", None) is None
    if outer:
        _local.pending = {}
    try:
        yield
    finally:
        if outer:
            pending, _local.pending = _local.pending, None
            for (model, pk), reason in pending.items():
                claim = model._base_manager.filter(pk=pk).first()
                if claim is not None:
                    claim.record_evidence(reason)


def evidence_touched(claim, reason):
    pending = getattr(_local, "pending", None)
    if pending is not None:
        pending.setdefault((type(claim), claim.pk), reason)
        return
    current = type(claim)._base_manager.filter(pk=claim.pk).first()
    if current is not None:  # not when the claim itself is being deleted with its citations
        current.record_evidence(reason)


def citation_saved(sender, instance, created, raw=False, **kwargs):
    claim = claim_of(instance)
    if claim is not None and not raw:
        evidence_touched(claim, "citation added" if created else "citation changed")


def citation_deleted(sender, instance, **kwargs):
    claim = claim_of(instance)
    if claim is not None:
        evidence_touched(claim, "citation removed")


def link_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:
        claims = model._base_manager.filter(pk__in=pk_set or []) if model in CLAIMS else []
    else:
        claims = [instance]
    for claim in claims:
        evidence_touched(claim, "links changed")


def through_row_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    for f in sender._meta.concrete_fields:
        if f.is_relation and f.related_model in CLAIMS:
            claim = f.related_model._base_manager.filter(pk=getattr(instance, f.attname)).first()
            if claim is not None:
                evidence_touched(claim, "links changed")
            return  # the first claim is the owner of the link (the response)


def connect():
    """Wire the rules to every route: the guard refuses, before it is written, what breaks them
    (positions/curation/guard.py), and a claim's citations and links are kept in its history."""
    from positions.curation import guard  # it reads this module's rules

    receivers = [
        *((pre_save, guard.guard_claim, model) for model in CLAIMS),
        *((pre_delete, guard.guard_claim_delete, model) for model in CLAIMS),
        (pre_save, guard.guard_citation, Citation),
        (pre_delete, guard.guard_citation, Citation),
        (post_save, citation_saved, Citation),
        (post_delete, citation_deleted, Citation),
    ]
    # A link table's own rows send no save or delete signal (Django's rule for auto-created
    # tables): the admin's link inlines ask guard_through_row and through_row_changed by hand.
    for through in (descriptor.through for descriptor in LINKS):
        receivers += [
            (m2m_changed, guard.guard_link, through),
            (m2m_changed, link_changed, through),
        ]
    for signal, receiver, sender in receivers:
        uid = f"review-{receiver.__name__}-{sender.__name__}"
        signal.connect(receiver, sender=sender, dispatch_uid=uid)


# --------------------------------------------------------------------------- the workflow


def awaiting_review(model):
    """Claims an editor has to act on: new drafts and proposed changes."""
    return model.objects.filter(status__in=AWAITING_REVIEW)


def pending_revision(claim):
    return type(claim)._base_manager.filter(revision_of_id=claim.pk).first()


def original_of_gone(model, pk):
    """The claim that a proposed change with this pk, now gone (approved, or deleted), changed;
    None if the pk is of a claim that exists, or was never a proposed change."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if model._base_manager.filter(pk=pk).exists():
        return None
    record = model.history.filter(id=pk, revision_of__isnull=False).first()
    return model._base_manager.filter(pk=record.revision_of_id).first() if record else None


def colliding(claim):
    """The other claim that ``claim``, saved as it is, would repeat under one of its model's
    unique constraints (the same actor, issue and round; the same slug), or None."""
    model = type(claim)
    for constraint in model._meta.constraints:
        if not isinstance(constraint, UniqueConstraint) or not constraint.fields:
            continue
        try:
            constraint.validate(model, claim)
        except ValidationError:
            values = {
                name: getattr(claim, model._meta.get_field(name).attname)
                for name in constraint.fields
            }
            rows = model._base_manager.filter(**values).exclude(pk=claim.pk)
            if constraint.condition is not None:
                rows = rows.filter(constraint.condition)
            existing = rows.order_by("pk").first()
            if existing is not None:
                return existing
    return None


class Collides(ValueError):
    """A decision would make a claim repeat another: nothing was done."""

    def __init__(self, claim, existing):
        self.existing = existing
        super().__init__(
            f"{claim} would repeat “{existing}”, which exists already: change one of them first."
        )


def mark(claim, user, status, reason):
    """One recorded save of a review decision."""
    if not may_publish(user, type(claim)):
        raise PermissionDenied(ONLY_EDITORS)
    claim.status = status
    claim.reviewed_by, claim.reviewed_at = user, timezone.now()
    claim.evidence = claim.compute_evidence()  # an object loaded earlier may hold stale evidence
    claim._change_reason = reason
    claim._history_user = user
    claim.save()


class Stale(ValueError):
    """What a user decided on was decided or changed by someone else meanwhile: nothing was done."""


def locked(claim, version=None, statuses=AWAITING_REVIEW, since=None):
    """``claim`` as it stands now, its row locked until the transaction ends (for a proposed
    change, its original's first: every decision on it locks in that order). Raises Stale when it
    is gone, is no longer in one of ``statuses``, is not at the ``version`` the user saw, or was
    saved after ``since`` (when the user loaded the list they decided from)."""
    rows = type(claim)._base_manager.select_for_update().order_by("pk")  # no join to lock
    if claim.revision_of_id:
        rows.filter(pk=claim.revision_of_id).first()
    current = rows.filter(pk=claim.pk).first()
    if current is None:
        raise Stale(f"{claim} was decided meanwhile: nothing was changed.")
    if current.status not in statuses:
        raise Stale(f"{claim} is {current.get_status_display()} now: nothing was changed.")
    if version is not None and current.version != version:
        raise Stale(f"{claim} was changed after you loaded it: nothing was decided.")
    if since is not None and changed_since(current, since):
        raise Stale(f"{claim} was changed after you loaded this list: nothing was decided.")
    return current


def changed_since(claim, since):
    latest = claim.history.values_list("history_date", flat=True).first()
    return latest is not None and latest > since


def approve(claim, user, version=None, since=None):
    """Publish a draft, or apply a proposed change to its original (which stays published), if
    it still awaits review at ``version`` (None: as it stands); one transaction, rows locked.

    Returns the published claim. Raises ValueError if there is nothing to publish (no citation),
    Stale if someone decided or changed it meanwhile.
    """
    with transaction.atomic():
        claim = locked(claim, version, since=since)
        if not claim.citations.exists():
            raise ValueError(f"{claim} has no citation: a claim is published with its evidence.")
        if claim.revision_of_id:
            return apply_revision(claim, user)
        claim.review_note = ""
        mark(claim, user, Status.PUBLISHED, "approved and published")
        return claim


def send_back(claim, user, reason, version=None, since=None):
    """Return a claim to its curator with the reason: one awaiting review, or a published one."""
    with transaction.atomic():
        claim = locked(claim, version, [*AWAITING_REVIEW, Status.PUBLISHED], since)
        claim.review_note = reason
        mark(claim, user, Status.RETURNED, f"sent back: {reason}" if reason else "sent back")
        return claim


def mark_reviewed(claim, user, since=None):
    if claim.revision_of_id:
        raise ValueError("A proposed change is approved or sent back, not marked reviewed.")
    with transaction.atomic():
        claim = locked(claim, since=since)
        mark(claim, user, Status.REVIEWED, "marked reviewed")
        return claim


# Fields the review owns; the rest of a proposed change is copied onto its original.
REVIEW_FIELDS = {
    "id",
    "status",
    "reviewed_by",
    "reviewed_at",
    "review_note",
    "revision_of",
    "withdrawal_reason",
    "version",
}


def content_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in REVIEW_FIELDS and f.name != "evidence"
    ]


def apply_revision(revision, user):
    """Copy a proposed change onto its original, in one transaction and one recorded save."""
    model = type(revision)
    if not may_publish(user, model):
        raise PermissionDenied(ONLY_EDITORS)
    with transaction.atomic(), deferred_evidence():
        original = model._base_manager.select_for_update().get(pk=revision.revision_of_id)
        for f in content_fields(model):
            setattr(original, f.attname, getattr(revision, f.attname))
        existing = colliding(original)
        if existing is not None:
            raise Collides(revision, existing)
        name = model._meta.model_name
        for citation in list(original.citations.all()):
            citation.delete()
        for citation in list(revision.citations.all()):
            setattr(citation, name, original)
            citation.save()
        for m2m in model._meta.many_to_many:
            getattr(original, m2m.name).set(getattr(revision, m2m.name).all())
        if model is Demand:
            original.responses.set(revision.responses.all())
        proposer = revision.history.order_by("history_date").first()
        by = proposer.history_user if proposer and proposer.history_user else None
        if revision.withdrawal_reason:
            reason = revision.withdrawal_reason
            revision.delete()
            return mark_withdrawn(
                original, user, reason, f"approved the withdrawal proposed by {by}"
            )
        revision.delete()
        original.evidence = original.compute_evidence()
        original.review_note = ""
        mark(
            original, user, Status.PUBLISHED, f"approved the change proposed by {by or 'a curator'}"
        )
    return original


def withdraw(claim, user, reason, since=None):
    """An editor takes a published claim off the public site; it stays in history."""
    if not reason.strip():
        raise ValueError("Say why the claim is withdrawn.")
    if claim.revision_of_id:
        raise ValueError("A proposed change is sent back, not withdrawn.")
    with transaction.atomic():
        claim = locked(claim, statuses=[Status.PUBLISHED], since=since)
        return mark_withdrawn(claim, user, reason)


def mark_withdrawn(claim, user, reason, why=None):
    reason = reason.strip()
    claim.withdrawal_reason = reason
    claim.review_note = ""
    mark(claim, user, Status.WITHDRAWN, why or f"withdrawn: {reason}")
    return claim


def propose_withdrawal(original, user, reason, since=None):
    """A curator asks an editor to withdraw a published claim: a pending proposed change that
    carries the reason. It replaces a pending change of content the same curator proposed, which
    withdrawal makes moot; never another curator's (Stale: an editor decides that one first)."""
    reason = reason.strip()
    if not reason:
        raise ValueError("Say why the claim should be withdrawn.")
    if original.status != Status.PUBLISHED or original.revision_of_id:
        raise ValueError(f"Only a published claim is withdrawn; {original} is not published.")
    with transaction.atomic():
        original = locked(original, statuses=[Status.PUBLISHED], since=since)
        pending = pending_revision(original)
        if pending is not None:
            first = pending.history.order_by("history_date").first()
            by = first.history_user if first else None
            if by != user or (since is not None and changed_since(pending, since)):
                raise Stale(
                    f"{original} has a change proposed by {by or 'someone else'} awaiting "
                    "review: an editor decides it first. Nothing was changed."
                )
        changed = type(original)._base_manager.get(pk=original.pk)
        return propose(original, user, changed, withdrawal_reason=reason)


def propose(original, user, changed, withdrawal_reason=""):
    """Save ``changed`` (an unsaved edit of a published ``original``, same pk) as the pending
    proposed change to it, creating it or replacing the one pending. Returns the revision, with
    the original's citations and links copied when it is new, so it is complete on its own."""
    existing = pending_revision(original)
    changed.pk = existing.pk if existing else None
    changed._state.adding = existing is None
    changed.version = existing.version if existing else 0  # counts the revision's own saves
    changed.revision_of_id = original.pk
    changed.status = Status.DRAFT
    changed.reviewed_by = changed.reviewed_at = None
    changed.review_note = ""
    changed.withdrawal_reason = withdrawal_reason
    changed._history_user = user
    changed._change_reason = (
        f"proposed withdrawing the published claim: {withdrawal_reason}"
        if withdrawal_reason
        else "proposed a change to the published claim"
    )
    with deferred_evidence():
        changed.save()
        if existing is None:
            copy_evidence(original, changed)
        amend_evidence(changed)
    return changed


def amend_evidence(claim):
    """Bring the claim's evidence up to date within the version just recorded for it, so that a
    save that changes fields and citations together is one version in history, not two."""
    evidence = claim.compute_evidence()
    if evidence == claim.evidence:
        return
    claim.evidence = evidence
    claim.skip_history_when_saving = True
    try:
        claim.save(update_fields=["evidence"])
    finally:
        del claim.skip_history_when_saving
    latest = claim.history.first()
    if latest is None:
        claim.record_evidence()
    else:
        latest.evidence = evidence
        latest.save(update_fields=["evidence"])


def copy_evidence(source_claim, target_claim):
    """Give ``target_claim`` copies of ``source_claim``'s citations and links."""
    name = type(source_claim)._meta.model_name
    for citation in source_claim.citations.all():
        citation.pk = None
        citation._state.adding = True
        setattr(citation, name, target_claim)
        citation.save()
    for m2m in type(source_claim)._meta.many_to_many:
        getattr(target_claim, m2m.name).set(getattr(source_claim, m2m.name).all())
    if isinstance(source_claim, Demand):
        target_claim.responses.set(source_claim.responses.all())
