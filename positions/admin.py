"""The curators' admin: validated citations, review before publishing, and full history.

- A citation's offsets are computed from its quote on save, never typed; a quote that is not
  verbatim in its source, or is ambiguous, is refused with the closest passage shown.
- Curators add and change; only users with a ``publish_*`` permission (editors) set a claim's
  status. A curator's change to a claim sends it back to draft for review.
- Every curated model keeps its history (django-simple-history): who, when, what changed, and a
  revert from any version.
"""

import dataclasses

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models import F, Max
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from positions import models
from positions.citations import sha256_text
from positions.curation import guard, locking, quote_report, review
from positions.curation.locking import LockedForm
from positions.curation.review_queue import refusal


class CitationForm(forms.ModelForm):
    """A quote that cannot be anchored gets the report that shows the curator what to change
    (positions/curation/quote_report.py) in place of the model's one-line message."""

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict") and "quote" in errors.error_dict:
            errors.error_dict["quote"] = [
                ValidationError(quote_report.render(error.params["error"]))
                if error.code == models.QUOTE_NOT_ANCHORED
                else error
                for error in errors.error_dict["quote"]
            ]
        super()._update_errors(errors)


class CitationInline(admin.StackedInline):
    model = models.Citation
    form = CitationForm
    extra = 1
    fields = ["source", "quote", ("prefix", "suffix"), "order", "offsets"]
    readonly_fields = ["offsets"]
    autocomplete_fields = ["source"]

    class Media:
        js = ["positions/quote-report.js"]  # "Use this one" in the report on an ambiguous quote

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "source":
            # Deleting a source from beside a quote is never what a curator means.
            formfield.widget.can_delete_related = False
        return formfield

    @admin.display(description="offsets (computed)")
    def offsets(self, citation):
        if citation.pk:
            return f"{citation.start}–{citation.end}"
        return "computed when saved"


class ClaimHistoryHelper(HistoricalRecordContextHelper):
    """The history page shows an evidence change as the lines removed and added, whole."""

    def format_delta_change(self, change):
        if change.field != "evidence":
            return super().format_delta_change(change)
        old, new = (change.old or "").splitlines(), (change.new or "").splitlines()
        removed = [line for line in old if line not in new]
        added = [line for line in new if line not in old]
        return dataclasses.replace(
            change,
            field="Citations and links",
            old=format_html_join(mark_safe("<br>"), "− {}", ((line,) for line in removed)),
            new=format_html_join(mark_safe("<br>"), "+ {}", ((line,) for line in added)),
        )


