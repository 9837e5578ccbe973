"""The guard that holds the review workflow (positions/curation/review.py) on every route: it
refuses, whatever writes (form, inline, bulk action, history revert, crafted POST, shell), a
write by a signed-in user that breaks the rules, before it is written. Who may publish is
review.may_publish, which the admin asks too. Management commands run with no request and are
trusted: they are run by whoever deploys the dataset."""

from django.core.exceptions import PermissionDenied

from positions.curation.review import CLAIMS, ONLY_EDITORS, claim_of, restricted, stored_status
from positions.models import Citation, Status

# --------------------------------------------------------------------------- the guard

PUBLISHED_IS_FIXED = (
    "This claim is published: a change to it is proposed for review, and the published "
    "version stays on the site until an editor approves the change."
)


def guard_claim(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not restricted(sender):
        return
    if update_fields is not None and set(update_fields) <= {"evidence"}:
        return  # the evidence text is derived from rows that are themselves guarded
    stored = stored_status(instance)
    if stored == Status.PUBLISHED:
        raise PermissionDenied(PUBLISHED_IS_FIXED)
    allowed = {Status.DRAFT} | ({Status.RETURNED} if stored == Status.RETURNED else set())
    if instance.status not in allowed:
        raise PermissionDenied(ONLY_EDITORS)


NEVER_DELETED = (
    "A claim that was ever published is not deleted by a curator: propose its withdrawal, and "
    "an editor withdraws it (it leaves the public site and stays in history)."
)


def was_published(claim):
    """True if the claim is or ever was public (its history says so)."""
    if stored_status(claim) in (Status.PUBLISHED, Status.WITHDRAWN):
        return True
    return claim.history.filter(status__in=[Status.PUBLISHED, Status.WITHDRAWN]).exists()


def guard_claim_delete(sender, instance, **kwargs):
    if restricted(sender) and not instance.revision_of_id and was_published(instance):
        raise PermissionDenied(NEVER_DELETED)


def guard_citation(sender, instance, raw=False, **kwargs):
    if raw:
        return
    targets = [claim_of(instance)]
    if instance.pk:
        stored = Citation.objects.filter(pk=instance.pk).first()
        targets.append(stored and claim_of(stored))
    for claim in targets:
        if claim is not None and restricted(type(claim)) and stored_status(claim) == "published":
            raise PermissionDenied(PUBLISHED_IS_FIXED)


def guard_link(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A link between claims (a response answering a demand...) or to an issue may change only
    while one of its claims is unpublished: it becomes public when an editor publishes that one."""
    if not action.startswith("pre_"):
        return
    if reverse:
        claims = list(model._base_manager.filter(pk__in=pk_set or []))
        others = [instance] if isinstance(instance, tuple(CLAIMS)) else []
    else:
        claims = [instance]
        others = list(model._base_manager.filter(pk__in=pk_set or [])) if model in CLAIMS else []
    guard_pairs(claims, others)


def guard_through_row(sender, instance, raw=False, **kwargs):
    """Inline forms (answers under a demand) save the link rows themselves."""
    if raw:
        return
    linked = [
        getattr(instance, f.name)
        for f in sender._meta.concrete_fields
        if f.is_relation and f.related_model in CLAIMS
    ]
    guard_pairs(linked[:1], linked[1:])


def guard_pairs(claims, others):
    for claim in claims:
        if not restricted(type(claim)) or stored_status(claim) != Status.PUBLISHED:
            continue
        if not others or all(stored_status(o) == Status.PUBLISHED for o in others):
            raise PermissionDenied(PUBLISHED_IS_FIXED)
