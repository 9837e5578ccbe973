"""The negotiation domain: sources, actors, issues, talk rounds, and the claims that cite them.

A *claim* is a stance, a demand or a response (a counterproposal, rejection, threat...). Each
claim is the curator's reading; its citations are the facts: verbatim passages of a source.
Revising a reading never touches a quote.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from positions import citations, stance_rule
from positions.partial_dates import DatePrecision, format_partial_date, partial_date_constraints
from positions.paths import page_path
from positions.stance_rule import (  # noqa: F401  (the vocabulary, re-exported for the app)
    ANALYST_ATTRIBUTIONS,
    DIRECTION,
    EMPHATIC,
    Attribution,
    Direction,
    StanceCode,
    direction,
    is_emphatic,
)
from positions.validators import VisibleText

# --------------------------------------------------------------------------- one-level nesting
# An official is affiliated with a party, a sub-issue belongs to a top-level issue: never to
# itself, never two levels deep. Written once for both, for the model and for the loader.

NESTING = {
    "affiliation": (
        "An actor cannot be affiliated with itself.",
        "Affiliate with a party (a state, alliance or organisation), not an official.",
    ),
    "parent": (
        "An issue cannot be its own parent.",
        "Issues nest one level deep: pick a top-level issue.",
    ),
}


def nesting_problem(field_name, own_key, target_key, target_is_nested):
    """What is wrong with pointing ``field_name`` at the target (by any key), or None."""
    if target_key is None:
        return None
    itself, too_deep = NESTING[field_name]
    if target_key == own_key:
        return itself
    return too_deep if target_is_nested else None


def not_itself(field_name, name):
    """The database's half of the rule: a row never points at itself."""
    return models.CheckConstraint(
        condition=~Q(**{field_name: models.F("id")}),
        name=name,
        violation_error_message=NESTING[field_name][0],
    )


def clean_nesting(obj, field_name):
    target = getattr(obj, field_name)
    problem = nesting_problem(
        field_name,
        obj.pk,
        getattr(obj, f"{field_name}_id"),
        target is not None and getattr(target, f"{field_name}_id") is not None,
    )
    if problem:
        raise ValidationError({field_name: problem})


class CuratedQuerySet(models.QuerySet):
    def public(self):
        """What the public may see of the reference data (rounds, sources, actors, issues): every
        route that shows them uses this. See ``Curated.public``."""
        return self.filter(public=True)


