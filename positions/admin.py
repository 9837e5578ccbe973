"""The curators' admin: validated citations, review before publishing, and full history.

- A citation's offsets are computed from its quote on save, never typed; a quote that is not
  verbatim in its source, or is ambiguous, is refused with the closest passage shown.
- Curators add and change; only users with a ``publish_*`` permission (editors) set a claim's
  status. A curator's change to a claim sends it back to draft for review.
- Every curated model keeps its history (django-simple-history): who, when, what changed, and a
  revert from any version.
"""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from positions.citations import sha256_text
from positions.models import (
    Actor,
    Citation,
    Demand,
    Issue,
    Response,
    Source,
    Stance,
    Status,
    TalkRound,
)


class CitationInline(admin.StackedInline):
    model = Citation
    extra = 1
    fields = ["source", "quote", ("prefix", "suffix"), "order", "offsets"]
    readonly_fields = ["offsets"]
    autocomplete_fields = ["source"]

    @admin.display(description="offsets (computed)")
    def offsets(self, citation):
        if citation.pk:
            return f"{citation.start}–{citation.end}"
        return "computed when saved"


class HistoryAdmin(SimpleHistoryAdmin):
    history_list_display = ["history_change_reason"]


# --------------------------------------------------------------------------- sources


class SourceForm(forms.ModelForm):
    url = forms.URLField(required=False, max_length=500, assume_scheme="https")
    upload = forms.FileField(
        required=False,
        help_text="Or upload the article as a UTF-8 text file instead of pasting it.",
    )

    class Meta:
        model = Source
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
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("text", "file_name"):
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload:
            try:
                cleaned["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("upload", "The file is not UTF-8 text.")
        if "text" in self.fields and not cleaned.get("text"):
            self.add_error("text", "Paste the article's text or upload it.")
        if "file_name" in self.fields and not cleaned.get("file_name") and cleaned.get("slug"):
            cleaned["file_name"] = f"{cleaned['slug']}.txt"
        return cleaned

    def save(self, commit=True):
        source = super().save(commit=False)
        if "text" in self.cleaned_data and self.cleaned_data.get("text"):
            source.text = self.cleaned_data["text"]
            source.file_name = self.cleaned_data.get("file_name") or source.file_name
        source.sha256 = sha256_text(source.text)
        if commit:
            source.save()
        return source


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    form = SourceForm
    list_display = ["title", "author", "publisher", "published_display", "kind", "n_citations"]
    list_filter = ["kind", "date_precision"]
    search_fields = ["title", "author", "publisher", "slug"]
    readonly_fields = ["sha256"]
    prepopulated_fields = {"slug": ["title"]}

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
        if self.is_cited(obj):
            return ["sha256", "text", "file_name"]
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if self.is_cited(obj):
            kwargs["fields"] = [f for f in SourceForm.Meta.fields if f not in ("text", "file_name")]
        return super().get_form(request, obj, **kwargs)


# --------------------------------------------------------------------------- reference data


@admin.register(Actor)
class ActorAdmin(HistoryAdmin):
    list_display = ["name", "kind", "role", "affiliation", "order"]
    list_filter = ["kind"]
    list_select_related = ["affiliation"]
    search_fields = ["name", "slug", "role"]
    autocomplete_fields = ["affiliation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Issue)
class IssueAdmin(HistoryAdmin):
    list_display = ["title", "parent", "order"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["title", "slug", "description"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(TalkRound)
class TalkRoundAdmin(HistoryAdmin):
    list_display = ["title", "format", "city", "date_display", "order"]
    list_filter = ["format"]
    search_fields = ["title", "city", "venue", "slug"]
    autocomplete_fields = ["participants"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CitationInline]


# --------------------------------------------------------------------------- claims


class ClaimAdmin(HistoryAdmin):
    """Shared by stances, demands and responses: review status, publishing, citations inline."""

    list_filter = [
        "status",
        "talk_round",
        ("actor", admin.RelatedOnlyFieldListFilter),
        "citations__source",
    ]
    list_select_related = ["actor", "talk_round", "reviewed_by"]
    autocomplete_fields = ["actor", "talk_round"]
    readonly_fields = ["reviewed_by", "reviewed_at"]
    inlines = [CitationInline]
    actions = ["mark_reviewed", "publish", "back_to_draft"]
    history_list_display = ["status", "history_change_reason"]

    def publish_permission(self):
        return f"positions.publish_{self.model._meta.model_name}"

    def has_publish_permission(self, request):
        return request.user.has_perm(self.publish_permission())

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields.append("status")
        return fields

    def save_model(self, request, obj, form, change):
        if self.has_publish_permission(request):
            if "status" in form.changed_data and obj.status != Status.DRAFT:
                obj.reviewed_by, obj.reviewed_at = request.user, timezone.now()
        elif change and form.has_changed():
            obj.status = Status.DRAFT  # a curator's correction goes back for review
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if obj.status != Status.DRAFT and not obj.citations.exists():
            type(obj).objects.filter(pk=obj.pk).update(status=Status.DRAFT)
            obj.status = Status.DRAFT
            messages.error(
                request, "A claim with no citation cannot be published; it was saved as a draft."
            )
        elif (
            not self.has_publish_permission(request)
            and change
            and any(f.has_changed() for fs in formsets for f in fs.forms)
            and obj.status != Status.DRAFT
        ):
            type(obj).objects.filter(pk=obj.pk).update(status=Status.DRAFT)
            obj.status = Status.DRAFT

    def set_status(self, request, queryset, status):
        done = 0
        for claim in queryset.prefetch_related("citations"):
            if status != Status.DRAFT and not claim.citations.all():
                self.message_user(request, f"Not changed, no citation: {claim}", messages.WARNING)
                continue
            claim.status = status
            if status != Status.DRAFT:
                claim.reviewed_by, claim.reviewed_at = request.user, timezone.now()
            claim._change_reason = f"marked {status}"
            claim.save()
            done += 1
        self.message_user(request, f"{done} marked {status}.", messages.SUCCESS)

    @admin.action(description="Mark as reviewed", permissions=["publish"])
    def mark_reviewed(self, request, queryset):
        self.set_status(request, queryset, Status.REVIEWED)

    @admin.action(description="Publish", permissions=["publish"])
    def publish(self, request, queryset):
        self.set_status(request, queryset, Status.PUBLISHED)

    @admin.action(description="Send back to draft", permissions=["publish"])
    def back_to_draft(self, request, queryset):
        self.set_status(request, queryset, Status.DRAFT)


@admin.register(Stance)
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

    model = Response.answers.through
    extra = 0
    autocomplete_fields = ["response"]
    verbose_name = "answer"
    verbose_name_plural = "answers (counterproposals / responses to this demand)"


@admin.register(Demand)
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


@admin.register(Response)
class ResponseAdmin(ClaimAdmin):
    list_display = ["slug", "actor", "kind", "talk_round", "status"]
    list_filter = [("issues", admin.RelatedOnlyFieldListFilter), "kind", *ClaimAdmin.list_filter]
    search_fields = ["slug", "text", "note", "actor__name", "citations__quote"]
    autocomplete_fields = [*ClaimAdmin.autocomplete_fields, "issues", "answers", "replies_to"]
    prepopulated_fields = {"slug": ["text"]}


admin.site.site_header = "Parley curation"
admin.site.site_title = "Parley curation"
admin.site.index_title = "Curate the dataset"
