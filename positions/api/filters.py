"""The API's filters. Stances use the site's own StanceFilter (positions/site/filters.py), so a filter
gives the same stances here as on /claims/; the other resources filter the same way: by slug, an
actor with its officials, an issue with its sub-issues. An unknown slug or value is a 400."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from positions import models
from positions.site.filters import StanceFilter

# Stances use the site's StanceFilter as it is. drf-spectacular cannot tell the type of its two
# method filters that take a slug (as_of, source): say so here rather than in the site's FilterSet.
for name in ("as_of", "source"):
    extend_schema_field(OpenApiTypes.STR)(StanceFilter.base_filters[name])


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(django_filters.ModelChoiceFilter):
    """One object, named by its slug."""


def by_slug(model, queryset=None, **kwargs):
    return SlugFilter(
        to_field_name="slug",
        queryset=queryset if queryset is not None else model.objects.all(),
        **kwargs,
    )


class ClaimFilter(django_filters.FilterSet):
    """Demands and responses: by actor (a party with its officials, as on the site), round and
    issue (with its sub-issues)."""

    actor = by_slug(
        models.Actor, method="filter_actor", help_text="A party includes its officials."
    )
    round = by_slug(models.TalkRound, field_name="talk_round", help_text="Tabled at that round.")
    issue = by_slug(
        models.Issue, method="filter_issue", help_text="An issue includes its sub-issues."
    )

    def filter_actor(self, queryset, name, value):
        return queryset.by_party(value)

    def filter_issue(self, queryset, name, value):
        return queryset.on_issue(value)


class DemandFilter(ClaimFilter):
    outcome = django_filters.ChoiceFilter(choices=models.DemandOutcome.choices)
    bindingness = django_filters.ChoiceFilter(choices=models.Bindingness.choices)

    class Meta:
        model = models.Demand
        fields = []


class ResponseFilter(ClaimFilter):
    kind = django_filters.ChoiceFilter(choices=models.ResponseKind.choices)
    answers = by_slug(
        models.Demand,
        models.Demand.objects.published(),
        field_name="answers",
        help_text="Answers that demand.",
    )

    class Meta:
        model = models.Response
        fields = []


class CitationFilter(django_filters.FilterSet):
    source = by_slug(models.Source)
    stance = django_filters.ModelChoiceFilter(queryset=models.Stance.objects.published())
    demand = by_slug(models.Demand, models.Demand.objects.published())
    response = by_slug(models.Response, models.Response.objects.published())
    round = by_slug(
        models.TalkRound, field_name="talk_round", help_text="Cited for the round itself."
    )

    class Meta:
        model = models.Citation
        fields = []


class SourceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=models.SourceKind.choices)

    class Meta:
        model = models.Source
        fields = []


class ActorFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=models.ActorKind.choices)
    affiliation = by_slug(models.Actor, help_text="The officials and bodies of that party.")

    class Meta:
        model = models.Actor
        fields = []


class IssueFilter(django_filters.FilterSet):
    parent = by_slug(models.Issue, help_text="The sub-issues of that issue.")

    class Meta:
        model = models.Issue
        fields = []


class RoundFilter(django_filters.FilterSet):
    format = django_filters.ChoiceFilter(choices=models.RoundFormat.choices)
    participant = by_slug(models.Actor, field_name="participants")

    class Meta:
        model = models.TalkRound
        fields = []