class SlugManager(models.Manager.from_queryset(CuratedQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Versioned(models.Model):
    """Optimistic locking: every recorded save bumps ``version``, and an admin form saved from an
    older version gets the conflict page (positions/curation/locking.py). A save of the derived
    ``evidence`` alone is not a new version."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or not set(update_fields) <= {"evidence"}:
            # Versions only grow: a history revert brings back an old version number, which a
            # form opened before the revert must not match.
            stored = 0
            if self.pk:  # a reverted version is built afresh, with its old pk and version
                rows = type(self)._base_manager.filter(pk=self.pk)
                stored = rows.values_list("version", flat=True).first() or 0
            self.version = max(self.version or 0, stored) + 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


class Curated(VisibleText, Versioned, models.Model):
    """Reference data identified by a slug: fixtures and URLs never depend on primary keys."""

    slug = models.SlugField(max_length=120, unique=True)
    # The rule (README, "Who may do what"; /about/): a round, source, actor or issue a curator
    # adds in the admin is not public until an editor publishes it, or approves a claim that
    # uses it (positions/curation/review.py). The curated fixtures' are public.
    public = models.BooleanField(
        default=True,
        help_text="On the public site. A curator's new record is not, until an editor publishes "
        "it or approves a claim that uses it.",
    )

    objects = SlugManager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.slug,)


# --------------------------------------------------------------------------- sources


class SourceKind(models.TextChoices):
    NEWS_ANALYSIS = "news_analysis", "news analysis"
    OPINION = "opinion", "opinion / commentary"
    INTERVIEW = "interview", "interview"
    NEWS_REPORT = "news_report", "news report"
    OFFICIAL_DOCUMENT = "official_document", "official document"
    TRANSCRIPT = "transcript", "transcript (press conference, briefing, interview record)"


CITED_TEXT_FIXED = (
    "This source is cited, so its text is fixed: changing it would move every quote's offsets. "
    "Add the new text as a new source."
)


class CitedTextChanged(PermissionError):
    """Refused: a write that would change the text of a cited source."""


class Source(Curated):
    title = models.CharField(max_length=300)
    author = models.CharField(
        max_length=200, blank=True, help_text="Blank when the article names no author."
    )
    publisher = models.CharField(
        max_length=200, blank=True, help_text="Who published this copy; blank when unknown."
    )
    original_publisher = models.CharField(
        max_length=200, blank=True, help_text="Who first published it, when the article says."
    )
    published_on = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=10, choices=DatePrecision, default=DatePrecision.UNKNOWN
    )
    url = models.URLField(max_length=500, blank=True)
    kind = models.CharField(max_length=30, choices=SourceKind)
    metadata_note = models.TextField(
        blank=True, help_text="What the article does and does not say about itself."
    )
    file_name = models.CharField(max_length=200, help_text="The verbatim text, in seeds/.")
    text = models.TextField(help_text="The article, verbatim.")
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["slug"]
        constraints = [
            partial_date_constraints("published_on", "date_precision", "source_date_precision"),
            models.UniqueConstraint(fields=["file_name"], name="source_unique_file"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """The hash always follows the text; a cited source's text never changes, by any route."""
        self.sha256 = citations.sha256_text(self.text)
        if self.pk and self.text_changed() and self.is_cited():
            raise CitedTextChanged(f"{self.slug}: {CITED_TEXT_FIXED}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return page_path("positions:source", self.slug)

    @property
    def published_display(self):
        return format_partial_date(self.published_on, self.date_precision)

    def clean(self):
        errors = {}
        if (self.date_precision == DatePrecision.UNKNOWN) != (self.published_on is None):
            errors["date_precision"] = (
                "Give a date with its precision (day, month or year), or neither: "
                "a blank date has the precision “unknown”."
            )
        if self.pk and self.text_changed() and self.is_cited():
            # Not tied to the text field: a cited source's form does not show it.
            errors[NON_FIELD_ERRORS] = CITED_TEXT_FIXED
        if errors:
            raise ValidationError(errors)

    def text_changed(self):
        stored = Source.objects.filter(pk=self.pk).values_list("text", flat=True).first()
        return stored is not None and stored != self.text

    def is_cited(self):
        return Citation.objects.filter(source_id=self.pk).exists()


# --------------------------------------------------------------------------- actors


class ActorKind(models.TextChoices):
    STATE = "state", "state"
    ALLIANCE = "alliance", "alliance"
    ORGANISATION = "organisation", "international organisation"
    GOVERNMENT_BODY = "government_body", "government body"
    OFFICIAL = "official", "official"
    ANALYST = "analyst", "analyst / commentator"


PARTY_KINDS = [ActorKind.STATE, ActorKind.ALLIANCE, ActorKind.ORGANISATION]


class ActorQuerySet(CuratedQuerySet):
    def parties(self):
        return self.filter(kind__in=PARTY_KINDS)

    def analysts(self):
        return self.filter(kind=ActorKind.ANALYST)

    def speaking_for(self, actor):
        """The actor and, for a party, the officials and bodies that speak for it."""
        return self.filter(Q(pk=actor.pk) | Q(affiliation=actor))

    def with_positions(self):
        """Parties with a published position, their own or an official's: the ones a comparison
        of parties can offer (a party with none would compare as empty)."""
        positions = Stance.objects.published().positions()
        return self.parties().filter(
            Q(pk__in=positions.values("actor_id"))
            | Q(pk__in=positions.values("actor__affiliation_id"))
        )


class ActorManager(SlugManager.from_queryset(ActorQuerySet)):
    pass


class Actor(Curated):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ActorKind)
    role = models.CharField(
        max_length=200, blank=True, help_text="As the sources give it, e.g. 'Foreign Minister'."
    )
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text="The party an official or body speaks for; its statements roll up to it.",
    )
    aliases = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other words the sources use for this actor, comma-separated (“Russian, "
        "Moscow”): a proposition naming two parties' actions is found by them.",
    )
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=100)

    objects = ActorManager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [not_itself("affiliation", "actor_not_own_affiliation")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_path("positions:actor", self.slug)

    @property
    def party(self):
        """The actor whose column this actor's claims roll up to."""
        return self.affiliation or self

    def clean(self):
        clean_nesting(self, "affiliation")


# --------------------------------------------------------------------------- issues


class IssueQuerySet(CuratedQuerySet):
    def within(self, issue):
        """The issue and its sub-issues: what a page or filter on an issue covers."""
        return self.filter(Q(pk=issue.pk) | Q(parent=issue))


class IssueManager(SlugManager.from_queryset(IssueQuerySet)):
    pass


class Issue(Curated):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveSmallIntegerField(default=100)

    objects = IssueManager()

    class Meta:
        ordering = ["order", "title"]
        constraints = [not_itself("parent", "issue_not_own_parent")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return page_path("positions:issue", self.slug)

    def clean(self):
        clean_nesting(self, "parent")


# --------------------------------------------------------------------------- rounds


class RoundFormat(models.TextChoices):
    BILATERAL = "bilateral", "bilateral talks"
    NATO_RUSSIA_COUNCIL = "nato_russia_council", "NATO-Russia Council"
    OSCE = "osce", "OSCE"
    MINISTERIAL = "ministerial", "ministerial meeting"
    SUMMIT = "summit", "summit"
    WRITTEN_PROPOSAL = "written_proposal", "written proposal"


class TalkRound(Curated):
    title = models.CharField(max_length=200)
    format = models.CharField(max_length=30, choices=RoundFormat)
    city = models.CharField(max_length=100, blank=True, help_text="Blank when no source says.")
    venue = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=10, choices=DatePrecision, default=DatePrecision.UNKNOWN
    )
    date_note = models.CharField(
        max_length=300, blank=True, help_text="What the sources say about when it took place."
    )
    participants = models.ManyToManyField(Actor, blank=True, related_name="rounds")
    outcome = models.TextField(blank=True, help_text="The outcome the sources report.")
    order = models.PositiveSmallIntegerField(help_text="Position in the sequence of talks.")

    objects = SlugManager()

    class Meta:
        ordering = ["order"]
        constraints = [
            partial_date_constraints("start_date", "date_precision", "round_date_precision"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="round_dates_in_order",
                violation_error_message="A round cannot end before it starts.",
            ),
            models.UniqueConstraint(fields=["order"], name="round_unique_order"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return page_path("positions:round", self.slug)

    @property
    def date_display(self):
        text = format_partial_date(self.start_date, self.date_precision)
        if self.end_date and self.end_date != self.start_date:
            text += f" – {format_partial_date(self.end_date, self.date_precision)}"
        return text

    def clean(self):
        errors = {}
        if self.end_date and not self.start_date:
            errors["end_date"] = "An end date needs a start date."
        elif self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "A round cannot end before it starts."
        if (self.date_precision == DatePrecision.UNKNOWN) != (self.start_date is None):
            errors["date_precision"] = "A date is given exactly when its precision is known."
        if errors:
            raise ValidationError(errors)


# --------------------------------------------------------------------------- claims


class Status(models.TextChoices):
    """Where a claim stands in review. Only a published claim is public; see positions/curation/review.py."""

    DRAFT = "draft", "draft: awaiting review"
    RETURNED = "returned", "sent back to the curator"
    REVIEWED = "reviewed", "reviewed"
    PUBLISHED = "published", "published"
    WITHDRAWN = "withdrawn", "withdrawn"


AWAITING_REVIEW = [Status.DRAFT, Status.REVIEWED]


class ClaimQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published claims. Every public page uses this."""
        return self.filter(status=Status.PUBLISHED)

    def by_party(self, *actors):
        """The actors' own claims and, for a party, those of the officials who speak for it."""
        return self.filter(Q(actor__in=actors) | Q(actor__affiliation__in=actors))

    def on_issue(self, issue):
        """Claims on the issue or one of its sub-issues (demands and responses by their links)."""
        linked = self.model._base_manager.filter(Q(issues=issue) | Q(issues__parent=issue)).values(
            "pk"
        )
        return self.filter(pk__in=linked)


class StanceQuerySet(ClaimQuerySet):
    def on_issue(self, issue):
        return self.filter(Q(issue=issue) | Q(issue__parent=issue))

    def positions(self):
        """A party's positions: not an analyst's reading, not a forecast (stance_rule.py)."""
        return self.filter(stance_rule.position_q())

    def not_positions(self):
        """Analysts' assessments and proposals, and forecasts: the comparison's second table."""
        return self.exclude(stance_rule.position_q())


def revision_never_public(name):
    return models.CheckConstraint(
        condition=Q(revision_of__isnull=True) | ~Q(status=Status.PUBLISHED),
        name=f"{name}_revision_never_public",
        violation_error_message="A proposed change is published by approving it, not by itself.",
    )


def slug_constraints(name):
    """A claim's slug is unique among claims; a proposed change shares its original's slug."""
    return [
        models.UniqueConstraint(
            fields=["slug"],
            condition=Q(revision_of__isnull=True),
            name=f"{name}_unique_slug",
            violation_error_message="This slug is taken.",
        ),
        models.UniqueConstraint(fields=["revision_of"], name=f"{name}_one_pending_revision"),
    ]


def evidence_text(links, cited):
    """A claim's evidence as history shows it: ``links`` as (label, sorted slugs), then each
    citation (source slug, quote, prefix, suffix) in order, one line each. The loader writes the
    same text without a query (positions/dataset/write.py)."""
    lines = [f"{label}: {', '.join(slugs)}" for label, slugs in links if slugs]
    for source, quote, prefix, suffix in cited:
        line = f"cites {source}: “{citations.normalise(quote)}”"
        if prefix:
            line += f" after “{citations.normalise(prefix)}”"
        if suffix:
            line += f" before “{citations.normalise(suffix)}”"
        lines.append(line)
    return "\n".join(lines)


# Claims tied to no round come first, on every database (PostgreSQL would put NULLs last).
ROUND_ORDER = models.F("talk_round__order").asc(nulls_first=True)


class Claim(VisibleText, Versioned, models.Model):
    """What stances, demands and responses share: who, where, a review status."""

    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="%(class)ss")
    talk_round = models.ForeignKey(
        TalkRound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        help_text="Blank when the sources tie the claim to no particular round.",
        verbose_name="round",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    note = models.TextField(blank=True, help_text="Curator's note: why this reading.")
    review_note = models.TextField(
        blank=True, editable=False, help_text="The editor's reason for sending it back."
    )
    revision_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
        editable=False,
        help_text="Set on a proposed change to a published claim, which stays live until an "
        "editor approves the change.",
    )
    withdrawal_reason = models.TextField(
        blank=True,
        editable=False,
        help_text="Why the claim was withdrawn; on a proposed change, it proposes withdrawing "
        "the original.",
    )
    # Derived, never typed: no form lists it. It is "editable" only because simple-history
    # diffs editable fields alone, and a claim's history must show its evidence change.
    evidence = models.TextField(
        blank=True,
        help_text="The claim's citations and links as text, kept so that history shows them.",
    )

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    @property
    def proposes_withdrawal(self):
        return bool(self.revision_of_id and self.withdrawal_reason)

    def compute_evidence(self):
        """The citations and links of this claim as stable text: one line each."""
        cited = self.citations.select_related("source").order_by("order", "start", "pk")
        return evidence_text(
            self.evidence_links(), ((c.source.slug, c.quote, c.prefix, c.suffix) for c in cited)
        )

    def evidence_links(self):
        return []

    def record_evidence(self, reason="evidence changed"):
        """Save a new version in history if the claim's citations or links changed."""
        evidence = self.compute_evidence()
        if evidence != self.evidence:
            self.evidence = evidence
            self._change_reason = reason
            self.save(update_fields=["evidence"])


# The stance vocabulary and what it means live in positions/stance_rule.py, the one stance rule.
class Confidence(models.TextChoices):
    HIGH = "high", "high"
    MEDIUM = "medium", "medium"
    LOW = "low", "low"


def attribution_problem(actor_kind, attribution):
    """An analyst's stance is their analysis or proposal, and only an analyst's is: a party's
    column only ever shows what the party said or did. For the model and for the loader."""
    is_analyst = actor_kind == ActorKind.ANALYST
    if attribution in ANALYST_ATTRIBUTIONS and not is_analyst:
        return (
            "Analysis and proposals belong to an analyst, not to a party: record what the actor "
            "said or did (on-record or reported), and put an author's analysis under the author."
        )
    if is_analyst and attribution not in ANALYST_ATTRIBUTIONS:
        return "An analyst's stance is their analysis or their proposal."
    return None


class Stance(Claim):
    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="stances")
    code = models.CharField(max_length=12, choices=StanceCode, verbose_name="stance")
    summary = models.CharField(max_length=300, help_text="One line: the position in plain words.")
    attribution = models.CharField(max_length=12, choices=Attribution)
    confidence = models.CharField(max_length=6, choices=Confidence, default=Confidence.HIGH)

    objects = StanceQuerySet.as_manager()

    class Meta:
        ordering = ["issue__order", "actor__order", ROUND_ORDER]
        permissions = [("publish_stance", "Can review and publish stances")]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "issue", "talk_round"],
                condition=Q(revision_of__isnull=True),
                name="stance_unique_actor_issue_round",
                violation_error_message="This actor already has a stance on this issue at this round.",
            ),
            models.UniqueConstraint(
                fields=["actor", "issue"],
                condition=Q(talk_round__isnull=True, revision_of__isnull=True),
                name="stance_unique_actor_issue_no_round",
                violation_error_message="This actor already has a stance on this issue outside any round.",
            ),
            models.UniqueConstraint(fields=["revision_of"], name="stance_one_pending_revision"),
            revision_never_public("stance"),
        ]

    def __str__(self):
        where = f" at {self.talk_round}" if self.talk_round_id else ""
        return f"{self.actor}: {self.get_code_display()} — {self.issue}{where}"

    def get_absolute_url(self):
        return page_path("positions:stance", self.pk)

    @property
    def direction(self):
        return direction(self.code)

    @property
    def emphatic(self):
        return is_emphatic(self.code)

    @property
    def css_class(self):
        return stance_rule.css_class(self.code)

    @property
    def is_position(self):
        """A party's position, not an analyst's reading or a forecast (positions/stance_rule.py)."""
        return stance_rule.is_position(self.code, self.attribution)

    @property
    def is_analysis(self):
        return self.attribution in ANALYST_ATTRIBUTIONS

    @property
    def counts_for(self):
        """The actor whose column it counts in (positions/stance_rule.py)."""
        return stance_rule.column_of(self)

    def natural_key(self):
        return (self.actor.slug, self.issue.slug, self.talk_round.slug if self.talk_round else None)

    def clean(self):
        super().clean()
        if not (self.actor_id and self.attribution):
            return
        problem = attribution_problem(self.actor.kind, self.attribution)
        if problem:
            raise ValidationError({"attribution": problem})


