"""What publishing a claim publishes with it. The rule (``models.Curated.public``): a round,
source, actor or issue a curator adds is not public until an editor publishes it, or approves a
claim that uses it. So whatever route publishes a claim (the review queue, a bulk action, an
editor's form, a history revert), the claim's round, actor (and its party), issues (and their
parents) and the sources it quotes become public with it, and a citation added to a published
claim (or to a public round) makes its source public. The loader's records are public already."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save

from positions import models, search_index

Kind = models.SearchEntry.Kind


def references(claim):
    """{model: ids} of what a claim shows the public besides itself."""
    actor = claim.actor
    issues = [claim.issue] if isinstance(claim, models.Stance) else list(claim.issues.all())
    return {
        models.Actor: {actor.pk, actor.affiliation_id},
        models.Issue: {i.pk for i in issues} | {i.parent_id for i in issues},
        models.TalkRound: {claim.talk_round_id},
        models.Source: set(claim.citations.values_list("source_id", flat=True)),
    }


INDEXED = {models.Actor: Kind.ACTOR, models.Issue: Kind.ISSUE, models.TalkRound: Kind.ROUND}


def make_public(found):
    """Make public what ``found`` ({model: ids}) names and is not yet; search finds it then."""
    for model, ids in found.items():
        hidden = model.objects.filter(pk__in=ids - {None}, public=False)
        made = list(hidden.values_list("pk", flat=True))
        if made:
            model.objects.filter(pk__in=made).update(public=True)
            if model in INDEXED:
                search_index.refresh({INDEXED[model]: made})
            transaction.on_commit(models.DatasetVersion.bump)  # cached pages show it


def claim_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.status == models.Status.PUBLISHED and not instance.revision_of_id:
        make_public(references(instance))


def citation_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    owner = instance.target
    public_claim = getattr(owner, "status", None) == models.Status.PUBLISHED
    if public_claim or (isinstance(owner, models.TalkRound) and owner.public):
        make_public({models.Source: {instance.source_id}})


def issues_linked(sender, instance, action, **kwargs):
    if action == "post_add" and isinstance(instance, (models.Demand, models.Response)):
        claim_saved(type(instance), instance)


def connect():
    for model in (models.Stance, models.Demand, models.Response):
        post_save.connect(
            claim_saved, sender=model, dispatch_uid=f"parley-publish-{model.__name__}"
        )
    post_save.connect(
        citation_saved, sender=models.Citation, dispatch_uid="parley-publish-citation"
    )
    for through in (models.Demand.issues.through, models.Response.issues.through):
        m2m_changed.connect(
            issues_linked, sender=through, dispatch_uid=f"parley-publish-{through.__name__}"
        )
