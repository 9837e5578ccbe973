"""The curators' admin. Offsets are computed from the quote on save, never typed."""

from django.contrib import admin

from positions.models import Actor, Citation, Demand, Issue, Response, Source, Stance, TalkRound


class CitationInline(admin.StackedInline):
    model = Citation
    extra = 0
    fields = ["source", "quote", "prefix", "suffix", "order", "start", "end"]
    readonly_fields = ["start", "end"]
    autocomplete_fields = ["source"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "publisher", "published_display", "kind"]
    list_filter = ["kind", "date_precision"]
    search_fields = ["title", "author", "publisher", "text"]
    readonly_fields = ["sha256"]


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "role", "affiliation"]
    list_filter = ["kind"]
    list_select_related = ["affiliation"]
    search_fields = ["name", "slug", "role"]
    autocomplete_fields = ["affiliation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["title", "parent", "order"]
    list_select_related = ["parent"]
    search_fields = ["title", "slug", "description"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(TalkRound)
class TalkRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "format", "city", "date_display", "order"]
    list_filter = ["format"]
    search_fields = ["title", "city", "venue"]
    filter_horizontal = ["participants"]
    inlines = [CitationInline]


class ClaimAdmin(admin.ModelAdmin):
    list_filter = ["status", "talk_round", "actor"]
    list_select_related = ["actor", "talk_round"]
    autocomplete_fields = ["actor", "talk_round"]
    inlines = [CitationInline]

    def save_formset(self, request, form, formset, change):
        for citation_form in formset.forms:
            instance = citation_form.instance
            if instance.source_id and instance.quote:
                instance.anchor()
        super().save_formset(request, form, formset, change)


@admin.register(Stance)
class StanceAdmin(ClaimAdmin):
    list_display = ["actor", "issue", "talk_round", "code", "attribution", "confidence", "status"]
    list_filter = ["code", "attribution", "confidence", *ClaimAdmin.list_filter, "issue"]
    list_select_related = ["actor", "issue", "talk_round"]
    search_fields = ["summary", "actor__name", "issue__title", "citations__quote"]
    autocomplete_fields = [*ClaimAdmin.autocomplete_fields, "issue"]


@admin.register(Demand)
class DemandAdmin(ClaimAdmin):
    list_display = ["slug", "actor", "talk_round", "bindingness", "outcome", "status"]
    list_filter = ["bindingness", "outcome", *ClaimAdmin.list_filter]
    search_fields = ["slug", "text", "citations__quote"]
    filter_horizontal = ["issues"]


@admin.register(Response)
class ResponseAdmin(ClaimAdmin):
    list_display = ["slug", "actor", "kind", "talk_round", "status"]
    list_filter = ["kind", *ClaimAdmin.list_filter]
    search_fields = ["slug", "text", "citations__quote"]
    filter_horizontal = ["issues", "answers", "replies_to"]