class Bindingness(models.TextChoices):
    LEGALLY_BINDING = "legally_binding", "legally binding (treaty)"
    POLITICALLY_BINDING = "politically_binding", "politically binding"
    UNSPECIFIED = "unspecified", "not specified"


class DemandOutcome(models.TextChoices):
    PENDING = "pending", "pending: no answer reported"
    REJECTED = "rejected", "rejected"
    PARTLY_OPEN = "partly_open", "partly open to discussion"
    ACCEPTED = "accepted", "accepted"
    UNKNOWN = "unknown", "unknown"


class Demand(Claim):
    slug = models.SlugField(max_length=120)
    issues = models.ManyToManyField(Issue, related_name="demands")
    text = models.TextField(help_text="What is demanded, in plain words.")
    bindingness = models.CharField(
        max_length=20, choices=Bindingness, default=Bindingness.UNSPECIFIED
    )
    outcome = models.CharField(
        max_length=12,
        choices=DemandOutcome,
        default=DemandOutcome.UNKNOWN,
        help_text="As the sources report it.",
    )

    class Meta:
        ordering = [ROUND_ORDER, "slug"]
        permissions = [("publish_demand", "Can review and publish demands")]
        constraints = [*slug_constraints("demand"), revision_never_public("demand")]

    def __str__(self):
        return f"{self.actor}: {self.text}"

    def get_absolute_url(self):
        return page_path("positions:demand", self.slug)

    def evidence_links(self):
        return [("issues", sorted(i.slug for i in self.issues.all()))]

    def natural_key(self):
        return (self.slug,)