class HistoryAdmin(SimpleHistoryAdmin):
    """Every curated model: its history, and edits that never overwrite one another unseen (the
    edit token of positions/curation/locking.py, on the change form and the revert form)."""

    form = LockedForm
    history_list_display = []
    object_history_form_template = "admin/positions/history_form.html"

    def get_object(self, request, object_id, from_field=None):
        """A save locks its row before its form checks the edit token: of two saves at the same
        moment, the second sees the first and gets the conflict page."""
        connection = transaction.get_connection(router.db_for_write(self.model))
        if request.method == "POST" and from_field is None and connection.in_atomic_block:
            locking.lock(self.model, object_id)
        return super().get_object(request, object_id, from_field)

    def refused(self, request, view, *args, **kwargs):
        """The last line: a write the database refuses (a constraint or trigger, say when two
        people change the same data at the same moment) is a message, and nothing is saved."""
        try:
            return view(request, *args, **kwargs)
        except IntegrityError as exc:
            if request.method != "POST":
                raise
            reason = str(exc).splitlines()[0]
            messages.error(
                request,
                f"Nothing was saved: the database refused it ({reason}). Someone may have "
                "changed the same data at the same moment: read it again and retry.",
            )
            return redirect(request.get_full_path())

    def changeform_view(self, request, *args, **kwargs):
        return self.refused(request, super().changeform_view, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        return self.refused(request, super().changelist_view, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self.refused(request, super().delete_view, *args, **kwargs)

    def history_view(self, request, object_id, extra_context=None):
        self.pk_or_404(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    @staticmethod
    def pk_or_404(model, value):
        """A URL's id that is no id at all is a 404, never a 500."""
        try:
            model._meta.pk.to_python(unquote(value))
        except ValidationError:
            raise Http404(f"No {model._meta.verbose_name} has the id “{value}”.") from None

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A revert is one transaction, its row locked, like any save."""
        self.pk_or_404(self.model, object_id)
        self.pk_or_404(self.model.history.model, version_id)
        request.reverting = True
        return self.refused(request, self.revert, object_id, version_id, extra_context)

    def revert(self, request, object_id, version_id, extra_context):
        with transaction.atomic(using=router.db_for_write(self.model)):
            if request.method == "POST":
                locking.lock(self.model, object_id)
            return super().history_form_view(request, object_id, version_id, extra_context)


# --------------------------------------------------------------------------- reference data


class ReferenceAdmin(HistoryAdmin):
    """Sources, actors, issues and rounds: what a curator adds is not public until an editor
    publishes it (here, its form's "public" box or the bulk action) or approves a claim that uses
    it (positions/curation/publishing.py). Only an editor sets "public"."""

    actions = ["publish_records"]

    def is_editor(self, request):
        return review.may_publish(request.user, models.Stance)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if self.is_editor(request) else [*fields, "public"]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "public"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), "public"]

    def save_model(self, request, obj, form, change):
        if not change and not self.is_editor(request):
            obj.public = False
            messages.info(
                request,
                f"The {obj._meta.verbose_name} is saved, not yet public: it will be once an "
                "editor publishes it, or approves a claim that uses it.",
            )
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish the selected records", permissions=["publish"])
    def publish_records(self, request, queryset):
        done = 0
        for record in queryset.filter(public=False):
            record.public = True
            record._history_user = request.user
            record.save()
            done += 1
        self.message_user(request, f"{done} published.", messages.SUCCESS)

    def has_publish_permission(self, request):
        return self.is_editor(request)


# --------------------------------------------------------------------------- sources


class SourceForm(LockedForm):
    url = forms.URLField(required=False, max_length=500, assume_scheme="https")
    upload = forms.FileField(
        required=False,
        help_text="Or upload the article as a UTF-8 text file instead of pasting it.",
    )

    class Meta:
        model = models.Source
        fields = [
            "slug",
            "title",
            "author",
            "publisher",
            "original_publisher",
            "published_on",
            "date_precision",
            "url",
            "kind",
            "metadata_note",
            "file_name",
            "text",
            "public",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notices = []  # said to the curator after the save (SourceAdmin.save_model)
        for name in ("text", "file_name"):
            if name in self.fields:
                self.fields[name].required = False
        if "text" in self.fields:
            self.fields["text"].strip = False  # the text as given: its final newline kept

    def clean_text(self):
        return as_given(self.cleaned_data.get("text") or "")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if "upload" not in self.fields and self.files.get(self.add_prefix("upload")):
            self.add_error(None, models.CITED_TEXT_FIXED)  # a crafted upload to a cited source
        elif "text" not in self.fields and self.text_sent_differs():
            # The form was opened before the source was cited: say so, never drop the text.
            self.add_error(None, f"It was cited while you edited it. {models.CITED_TEXT_FIXED}")
        elif upload:
            pasted = cleaned.get("text") or ""
            try:
                cleaned["text"] = as_given(upload.read().decode("utf-8"))
            except UnicodeDecodeError:
                self.add_error("upload", "The file is not UTF-8 text.")
            else:
                if pasted.strip():
                    self.notices.append(both_given(pasted, cleaned["text"]))
                # Keep the upload if another field has an error: the form shows its text.
                self.data = self.data.copy()
                self.data[self.add_prefix("text")] = cleaned["text"]
        if "text" in self.fields and not cleaned.get("text"):
            self.add_error("text", "Paste the article's text or upload it.")
        if "file_name" in self.fields and not cleaned.get("file_name") and cleaned.get("slug"):
            cleaned["file_name"] = f"{cleaned['slug']}.txt"
        return cleaned

    def text_sent_differs(self):
        sent = self.data.get(self.add_prefix("text"))
        if sent is None:
            return False
        return sent.replace("\r\n", "\n") != self.instance.text.replace("\r\n", "\n")

    def save(self, commit=True):
        source = super().save(commit=False)
        if "text" in self.fields and self.cleaned_data.get("text"):
            source.text = self.cleaned_data["text"]
            source.file_name = self.cleaned_data.get("file_name") or source.file_name
        source.sha256 = sha256_text(source.text)
        if commit:
            source.save()
        return source


def as_given(text):
    """A source's text as given: Windows and old Mac line endings made "\n", nothing else
    touched (a pasted text's final newline is kept, so its SHA-256 is the file's)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def both_given(pasted, uploaded):
    """What to tell a curator who both pasted a text and uploaded a file."""
    kept = "You both pasted a text and uploaded a file: the file's text was saved"
    if pasted == uploaded:
        return f"{kept}; the pasted text was the same."
    pasted_lines, file_lines = pasted.split("\n"), uploaded.split("\n")
    line = next(
        (n for n, (a, b) in enumerate(zip(pasted_lines, file_lines, strict=False), 1) if a != b),
        min(len(pasted_lines), len(file_lines)) + 1,
    )
    return f"{kept}, and the pasted text differs from it, first at line {line}."


class CitedSourceForm(SourceForm):
    """A cited source's text is fixed, so its form offers no upload (the model refuses it too)."""

    upload = None


@admin.register(models.Source)
class SourceAdmin(ReferenceAdmin):
    form = SourceForm
    list_display = ["title", "author", "publisher", "published_display", "kind", "n_citations"]
    list_filter = ["kind", "date_precision"]
    search_fields = ["title", "author", "publisher", "slug"]
    readonly_fields = ["sha256", "suggested_claims"]
    prepopulated_fields = {"slug": ["title"]}

    @admin.display(description="Suggested claims")
    def suggested_claims(self, source):
        if source is None or source.pk is None:
            return "Saved first: then Parley suggests the passages that read like claims."
        url = reverse("admin:suggestions", args=[source.slug])
        return format_html('<a href="{}">The passages that read like claims</a>', url)

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(cited=Count("citations")).order_by("title")

    @admin.display(description="citations", ordering="cited")
    def n_citations(self, source):
        return source.cited

    @staticmethod
    def is_cited(obj):
        # The text of a cited source is fixed: changing it would move every quote's offsets.
        if obj is None:
            return False
        if not hasattr(obj, "_is_cited"):
            obj._is_cited = obj.citations.exists()
        return obj._is_cited

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "text", "file_name"] if self.is_cited(obj) else fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for notice in getattr(form, "notices", []):
            messages.warning(request, notice)

    def get_form(self, request, obj=None, **kwargs):
        if self.is_cited(obj):
            kwargs["form"] = CitedSourceForm
            kwargs["fields"] = [f for f in SourceForm.Meta.fields if f not in ("text", "file_name")]
        return super().get_form(request, obj, **kwargs)


# --------------------------------------------------------------------------- reference data


@admin.register(models.Actor)
class ActorAdmin(ReferenceAdmin):
    list_display = ["name", "kind", "role", "affiliation", "order"]
    list_filter = ["kind"]
    list_select_related = ["affiliation"]
    search_fields = ["name", "slug", "role"]
    autocomplete_fields = ["affiliation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Issue)
class IssueAdmin(ReferenceAdmin):
    list_display = ["title", "parent", "order"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["title", "slug", "description"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["title"]}


class TalkRoundForm(LockedForm):
    """Where a round stands in the sequence of talks: "place after" another round (the later ones
    move down one, in the same save), or a free place typed by hand. A place another round holds
    is refused by name, with the next free place: never the bare "Talk round with this Order
    already exists"."""

    place_after = forms.ModelChoiceField(
        queryset=models.TalkRound.objects.order_by("order"),
        required=False,
        empty_label="(keep the place below)",
        help_text="Put this round right after another: the rounds after it move down one.",
    )

    class Meta:
        model = models.TalkRound
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "order" in self.fields:
            self.fields["order"].required = False
        if self.instance.pk:
            choices = self.fields["place_after"].queryset.exclude(pk=self.instance.pk)
            self.fields["place_after"].queryset = choices

    def clean(self):
        cleaned = super().clean()
        after = cleaned.get("place_after")
        order = cleaned.get("order")
        if after is not None:
            # A free place for the checks; save() makes room right after ``after`` and moves
            # this round there.
            last = models.TalkRound.objects.exclude(pk=self.instance.pk).aggregate(Max("order"))
            cleaned["order"] = (last["order__max"] or 0) + 1
            return cleaned
        if order is None:
            self.add_error("order", "Give its place, or choose the round it comes after.")
            return cleaned
        rounds = models.TalkRound.objects.exclude(pk=self.instance.pk)
        holder = rounds.filter(order=order).first()
        if holder is not None:
            taken = set(rounds.values_list("order", flat=True))
            free = next(n for n in range(order, order + len(taken) + 2) if n not in taken)
            last = max(taken)
            self.add_error(
                "order",
                f"Place {order} is “{holder.title}”'s. The next free place is {free}; after the "
                f"last round, {last + 1}. Or choose the round it comes after, and the later "
                "ones move down.",
            )
        return cleaned

    def save(self, commit=True):
        after = self.cleaned_data.get("place_after")
        if after is not None:
            place = after.order + 1
            make_room(place, self.instance.pk)
            self.instance.order = place
        return super().save(commit)


def make_room(place, moving=None):
    """Free ``place`` in the sequence of rounds: it and every later one move down one, their rows
    locked, in two steps so that no two rounds ever hold one place (the order is unique)."""
    later = models.TalkRound.objects.select_for_update().filter(order__gte=place).exclude(pk=moving)
    ids = list(later.values_list("pk", flat=True))
    if not ids or not models.TalkRound.objects.filter(order=place).exclude(pk=moving).exists():
        return
    shift = models.TalkRound.objects.filter(pk__in=ids)
    shift.update(order=F("order") + 10_000)
    shift.update(order=F("order") - 9_999)


@admin.register(models.TalkRound)
class TalkRoundAdmin(ReferenceAdmin):
    form = TalkRoundForm
    list_display = ["title", "format", "city", "date_display", "order"]
    list_filter = ["format"]
    search_fields = ["title", "city", "venue", "slug"]
    autocomplete_fields = ["participants"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CitationInline]


# --------------------------------------------------------------------------- claims


class PendingChangeFilter(admin.SimpleListFilter):
    title = "proposed changes"
    parameter_name = "proposal"

    def lookups(self, request, model_admin):
        return [("yes", "proposed changes to published claims"), ("no", "claims themselves")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(revision_of__isnull=False)
        if self.value() == "no":
            return queryset.filter(revision_of__isnull=True)
        return queryset


SHORT_SLUG = 50


class ReasonActionForm(helpers.ActionForm):
    reason = forms.CharField(
        required=False,
        label="Reason (for “Send back” and “Withdraw”)",
        widget=forms.TextInput(attrs={"size": 40}),
    )
    # The bulk actions' edit token: when the list was loaded. A claim saved after it is not
    # decided on: the editor decides on what they saw.
    seen = forms.CharField(
        required=False,
        label="",
        widget=forms.HiddenInput,
        initial=lambda: timezone.now().isoformat(),
    )


def seen_at(request):
    """When the user loaded the list an action was posted from (None for a POST without it)."""
    try:
        return parse_datetime(request.POST.get("seen", ""))
    except ValueError:
        return None


class ClaimForm(LockedForm):
    """A claim's constraints are checked on the form, those whose condition names a field the form
    does not show included (``revision_of``: they hold for originals, not proposed changes), so
    a duplicate stance or a taken slug is the form's message, never an IntegrityError."""

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - {"revision_of"}

    def _post_clean(self):
        super()._post_clean()
        if self.errors and not self.conflict:
            existing = review.colliding(self.instance)
            if existing is not None:
                url = reverse(
                    f"admin:positions_{existing._meta.model_name}_change", args=[existing.pk]
                )
                self.add_error(
                    None,
                    format_html(
                        "It would repeat <a href='{}'>“{}”</a>: add to that one instead.",
                        url,
                        existing,
                    ),
                )


class ClaimAdmin(HistoryAdmin):
    """Shared by stances, demands and responses: review, proposed changes, citations inline.

    The rules are in positions/curation/review.py; this class gives each user the outcome they expect and
    says plainly on save what happened.
    """

    list_filter = [
        "status",
        PendingChangeFilter,
        "talk_round",
        ("actor", admin.RelatedOnlyFieldListFilter),
        "citations__source",
    ]
    list_select_related = ["actor", "talk_round", "reviewed_by"]
    autocomplete_fields = ["actor", "talk_round"]
    readonly_fields = ["review_state", "reviewed_by", "reviewed_at"]
    inlines = [CitationInline]
    form = ClaimForm
    action_form = ReasonActionForm
    actions = ["mark_reviewed", "publish", "send_back", "withdraw"]
    history_list_display = ["status"]

    def has_publish_permission(self, request):
        return review.may_publish(request.user, self.model)

    def has_delete_permission(self, request, obj=None):
        """A curator deletes only what was never public; the rest is withdrawn (review.py)."""
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None or obj.revision_of_id or self.has_publish_permission(request):
            return True
        return not guard.was_published(obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.proposing = not self.has_publish_permission(request)
        return form

    def get_historical_record_context_helper(self, request, historical_record):
        return ClaimHistoryHelper(self.model, historical_record)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "slug":
            kwargs["max_length"] = SHORT_SLUG  # the slug filled in from the text stays short
            kwargs["help_text"] = f"Filled in from the text; at most {SHORT_SLUG} characters."
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("revision_of")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request) or (obj and obj.revision_of_id):
            fields.append("status")  # a proposed change is approved, never published itself
        return fields

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return ["review_state", *[f for f in fields if f != "review_state"]]

    @admin.display(description="review")
    def review_state(self, claim):
        if claim.pk is None:
            return "New: saved as a draft for an editor to review."
        parts = [claim.get_status_display()]
        if claim.proposes_withdrawal:
            original = claim.revision_of
            url = reverse(f"admin:positions_{self.opts.model_name}_change", args=[original.pk])
            parts = [
                format_html(
                    "Proposed withdrawal of the published <a href='{}'>{}</a>, because: “{}”. "
                    "It stays on the public site until an editor approves the withdrawal",
                    url,
                    original,
                    claim.withdrawal_reason,
                ),
                claim.get_status_display(),
            ]
        elif claim.revision_of_id:
            original = claim.revision_of
            url = reverse(f"admin:positions_{self.opts.model_name}_change", args=[original.pk])
            parts = [
                format_html(
                    "Proposed change to the published <a href='{}'>{}</a>; it stays as it is on "
                    "the public site until an editor approves this change",
                    url,
                    original,
                ),
                claim.get_status_display(),
            ]
        elif claim.status == models.Status.PUBLISHED:
            pending = review.pending_revision(claim)
            if pending:
                url = reverse(f"admin:positions_{self.opts.model_name}_change", args=[pending.pk])
                parts.append(format_html("a <a href='{}'>proposed change</a> awaits review", url))
        if claim.status == models.Status.WITHDRAWN and claim.withdrawal_reason:
            parts.append(format_html("off the public site because: “{}”", claim.withdrawal_reason))
        if claim.status == models.Status.RETURNED and claim.review_note:
            parts.append(format_html("reason: “{}”", claim.review_note))
        return format_html_join("; ", "{}", ((p,) for p in parts))

    # ---------------------------------------------------------------- the change form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        curator = not self.has_publish_permission(request)
        if (
            claim is not None
            and request.method == "GET"
            and curator
            and claim.status == "published"
        ):
            pending = review.pending_revision(claim)
            if pending is not None:
                messages.info(
                    request,
                    "A change to this published claim is already awaiting review: you are "
                    "editing that proposed change. The published version stays on the site "
                    "until an editor approves it.",
                )
                url = reverse(f"admin:positions_{self.opts.model_name}_change", args=[pending.pk])
                return redirect(url)
            messages.info(
                request,
                "This claim is published. If you save a change, it is proposed for review: "
                "the published version stays on the site until an editor approves it.",
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """Select to cite: the source page opens the add form with the passage filled in."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, CitationInline) and request.method == "GET":
            # A new claim, or an existing one the passage is added to ("on an existing claim"):
            # the passage fills the form's empty citation row.
            source = models.Source.objects.filter(slug=request.GET.get("cite_source", "")).first()
            if source is not None:
                kwargs["initial"] = [
                    {
                        "source": source.pk,
                        "quote": request.GET.get("cite_quote", ""),
                        "prefix": request.GET.get("cite_prefix", ""),
                        "suffix": request.GET.get("cite_suffix", ""),
                    }
                ]
        return kwargs

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        stored = review.stored_status(obj) if change else None
        if self.has_publish_permission(request):
            if "status" in form.changed_data and obj.status != models.Status.DRAFT:
                obj.reviewed_by, obj.reviewed_at = request.user, timezone.now()
                obj._change_reason = f"marked {obj.status}"
            obj._review_outcome = None
        elif stored == models.Status.PUBLISHED:
            original = type(obj)._base_manager.get(pk=obj.pk)
            review.propose(original, request.user, obj)
            obj._review_outcome = "proposed"
            return
        else:
            obj._review_outcome = "resubmitted" if stored == models.Status.RETURNED else "draft"
            obj.status = models.Status.DRAFT  # a curator's claim waits for an editor
            obj.reviewed_by = obj.reviewed_at = None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        with review.deferred_evidence():
            if getattr(obj, "_review_outcome", None) == "proposed":
                form.save_m2m()
                for formset in formsets:
                    replace_inline_rows(formset, obj)
            else:
                super().save_related(request, form, formsets, change)
            self.settle(request, obj)
        self.say_what_happened(request, obj)

    def save_formset(self, request, form, formset, change):
        """A link row (an answer under a demand) is saved here with the rules asked by hand:
        Django sends no save or delete signal for a many-to-many table's rows, so the guard
        would not see them and the claim's history would not record them."""
        if not formset.model._meta.auto_created:
            return super().save_formset(request, form, formset, change)
        rows = formset.save(commit=False)
        for row in [*rows, *formset.deleted_objects]:
            guard.guard_through_row(type(row), row)
        for row in formset.deleted_objects:
            row.delete()
            review.through_row_changed(type(row), row)
        for row in rows:
            row.save()
            review.through_row_changed(type(row), row)
        return None

    def settle(self, request, obj):
        """After a save by any form (change, add, revert): a claim with no citation is not public,
        and this save's version in history shows its evidence."""
        if obj.status != models.Status.DRAFT and not obj.citations.exists():
            obj.status = models.Status.DRAFT
            obj._change_reason = "no citation: kept as a draft"
            obj.save()
            messages.error(
                request, "A claim with no citation cannot be published; it was saved as a draft."
            )
        review.amend_evidence(obj)

    def say_what_happened(self, request, obj):
        outcome = getattr(obj, "_review_outcome", None)
        text = {
            "proposed": "Your change is saved as a proposed change awaiting an editor's review. "
            "The published version stays on the public site, unchanged, until an editor "
            "approves it.",
            "draft": "Saved as a draft: it is not public until an editor approves it.",
            "resubmitted": "Saved and resubmitted for review: it is not public until an editor "
            "approves it.",
        }.get(outcome)
        if text:
            messages.info(request, text)
            request._said = True  # this save's one message: Django's own is not added

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        """After a save that said what happened (say_what_happened), Django's generic "was
        changed successfully" would be a second message for the same save: it is left out."""
        if getattr(request, "_said", False) and level == messages.SUCCESS:
            return
        super().message_user(request, message, level, *args, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.pk_or_404(self.model, object_id)
        if request.method == "GET" and not self.has_publish_permission(request):
            claim = self.model._base_manager.filter(pk=object_id).first()
            if claim is not None and claim.status == models.Status.PUBLISHED:
                pending = review.pending_revision(claim)
                if pending is not None:
                    messages.info(
                        request,
                        "A change to this published claim already awaits review: reverting "
                        "replaces that proposed change with this version.",
                    )
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        """A curator saving a proposed change that an editor approved (or that was otherwise
        decided) while the form was open: the form is shown again on the claim it changed, as a
        conflict, with everything typed kept; never a bare "doesn't exist"."""
        original = review.original_of_gone(self.model, object_id)
        if request.method == "POST" and original is not None:
            messages.warning(
                request,
                f"The proposed change you were editing was decided meanwhile (“{original}” now "
                "shows the outcome). Your edit was not saved and is kept below: save it again "
                "to propose it anew.",
            )
            url = reverse(f"admin:positions_{opts.model_name}_change", args=[original.pk])
            return self.changeform_view(request, str(original.pk), form_url=url)
        return super()._get_obj_does_not_exist_redirect(request, opts, object_id)

    def response_change(self, request, obj):
        if getattr(request, "reverting", False):
            with review.deferred_evidence():
                self.settle(request, obj)
        if getattr(obj, "_review_outcome", None) == "proposed":
            name = self.opts.model_name
            if "_continue" not in request.POST:
                return redirect(reverse(f"admin:positions_{name}_changelist"))
            # Straight to the proposed change (``obj`` is it, since review.propose), not back
            # to the published claim's page, which would say again that a change awaits review.
            return redirect(reverse(f"admin:positions_{name}_change", args=[obj.pk]))
        return super().response_change(request, obj)

    # ---------------------------------------------------------------- actions

    def decide(self, request, queryset, decision, verb):
        """Each selected claim decided on its own (one transaction, its row locked), unless it
        changed after the list was loaded; what was not done is said, with why."""
        done = 0
        since = seen_at(request)
        for claim in queryset.order_by("pk"):
            try:
                decision(claim, since)
            except ValueError as exc:
                self.message_user(
                    request, format_html("Not {}: {}", verb, refusal(exc)), messages.WARNING
                )
                continue
            done += 1
        self.message_user(request, f"{done} {verb}.", messages.SUCCESS)

    @admin.action(description="Mark as reviewed", permissions=["publish"])
    def mark_reviewed(self, request, queryset):
        self.decide(
            request,
            queryset,
            lambda c, since: review.mark_reviewed(c, request.user, since=since),
            "marked reviewed",
        )

    @admin.action(description="Publish (approve)", permissions=["publish"])
    def publish(self, request, queryset):
        self.decide(
            request,
            queryset,
            lambda c, since: review.approve(c, request.user, since=since),
            "marked published",
        )

    @admin.action(
        description="Withdraw (editors) or propose withdrawal (curators), with the reason given",
        permissions=["change"],
    )
    def withdraw(self, request, queryset):
        reason = request.POST.get("reason", "")
        if self.has_publish_permission(request):
            self.decide(
                request,
                queryset,
                lambda c, since: review.withdraw(c, request.user, reason, since),
                "withdrawn",
            )
        else:
            self.decide(
                request,
                queryset,
                lambda c, since: review.propose_withdrawal(c, request.user, reason, since),
                "proposed for withdrawal: an editor reviews it in the review queue",
            )

    @admin.action(description="Send back (with the reason given)", permissions=["publish"])
    def send_back(self, request, queryset):
        reason = request.POST.get("reason", "").strip()
        self.decide(
            request,
            queryset,
            lambda c, since: review.send_back(c, request.user, reason, since=since),
            "sent back",
        )


def replace_inline_rows(formset, owner):
    """A proposed change gets the rows its form submitted, as copies: the published claim's own
    citations and links are never touched. Rows the form did not include are copied as they are,
    as Django leaves them alone in a normal save."""
    fk = formset.fk.name
    shown = list(formset.get_queryset())  # the published claim's rows the form was built on
    covered = {form.instance.pk for form in formset.initial_forms}
    formset.model._base_manager.filter(**{fk: owner}).delete()
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    rows = [row for row in shown if row.pk not in covered]
    for form in formset.forms:
        if form.instance.pk is None and not form.has_changed():
            continue  # an empty extra form
        if formset.can_delete and formset._should_delete_form(form):
            continue
        rows.append(form.save(commit=False))
    for row in rows:
        row.pk = None
        row._state.adding = True
        setattr(row, fk, owner)
        row.save()
        formset.new_objects.append(row)


@admin.register(models.Stance)
class StanceAdmin(ClaimAdmin):
    list_display = ["actor", "issue", "talk_round", "code", "attribution", "confidence", "status"]
    list_filter = [
        ("issue", admin.RelatedOnlyFieldListFilter),
        "code",
        "attribution",
        "confidence",
        *ClaimAdmin.list_filter,
    ]
    list_select_related = ["actor", "issue", "talk_round", "reviewed_by"]
    search_fields = ["summary", "note", "actor__name", "issue__title", "citations__quote"]
    autocomplete_fields = [*ClaimAdmin.autocomplete_fields, "issue"]
    fields = [
        "actor",
        "issue",
        "talk_round",
        "code",
        "summary",
        "attribution",
        "confidence",
        "note",
        "status",
        "reviewed_by",
        "reviewed_at",
    ]


class AnswerInline(admin.TabularInline):
    """The responses that answer a demand, under the demand."""

    model = models.Response.answers.through
    extra = 0
    autocomplete_fields = ["response"]
    verbose_name = "answer"
    verbose_name_plural = "answers (counterproposals / responses to this demand)"


@admin.register(models.Demand)
class DemandAdmin(ClaimAdmin):
    list_display = ["slug", "actor", "talk_round", "bindingness", "outcome", "status"]
    list_filter = [
        ("issues", admin.RelatedOnlyFieldListFilter),
        "bindingness",
        "outcome",
        *ClaimAdmin.list_filter,
    ]
    search_fields = ["slug", "text", "note", "actor__name", "citations__quote"]
    autocomplete_fields = [*ClaimAdmin.autocomplete_fields, "issues"]
    prepopulated_fields = {"slug": ["text"]}
    inlines = [CitationInline, AnswerInline]
    fields = [
        "actor",
        "talk_round",
        "text",
        "slug",
        "issues",
        "bindingness",
        "outcome",
        "note",
        "status",
        "reviewed_by",
        "reviewed_at",
    ]


@admin.register(models.Response)
class ResponseAdmin(ClaimAdmin):
    list_display = ["slug", "actor", "kind", "talk_round", "status"]
    list_filter = [("issues", admin.RelatedOnlyFieldListFilter), "kind", *ClaimAdmin.list_filter]
    search_fields = ["slug", "text", "note", "actor__name", "citations__quote"]
    autocomplete_fields = [*ClaimAdmin.autocomplete_fields, "issues", "answers", "replies_to"]
    prepopulated_fields = {"slug": ["text"]}
    fields = [
        "actor",
        "talk_round",
        "kind",
        "text",
        "slug",
        "issues",
        "answers",
        "replies_to",
        "note",
        "status",
        "reviewed_by",
        "reviewed_at",
    ]
