"""Optimistic locking for every curated record: no edit is silently lost.

Every recorded save of a source, actor, issue, round or claim bumps its ``version``
(models.Versioned). A change form, and a history revert form, carries the version its record was
at when the form was opened (its *edit token*); saving it after someone else saved the same
record is refused with a conflict page that shows, field by field, what the record held when the
form was opened, what was saved meanwhile (by whom, when) and what the form now holds. The form
keeps everything typed into it and now carries the new version, so saving again replaces the
other version deliberately.

The check and the save are one: the admin locks the row (``lock``) in the transaction that
checks the token and writes, so two saves at the same moment cannot both pass the check.

For a curator, a published claim is changed through its pending proposed change, so the token
names whichever of the two a save would write: a proposal another curator made meanwhile is a
conflict too. The token is ``<pk>:<version>`` of that record.
"""

from contextlib import suppress
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import router
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from positions.curation import review
from positions.models import Status

CONFLICT = (
    "Someone else saved this {name} after you opened this form, so your save was stopped and "
    "nothing was lost. Compare the versions below, keep what you want in the form, and save "
    "again: your version then replaces theirs."
)

LONG = 400  # a value longer than this (an article's text) is shown by its start and length


def lock(model, pk):
    """Lock the row of ``model`` with this pk until the transaction ends (a no-op on SQLite,
    which takes one writer at a time). Only the row itself: never the side of a join."""
    rows = model._base_manager.db_manager(router.db_for_write(model)).select_for_update()
    with suppress(TypeError, ValueError, ValidationError):  # not a pk: the admin says "no such"
        list(rows.filter(pk=pk).order_by().values_list("pk"))  # no ordering's joins to lock


def is_claim(obj_or_model):
    return hasattr(obj_or_model, "revision_of_id") or hasattr(obj_or_model, "revision_of")


def target(obj, proposing):
    """The record a save of this form writes: a curator's change to a published claim goes to
    its pending proposed change, when there is one."""
    if proposing and is_claim(obj) and obj.status == Status.PUBLISHED and not obj.revision_of_id:
        return review.pending_revision(obj) or obj
    return obj


def token(obj, proposing):
    written = target(obj, proposing)
    return f"{written.pk}:{written.version}"


def compared_fields(model):
    if is_claim(model):
        return [*review.content_fields(model), model._meta.get_field("status")]
    return [f for f in model._meta.concrete_fields if f.editable and not f.primary_key]


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


def shown(value):
    text = "—" if value in (None, "") else str(value)
    if len(text) > LONG:
        return f"{text[:200]}… ({len(text):,} characters in all)"
    return text


def display(obj, f):
    if obj is None:
        return ""
    if f.is_relation:
        related = getattr(obj, f.name, None)
        return str(related) if related is not None else "—"
    value = getattr(obj, f.attname)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    return shown(value)


def describe_conflict(form, submitted):
    """What changed between the version the form was opened at and the one saved now."""
    model = type(form.instance)
    pk, _, version = submitted.partition(":")
    opened = None
    if pk.isdigit() and version.isdigit():
        opened = model.history.filter(id=pk, version=version).first()
    saved = target(model._base_manager.get(pk=form.instance.pk), form.proposing)
    latest = saved.history.select_related("history_user").first()
    conflict = Conflict(
        saved_by=str(latest.history_user) if latest and latest.history_user else "the loader",
        saved_at=latest.history_date if latest else None,
        reason=(latest.history_change_reason or "") if latest else "",
    )
    yours = form.cleaned_data
    for f in compared_fields(model):
        then = display(opened.instance if opened else None, f)
        now = display(saved, f)
        if f.name in yours:
            value = yours[f.name]
            mine = str(dict(f.flatchoices).get(value, value)) if f.choices else shown(value)
        else:
            mine = now
        if then != now or mine != now:
            conflict.rows.append(Row(str(f.verbose_name), then, now, mine))
    if is_claim(model):
        before = opened.evidence.splitlines() if opened else []
        after = saved.evidence.splitlines()
        if before != after:
            conflict.evidence_opened, conflict.evidence_saved = before, after
    return conflict


# A new record's slug, made from its title or text as it is typed (the admin's prepopulated
# fields cut it here, at a word) or typed by hand: short enough to read in an address. A record
# that has a longer one keeps it.
NEW_SLUG_LENGTH = {"source": 60}
NEW_SLUG_DEFAULT = 40


class LockedForm(forms.ModelForm):
    """The base of every curated model's admin form; the admin sets ``proposing`` per request
    (a curator's change to a published claim is proposed, not saved)."""

    proposing = False
    edit_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        slug = self.fields.get("slug")
        if slug is not None and not self.instance.pk:
            limit = NEW_SLUG_LENGTH.get(self._meta.model._meta.model_name, NEW_SLUG_DEFAULT)
            slug.max_length = limit
            slug.widget.attrs["maxlength"] = str(limit)
            slug.validators.append(MaxLengthValidator(limit))
            slug.help_text = f"At most {limit} characters: short enough to read in an address."
        if self.instance.pk:
            opened = self.instance
            if hasattr(opened, SIMPLE_HISTORY_REVERSE_ATTR_NAME):
                # A revert form holds an old version: its token is the record as it stands.
                opened = type(opened)._base_manager.filter(pk=opened.pk).first() or opened
            self.fields["edit_token"].initial = token(opened, self.proposing)

    def clean(self):
        cleaned = super().clean()
        submitted = cleaned.get("edit_token") or ""
        if not (self.instance.pk and submitted):
            return cleaned  # a new record, or a POST without a token (a script): nothing to check
        stored = type(self.instance)._base_manager.filter(pk=self.instance.pk).first()
        if stored is None:
            return cleaned  # gone: the admin says so
        current = token(stored, self.proposing)
        if submitted != current:
            self.conflict = describe_conflict(self, submitted)
            self.data = self.data.copy()
            self.data[self.add_prefix("edit_token")] = current  # saving again is deliberate
            name = type(self.instance)._meta.verbose_name
            raise ValidationError(CONFLICT.format(name=name), code="edit_conflict")
        return cleaned