class ResponseKind(models.TextChoices):
    OFFER = "offer", "offer"
    CONDITIONAL_OFFER = "conditional_offer", "conditional offer"
    COUNTER_DEMAND = "counter_demand", "counter-demand"
    REJECTION = "rejection", "rejection"
    THREAT = "threat", "threat or warning"
    PROMISE = "promise", "promise"


class Response(Claim):
    """A counterproposal or answer: to demands, to other responses, or on an issue."""

    slug = models.SlugField(max_length=120)
    kind = models.CharField(max_length=20, choices=ResponseKind)
    answers = models.ManyToManyField(Demand, blank=True, related_name="responses")
    replies_to = models.ManyToManyField(
        "self", blank=True, symmetrical=False, related_name="replies"
    )
    issues = models.ManyToManyField(Issue, related_name="responses")
    text = models.TextField(help_text="What was offered, refused or threatened, in plain words.")

    class Meta:
        ordering = [ROUND_ORDER, "slug"]
        verbose_name = "counterproposal / response"
        verbose_name_plural = "counterproposals / responses"
        permissions = [("publish_response", "Can review and publish counterproposals / responses")]
        constraints = [*slug_constraints("response"), revision_never_public("response")]

    def __str__(self):
        return f"{self.actor} ({self.get_kind_display()}): {self.text}"

    def get_absolute_url(self):
        return page_path("positions:response", self.slug)

    def evidence_links(self):
        return [
            ("issues", sorted(i.slug for i in self.issues.all())),
            ("answers", sorted(d.slug for d in self.answers.filter(revision_of__isnull=True))),
            ("replies to", sorted(r.slug for r in self.replies_to.all())),
        ]

    def natural_key(self):
        return (self.slug,)


