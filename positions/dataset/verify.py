"""Re-verify the database: every citation against its source, every claim cited, and the
codebook's rules across claims (``check_citations``)."""

from django.db.models import Prefetch

from positions import citations, models, readings

# --------------------------------------------------------------------------- verifying


def verify_citations():
    """Re-verify every citation and claim in the database. Returns a list of failure strings."""
    failures = []
    sources = {s.pk: s for s in models.Source.objects.all()}
    for source in sources.values():
        if citations.sha256_text(source.text) != source.sha256:
            failures.append(f"source {source.slug}: its text no longer matches its SHA-256")
    normalised = {pk: citations.normalise_with_offsets(s.text) for pk, s in sources.items()}
    for citation in models.Citation.objects.order_by("pk").iterator():
        source = sources[citation.source_id]
        label = f"citation {citation.pk} ({source.slug} [{citation.start}:{citation.end}])"
        if not citations.verify(source.text, citation.quote, citation.start, citation.end):
            failures.append(f"{label}: the text at its offsets is not the quote")
            continue
        try:
            found = citations.anchor(
                source.text, citation.quote, citation.prefix, citation.suffix, normalised[source.pk]
            )
        except citations.AnchorError as exc:
            failures.append(f"{label}: {exc}")
            continue
        if (found.start, found.end) != (citation.start, citation.end):
            failures.append(f"{label}: the quote now anchors at [{found.start}:{found.end}]")
    for model in (models.Stance, models.Demand, models.Response):
        uncited = model.objects.published().filter(citations__isnull=True)
        for claim in uncited:
            failures.append(
                f"{model._meta.verbose_name} {claim.pk} ({claim}): published without a citation"
            )
    uncited_rounds = models.TalkRound.objects.filter(citations__isnull=True)
    failures.extend(f"round {r.slug}: no citation" for r in uncited_rounds)
    failures.extend(f"{f.kind} {f.key}: {f.message}" for f in published_readings_findings())
    return failures


def published_readings_findings():
    """The codebook's rules across claims (positions/readings.py), on the published data."""
    stances = (
        models.Stance.objects.published()
        .select_related("actor", "issue", "talk_round")
        .prefetch_related(
            Prefetch(
                "citations",
                models.Citation.objects.select_related("source").only(
                    "stance_id", "start", "end", "source__slug"
                ),
            )
        )
    )
    actors = list(models.Actor.objects.all())
    by_pk = {actor.pk: actor for actor in actors}
    facts = [
        readings.StanceFacts(
            key=f"{s.pk} ({s})",
            actor=s.actor.slug,
            party=by_pk[s.actor.affiliation_id or s.actor_id].slug,
            issue=s.issue.slug,
            round=s.talk_round.slug if s.talk_round_id else None,
            code=s.code,
            attribution=s.attribution,
            spans=[readings.Span(c.source.slug, c.start, c.end) for c in s.citations.all()],
        )
        for s in stances
    ]
    claimed = set()
    for model in (models.Stance, models.Demand, models.Response):
        for actor_id in model.objects.published().values_list("actor_id", flat=True).distinct():
            actor = by_pk[actor_id]
            claimed.add(by_pk[actor.affiliation_id].slug if actor.affiliation_id else actor.slug)
    participants = set(
        models.TalkRound.participants.through.objects.values_list("actor__slug", flat=True)
    )
    return readings.check(
        facts,
        [readings.IssueFacts(i.slug, i.slug, i.title) for i in models.Issue.objects.all()],
        [
            readings.ActorFacts(
                a.slug,
                a.slug,
                a.name,
                a.kind in models.PARTY_KINDS,
                readings.split_aliases(a.aliases),
            )
            for a in actors
        ],
        claimed,
        participants,
    )


# --------------------------------------------------------------------------- exporting
