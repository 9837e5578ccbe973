"""Optimistic locking for claims: no edit is silently lost.

Every recorded save of a claim bumps its ``version``. A change form carries the version it was
opened at (its *edit token*); saving it after someone else saved the same claim is refused with a
conflict page that shows, field by field, what the claim held when the form was opened, what was
saved meanwhile (by whom, when) and what the form now holds. The form keeps everything typed into
it and now carries the new version, so saving again replaces the other version deliberately.

For a curator, a published claim is changed through its pending proposed change, so the token
names whichever of the two a save would write: a proposal another curator made meanwhile is a
conflict too. The token is ``<pk>:<version>`` of that claim.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError

from positions.curation import review
from positions.models import Status

CONFLICT = (
    "Someone else saved this claim after you opened this form, so your save was stopped and "
    "nothing was lost. Compare the versions below, keep what you want in the form, and save "
    "again: your version then replaces theirs."
)


def target(claim, proposing):
    """The claim a save of this form writes: a curator's change to a published claim goes to
    its pending proposed change, when there is one."""
    if proposing and claim.status == Status.PUBLISHED and not claim.revision_of_id:
        return review.pending_revision(claim) or claim
    return claim


def token(claim, proposing):
    written = target(claim, proposing)
    return f"{written.pk}:{written.version}"


@dataclass
class Row:
    label: str
    opened: str
    saved: str
    yours: str


@dataclass
class Conflict:
    saved_by: str
    saved_at: object
    reason: str
    rows: list = field(default_factory=list)
    evidence_opened: list = field(default_factory=list)
    evidence_saved: list = field(default_factory=list)


def display(obj, f):
    if obj is None:
        return ""
    if f.is_relation:
        related = getattr(obj, f.name, None)
        return str(related) if related is not None else "—"
    value = getattr(obj, f.attname)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    return "—" if value in (None, "") else str(value)


def describe_conflict(form, submitted, current):
    """What changed between the version the form was opened at and the one saved now."""
    model = type(form.instance)
    pk, _, version = submitted.partition(":")
    opened = model.history.filter(id=pk, version=version).first() if version.isdigit() else None
    saved = target(form.instance, form.proposing)
    latest = saved.history.select_related("history_user").first()
    conflict = Conflict(
        saved_by=str(latest.history_user) if latest and latest.history_user else "the loader",
        saved_at=latest.history_date if latest else None,
        reason=(latest.history_change_reason or "") if latest else "",
    )
    yours = form.cleaned_data
    for f in [*review.content_fields(model), model._meta.get_field("status")]:
        then = display(opened.instance if opened else None, f)
        now = display(saved, f)
        if f.name in yours:
            value = yours[f.name]
            mine = str(value) if value not in (None, "") else "—"
            if f.choices:
                mine = str(dict(f.flatchoices).get(value, value))
        else:
            mine = now
        if then != now or mine != now:
            conflict.rows.append(Row(str(f.verbose_name), then, now, mine))
    before = opened.evidence.splitlines() if opened else []
    after = saved.evidence.splitlines()
    if before != after:
        conflict.evidence_opened, conflict.evidence_saved = before, after
    return conflict


class LockedForm(forms.ModelForm):
    """The base of every claim's admin form; ClaimAdmin sets ``proposing`` per request."""

    proposing = False
    edit_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.fields["edit_token"].initial = token(self.instance, self.proposing)

    def clean(self):
        cleaned = super().clean()
        submitted = cleaned.get("edit_token") or ""
        if not (self.instance.pk and submitted):
            return cleaned  # a new claim, or a POST without a token (a script): nothing to check
        current = token(type(self.instance)._base_manager.get(pk=self.instance.pk), self.proposing)
        if submitted != current:
            self.conflict = describe_conflict(self, submitted, current)
            self.data = self.data.copy()
            self.data[self.add_prefix("edit_token")] = current  # saving again is deliberate
            raise ValidationError(CONFLICT, code="edit_conflict")
        return cleaned