# --------------------------------------------------------------------------- citations


def published_citation(prefix=""):
    """A citation the public may see: of a published claim, or of a round (reference data)."""
    return (
        Q(**{f"{prefix}stance__status": Status.PUBLISHED})
        | Q(**{f"{prefix}demand__status": Status.PUBLISHED})
        | Q(**{f"{prefix}response__status": Status.PUBLISHED})
        | Q(**{f"{prefix}talk_round__isnull": False})
    )


class CitationQuerySet(models.QuerySet):
    def published(self):
        """What the public may see of citations; every public page and count uses this."""
        return self.filter(published_citation())


QUOTE_NOT_ANCHORED = "quote_not_anchored"


def target_key(*ids):
    """(kind, id) of a citation's target from its four ids, in Citation.TARGETS' order."""
    for name, pk in zip(("stance", "demand", "response", "talk_round"), ids, strict=True):
        if pk:
            return (name, pk)
    return None


class Citation(VisibleText, models.Model):
    """A verbatim passage of a source, cited by exactly one claim or round."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField(
        help_text="Verbatim, as the source prints it (white space may differ)."
    )
    prefix = models.CharField(
        max_length=200, blank=True, help_text="Text just before the quote, if it occurs twice."
    )
    suffix = models.CharField(
        max_length=200, blank=True, help_text="Text just after the quote, if it occurs twice."
    )
    start = models.PositiveIntegerField(editable=False)
    end = models.PositiveIntegerField(editable=False)
    order = models.PositiveSmallIntegerField(default=0)

    stance = models.ForeignKey(
        Stance, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    demand = models.ForeignKey(
        Demand, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    talk_round = models.ForeignKey(
        TalkRound, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )

    TARGETS = ("stance", "demand", "response", "talk_round")

    objects = CitationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="citation_offsets_in_order",
                violation_error_message="A citation must end after it starts.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(stance__isnull=False, demand=None, response=None, talk_round=None)
                    | Q(stance=None, demand__isnull=False, response=None, talk_round=None)
                    | Q(stance=None, demand=None, response__isnull=False, talk_round=None)
                    | Q(stance=None, demand=None, response=None, talk_round__isnull=False)
                ),
                name="citation_cites_for_exactly_one",
                violation_error_message="A citation backs exactly one claim or round.",
            ),
        ]

    def __str__(self):
        return f"{self.source.slug} [{self.start}:{self.end}] {citations.shorten(self.quote, 60)}"

    def get_absolute_url(self):
        return f"{self.source.get_absolute_url()}#c{self.start}-{self.end}"

    @property
    def target(self):
        for name in self.TARGETS:
            if getattr(self, f"{name}_id"):
                return getattr(self, name)
        return None

    @property
    def target_key(self):
        """(kind, id) of what it backs, without loading it: ("stance", 12)."""
        return target_key(*(getattr(self, f"{name}_id") for name in self.TARGETS))

    def anchor(self):
        """Compute the offsets from the quote; if it cannot be anchored, raise ValidationError on
        the quote, in one line, with the AnchorError (``params["error"]``) for a form that shows
        the curator what to change (the admin's, positions/curation/quote_report.py)."""
        try:
            found = citations.anchor(self.source.text, self.quote, self.prefix, self.suffix)
        except citations.AnchorError as exc:
            message = str(exc).replace("%", "%%")  # the params below format the message
            error = ValidationError(message, code=QUOTE_NOT_ANCHORED, params={"error": exc})
            raise ValidationError({"quote": error}) from None
        self.start, self.end = found.start, found.end

    def clean(self):
        if sum(1 for name in self.TARGETS if getattr(self, f"{name}_id")) > 1:
            raise ValidationError("A citation backs exactly one claim or round.")
        if self.source_id and self.quote:
            self.anchor()

    def is_verified(self):
        return citations.verify(self.source.text, self.quote, self.start, self.end)


# The one way a list of claims loads its citations: in the curators' order, each with its source's
# slug and title, never the source's text (the whole article).
CITATIONS = models.Prefetch(
    "citations", queryset=Citation.objects.select_related("source").defer("source__text")
)

# The curated models, in load order, each with its django-simple-history table: what the admin
# edits, the loader writes and a change to which retires every cached page.
CURATED = (Source, Actor, Issue, TalkRound, Stance, Demand, Response, Citation)

# --------------------------------------------------------------------------- caching


class DatasetVersion(models.Model):
    """One counter, bumped whenever curated data changes; cached pages are keyed on it.

    Kept in the database, not in the cache, so that every process sees a change at once.
    """

    version = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"dataset version {self.version}"

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).values_list("version", flat=True).first() or 0

    @classmethod
    def bump(cls):
        if not cls.objects.filter(pk=1).update(version=models.F("version") + 1):
            cls.objects.get_or_create(pk=1, defaults={"version": 1})


