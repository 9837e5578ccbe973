"""The filters of the comparison table and the claims list: plain GET parameters, slugs as values."""

from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import Q

from positions.models import Actor, ActorKind, Issue, Source, Stance, StanceCode, TalkRound
from positions.site.lookups import LookupChoiceField, Lookups
from positions.site.widgets import QuickSelect, Toggle

SEPARATE = "separate"


class AnalysisChoice:
    EXCLUDE = "exclude"
    ONLY = "only"
    CHOICES = [(EXCLUDE, "parties’ positions only"), (ONLY, "assessments and forecasts only")]


class LookupFilter(django_filters.ModelChoiceFilter):
    """One row of a page's lookup (positions/site/lookups.py) named by its slug: the form offers and
    validates the rows the page has read once; the queryset only says which model they are."""

    field_class = LookupChoiceField

    def __init__(self, lookup, **kwargs):
        super().__init__(lookup=lookup, to_field_name="slug", widget=QuickSelect, **kwargs)


class LookupFilterSet(django_filters.FilterSet):
    """A FilterSet whose LookupFilters share one set of lookups: the page's, when it gives them."""

    def __init__(self, *args, lookups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookups = lookups or Lookups()
        for f in self.filters.values():
            if isinstance(f, LookupFilter):
                f.extra["lookups"] = self.lookups


def keep(queryset, name, value):
    """A pick that selects what to show, not which stances: the queryset is left as it is."""
    return queryset


class StanceFilter(LookupFilterSet):
    round = LookupFilter(
        "rounds",
        field_name="talk_round",
        queryset=TalkRound.objects.public(),
        label="Stated at round",
        empty_label="any round",
        help_text="Only what was said at that round itself.",
    )
    as_of = LookupFilter(
        "rounds",
        queryset=TalkRound.objects.public(),
        label="As of round",
        empty_label="latest",
        method="filter_as_of",
        help_text="Each party's latest stance up to that round; a standing position, tied to no "
        "round, counts at every round.",
    )
    issue = LookupFilter(
        "issues",
        queryset=Issue.objects.public(),
        label="Issue",
        empty_label="all issues",
        method="filter_issue",
    )
    actor = LookupFilter(
        "actors",
        queryset=Actor.objects.public(),
        label="Actor",
        empty_label="all actors",
        method="filter_actor",
    )
    actor_kind = django_filters.ChoiceFilter(
        widget=QuickSelect,
        field_name="actor__kind",
        choices=ActorKind.choices,
        label="Kind of actor",
        empty_label="any kind",
    )
    stance = django_filters.MultipleChoiceFilter(
        field_name="code",
        choices=StanceCode.choices,
        label="Stance",
        widget=forms.CheckboxSelectMultiple,
    )
    source = LookupFilter(
        "sources",
        queryset=Source.objects.public(),
        label="Source",
        empty_label="all sources",
        method="filter_source",
    )
    analysis = django_filters.ChoiceFilter(
        widget=QuickSelect,
        choices=AnalysisChoice.CHOICES,
        label="Positions or assessments",
        empty_label="positions, assessments and forecasts",
        method="filter_analysis",
    )

    class Meta:
        model = Stance
        fields = []

    def describe(self):
        """The active filters in words, for the page's title and heading: "" when none (or when
        the filter is invalid)."""
        if not self.is_bound or not self.is_valid():
            return ""
        data = self.form.cleaned_data
        parts = []
        if data.get("issue"):
            parts.append(data["issue"].title)
        if data.get("actor"):
            parts.append(data["actor"].name)
        if data.get("round"):
            parts.append(f"at {data['round'].title}")
        if data.get("as_of"):
            parts.append(f"as of {data['as_of'].title}")
        if data.get("stance"):
            labels = dict(StanceCode.choices)
            parts.append(" or ".join(labels[code] for code in data["stance"]))
        if data.get("source"):
            parts.append(f"from {data['source'].title}")
        if data.get("analysis"):
            parts.append(dict(AnalysisChoice.CHOICES)[data["analysis"]])
        if data.get("actor_kind"):
            parts.append(dict(ActorKind.choices)[data["actor_kind"]])
        return ", ".join(parts)

    def until(self):
        """The round this filter looks back from (as of it, or stated at it), for the state of
        play; None for now, or for an invalid filter."""
        if not self.is_bound or not self.is_valid():
            return None
        data = self.form.cleaned_data
        return data.get("as_of") or data.get("round")

    def active(self):
        """How many filters are set."""
        return sum(1 for name in self.filters if self.data.get(name))

    def filter_as_of(self, queryset, name, value):
        """Stances stated up to that round, and standing positions (tied to no round), which
        hold at every round: the table keeps each actor's latest, a round's over a standing one."""
        return queryset.filter(Q(talk_round__order__lte=value.order) | Q(talk_round__isnull=True))

    def filter_issue(self, queryset, name, value):
        return queryset.on_issue(value)

    def filter_actor(self, queryset, name, value):
        """An actor's own stances and, for a party, those of its officials."""
        return queryset.by_party(value)

    def filter_source(self, queryset, name, value):
        return queryset.filter(pk__in=value.citations.filter(stance__isnull=False).values("stance"))

    def filter_analysis(self, queryset, name, value):
        """A party's positions, or what is not one: analysts' readings and forecasts (the two
        tables of the comparison, positions/stance_rule.py)."""
        if value == AnalysisChoice.EXCLUDE:
            return queryset.positions()
        return queryset.not_positions()


class ComparisonFilter(StanceFilter):
    """The comparison table's filters: the stances' own, and whether officials get a column of
    their own rather than counting under their party."""

    officials = django_filters.ChoiceFilter(
        choices=[(SEPARATE, "Show officials separately")],
        widget=Toggle(SEPARATE),
        label="Show officials separately",
        method=keep,
    )

    def officials_separate(self):
        return self.is_bound and self.is_valid() and self.form.cleaned_data["officials"] == SEPARATE


# --------------------------------------------------------------------------- analysis pages
# The analysis pages (positions/site/analysis.py) take the comparison's filters they need and drop
# the rest (a filter set to None is removed), and add their own picks, validated by the form.


def party_choice(label, **kwargs):
    return LookupFilter(
        "parties", queryset=Actor.objects.public(), label=label, method=keep, **kwargs
    )


def round_choice(label, **kwargs):
    return LookupFilter(
        "rounds",
        queryset=TalkRound.objects.public(),
        label=label,
        empty_label="pick a round",
        required=True,
        **kwargs,
    )


class PairForm(forms.Form):
    def clean(self):
        data = super().clean()
        a, b = data.get("a"), data.get("b")
        if bool(a) != bool(b) and not self.errors:
            raise forms.ValidationError("Pick two parties to list the issues behind their cell.")
        if a and a == b:
            raise forms.ValidationError("Pick two different parties.")
        return data


class AgreementFilter(StanceFilter):
    """/agreement/: the comparison's round, as-of and issue filters, and a pair of parties whose
    cell to open (a and b)."""

    actor = actor_kind = stance = source = analysis = None
    a = party_choice("First party", empty_label="—")
    b = party_choice(
        "Second party",
        empty_label="—",
        help_text="Pick two parties to list the issues behind their cell.",
    )

    class Meta(StanceFilter.Meta):
        form = PairForm


class MovedForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start.order >= end.order:
            raise forms.ValidationError("Pick a “from” round that comes before the “to” round.")
        return data


class MovedFilter(StanceFilter):
    """/moved/?from=&to=: stances as of the "to" round (standing positions included), compared
    with those as of the "from" round; optionally one issue and its sub-issues."""

    round = as_of = actor = actor_kind = stance = source = analysis = None
    to = round_choice("To round", method="filter_as_of")

    class Meta(StanceFilter.Meta):
        form = MovedForm

    @classmethod
    def get_filters(cls):
        """ "from" is a Python keyword, so it cannot be declared as an attribute: add it here,
        first in the form."""
        filters = super().get_filters()
        start = round_choice("From round", method=keep)
        start.field_name = "from"
        return {"from": start, "to": filters.pop("to"), **filters}


MAX_PARTIES = 3


class PartiesForm(forms.Form):
    def clean_party(self):
        parties = self.cleaned_data["party"]
        if not 2 <= len(parties) <= MAX_PARTIES:
            raise forms.ValidationError(f"Pick two or three parties (you picked {len(parties)}).")
        return parties


class PartiesFilter(StanceFilter):
    """/compare/?party=&party=: two or three parties' stances (officials included), as of a round
    and on an issue if asked."""

    round = actor = actor_kind = stance = source = analysis = None
    party = django_filters.ModelMultipleChoiceFilter(
        to_field_name="slug",
        queryset=Actor.objects.public().with_positions().order_by("order", "name"),
        label="Parties",
        widget=forms.CheckboxSelectMultiple,
        method="filter_parties",
        required=True,
    )

    class Meta(StanceFilter.Meta):
        form = PartiesForm

    @classmethod
    def get_filters(cls):
        """The parties first in the form, then as of which round, on which issue."""
        filters = super().get_filters()
        return {"party": filters.pop("party"), **filters}

    def filter_parties(self, queryset, name, value):
        return queryset.by_party(*value)


# --------------------------------------------------------------------------- from a request


def stance_filter(request, filter_class=StanceFilter, lookups=None):
    """The bound filter and its published stances; an invalid filter gives no stances at all."""
    filterset = filter_class(
        request.GET or None, queryset=Stance.objects.published(), lookups=lookups
    )
    if filterset.is_bound and not filterset.is_valid():
        return filterset, Stance.objects.none()
    return filterset, filterset.qs


def canonical_query(request, filterset):
    """The filters as they were understood, in one order: known parameters only, slugs for
    objects, repeated values sorted; what a shared link and the cache key are built from."""
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    pairs = []
    for name in sorted(filterset.filters):
        value = data.get(name)
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in sorted(str(getattr(v, "slug", v)) for v in values if v not in (None, "")):
            pairs.append((name, item))
    return urlencode(pairs)