class DatasetSync(models.Model):
    """Each time the database was made to match the fixtures (a load) or the fixtures were made
    to match the database (an export). The loader refuses to overwrite changes curators made in
    the admin since the last of these, unless forced (positions/dataset/write.py)."""

    class Kind(models.TextChoices):
        LOAD = "load", "load"
        EXPORT = "export", "export"

    kind = models.CharField(max_length=6, choices=Kind)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    folder = models.CharField(max_length=500, blank=True, help_text="The fixtures' folder.")

    class Meta:
        ordering = ["-at", "-pk"]
        get_latest_by = ["at", "pk"]

    def __str__(self):
        return f"{self.kind} of {self.folder or 'the fixtures'} at {self.at:%Y-%m-%d %H:%M} UTC"

    @classmethod
    def last(cls):
        return cls.objects.order_by("-at", "-pk").first()


# --------------------------------------------------------------------------- search


class SearchEntry(models.Model):
    """What search reads of one public record (a published claim, an actor, an issue, a round),
    stored so that no query builds it per row: its own words (``a``), the names around it
    (``b``) and the rest, its quotes among them (``c``). positions/search_index.py keeps the
    entries current; the database indexes them (PostgreSQL: a weighted tsvector column with a
    GIN index; SQLite: an FTS5 table), migration 0014."""

    class Kind(models.TextChoices):
        STANCE = "stance", "stance"
        DEMAND = "demand", "demand"
        RESPONSE = "response", "response"
        ACTOR = "actor", "actor"
        ISSUE = "issue", "issue"
        ROUND = "round", "round"

    kind = models.CharField(max_length=8, choices=Kind)
    object_id = models.BigIntegerField()
    a = models.TextField(blank=True)
    b = models.TextField(blank=True)
    c = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchentry_unique")
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class DismissedSuggestion(models.Model):
    """A suggested claim (positions/curation/suggest.py) a curator dismissed: the passage of its
    source, so it is never suggested again, whoever asks."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="dismissed")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "start", "end"], name="dismissed_unique")
        ]

    def __str__(self):
        return f"{self.source.slug} {self.start}-{self.end}"
