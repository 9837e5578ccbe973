"""How the API shows each resource: its fields, its API URL (`api_url`), its page on the site
(`page_url`) and links to what it refers to, each a slug (an id for stances and citations), a
title and both URLs. Serializers read what the view's queryset loaded (positions/api/queries.py)
and never query."""

from urllib.parse import urlencode

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from positions import models
from positions.paths import page_path
from positions.stance_rule import STATES


def absolute(request, path):
    """``request.build_absolute_uri(path)`` for a path, the scheme and host worked out once per
    request: a page of stances writes several thousand links."""
    if not hasattr(request, "_origin"):
        request._origin = request.build_absolute_uri("/").removesuffix("/")
    return request._origin + path


@extend_schema_field(OpenApiTypes.URI)
class PageURLField(serializers.Field):
    """The object's public page (`get_absolute_url`); for a citation, the passage itself."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return absolute(self.context["request"], value.get_absolute_url())


@extend_schema_field(OpenApiTypes.URI)
class FilteredListField(serializers.Field):
    """A list endpoint filtered to this object, e.g. an actor's stances: `/stances/?actor=`."""

    def __init__(self, view_name, param, lookup="slug", **kwargs):
        self.view_name, self.param, self.lookup = view_name, param, lookup
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        url = reverse(self.view_name, request=self.context["request"])
        return f"{url}?{urlencode({self.param: getattr(value, self.lookup)})}"


class DateField(serializers.DateField):
    """A date as the data package writes it: a full ISO date, as precise as ``date_precision``
    says (a month's date is its 1st, a year's 1 January); null when unknown."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "ISO date, to date_precision: a month is its 1st day, a "
            "year 1 January; null when the sources give none.",
        )
        super().__init__(read_only=True, allow_null=True, **kwargs)


class APIURLField(serializers.HyperlinkedIdentityField):
    """An object's API URL, its path remembered (positions/paths.py): a page of stances links
    the same actors, issues and rounds hundreds of times."""

    def get_url(self, obj, view_name, request, format):
        return absolute(request, page_path(view_name, getattr(obj, self.lookup_field)))


def api_url(view_name, lookup_field="slug"):
    return APIURLField(view_name=f"api:{view_name}-detail", lookup_field=lookup_field)


# --------------------------------------------------------------------------- links


def link(name, model, view_name, fields, lookup="slug"):
    """A link to another resource: its key and label, its API URL and its page. One shape for
    every link, named (``SourceLink``...) as the OpenAPI document names its components."""
    meta = type("Meta", (), {"model": model, "fields": [*fields, "api_url", "page_url"]})
    body = {
        "__module__": __name__,
        "__doc__": f"A link to one {model._meta.verbose_name}.",
        "api_url": api_url(view_name, lookup),
        "page_url": PageURLField(),
        "Meta": meta,
        "to_representation": remembered_link,
    }
    return type(name, (serializers.ModelSerializer,), body)


def remembered_link(self, instance):
    """A link written once per response: a page of stances names the same actors, issues and
    rounds again and again. Kept in the request, so one response never sees another's host."""
    request = self.context["request"]
    links = request.__dict__.setdefault("_links", {})
    key = (type(self), instance.pk)
    if key not in links:
        links[key] = serializers.ModelSerializer.to_representation(self, instance)
    return links[key]


SourceLink = link("SourceLink", models.Source, "source", ["slug", "title"])
ActorLink = link("ActorLink", models.Actor, "actor", ["slug", "name"])
IssueLink = link("IssueLink", models.Issue, "issue", ["slug", "title"])
RoundLink = link("RoundLink", models.TalkRound, "round", ["slug", "title"])
StanceLink = link("StanceLink", models.Stance, "stance", ["id"], lookup="pk")
DemandLink = link("DemandLink", models.Demand, "demand", ["slug"])
ResponseLink = link("ResponseLink", models.Response, "response", ["slug", "kind"])


# --------------------------------------------------------------------------- citations


class QuoteSerializer(serializers.ModelSerializer):
    """A verbatim passage as a claim or round cites it: `page_url` is the passage's permalink
    in the source; `start` and `end` are offsets in the source's text."""

    api_url = api_url("citation", "pk")
    page_url = PageURLField()
    source = SourceLink(read_only=True)

    class Meta:
        model = models.Citation
        fields = [
            "id",
            "api_url",
            "page_url",
            "source",
            "quote",
            "prefix",
            "suffix",
            "start",
            "end",
        ]


class CitationSerializer(QuoteSerializer):
    """A citation and what it backs: exactly one of stance, demand, response and round."""

    stance = StanceLink(read_only=True, allow_null=True)
    demand = DemandLink(read_only=True, allow_null=True)
    response = ResponseLink(read_only=True, allow_null=True)
    round = RoundLink(source="talk_round", read_only=True, allow_null=True)

    class Meta(QuoteSerializer.Meta):
        fields = [*QuoteSerializer.Meta.fields, "stance", "demand", "response", "round"]


# --------------------------------------------------------------------------- claims


class ClaimSerializer(serializers.ModelSerializer):
    """Who (the actor, and the party its claims count for), where (the round, or none for a
    standing position) and the verbatim passages it cites."""

    page_url = PageURLField()
    actor = ActorLink(read_only=True)
    party = ActorLink(source="actor.party", read_only=True)
    round = RoundLink(source="talk_round", read_only=True, allow_null=True)
    citations = QuoteSerializer(many=True, read_only=True)


class StanceSerializer(ClaimSerializer):
    api_url = api_url("stance", "pk")
    issue = IssueLink(read_only=True)
    stance = serializers.CharField(source="code", read_only=True)
    stance_label = serializers.SerializerMethodField()
    direction = serializers.CharField(read_only=True)
    position = serializers.BooleanField(
        source="is_position",
        read_only=True,
        help_text="A position that counts for its party; false for an analyst's reading or a "
        "forecast, which count only for whoever made them (/codebook/#rules).",
    )
    emphatic = serializers.BooleanField(
        read_only=True, help_text="One of the two strongest codes: demands, rejects."
    )

    def get_stance_label(self, stance) -> str:
        # A method field: DRF inspects the signature of a callable source on every row.
        return stance.get_code_display()

    analysis = serializers.BooleanField(
        source="is_analysis",
        read_only=True,
        help_text="An analyst's assessment or proposal, not a party's.",
    )
    counts_for = ActorLink(
        read_only=True,
        help_text="The actor whose column it counts in: a position its party's, anything else "
        "the speaker's own.",
    )

    class Meta:
        model = models.Stance
        fields = [
            *("id", "api_url", "page_url", "actor", "party", "issue", "round"),
            *("stance", "stance_label", "direction", "emphatic", "analysis", "position"),
            *("counts_for", "summary", "attribution", "confidence", "note", "citations"),
        ]


class DemandSerializer(ClaimSerializer):
    api_url = api_url("demand")
    issues = IssueLink(many=True, read_only=True)
    responses = ResponseLink(many=True, read_only=True)

    class Meta:
        model = models.Demand
        fields = [
            *("slug", "api_url", "page_url", "actor", "party", "round", "issues"),
            *("text", "bindingness", "outcome", "responses", "citations"),
        ]


class ResponseSerializer(ClaimSerializer):
    api_url = api_url("response")
    issues = IssueLink(many=True, read_only=True)
    answers = DemandLink(many=True, read_only=True)
    replies_to = ResponseLink(many=True, read_only=True)
    replies = ResponseLink(many=True, read_only=True)

    class Meta:
        model = models.Response
        fields = [
            *("slug", "api_url", "page_url", "actor", "party", "round", "kind", "issues"),
            *("text", "answers", "replies_to", "replies", "citations"),
        ]


# --------------------------------------------------------------------------- reference data


class SourceSerializer(serializers.ModelSerializer):
    api_url = api_url("source")
    page_url = PageURLField()
    published_on = DateField()
    published_display = serializers.CharField(read_only=True)
    citation_count = serializers.IntegerField(source="n_citations", read_only=True)
    citations = FilteredListField("api:citation-list", "source")

    class Meta:
        model = models.Source
        fields = [
            *("slug", "api_url", "page_url", "title", "author", "publisher"),
            *("original_publisher", "published_on", "date_precision", "published_display"),
            *("url", "kind", "metadata_note", "sha256", "citation_count", "citations"),
        ]


class SourceDetailSerializer(SourceSerializer):
    """One source with its text, verbatim: the text that citations' offsets count in."""

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "text"]


class ActorSerializer(serializers.ModelSerializer):
    api_url = api_url("actor")
    page_url = PageURLField()
    affiliation = ActorLink(read_only=True, allow_null=True)
    members = ActorLink(many=True, read_only=True)
    stances = FilteredListField("api:stance-list", "actor")
    demands = FilteredListField("api:demand-list", "actor")
    responses = FilteredListField("api:response-list", "actor")

    class Meta:
        model = models.Actor
        fields = [
            *("slug", "api_url", "page_url", "name", "kind", "role", "affiliation", "members"),
            *("description", "stances", "demands", "responses"),
        ]


class PlaySerializer(serializers.Serializer):
    """Where the talks stand on a proposition (positions/stance_rule.py, /codebook/#state)."""

    state = serializers.ChoiceField(choices=list(STATES), read_only=True)
    label = serializers.CharField(read_only=True)
    since = RoundLink(read_only=True, allow_null=True, help_text="The round it took this state.")


class IssueSerializer(serializers.ModelSerializer):
    api_url = api_url("issue")
    page_url = PageURLField()
    parent = IssueLink(read_only=True, allow_null=True)
    children = IssueLink(many=True, read_only=True)
    stances = FilteredListField("api:stance-list", "issue")
    demands = FilteredListField("api:demand-list", "issue")
    responses = FilteredListField("api:response-list", "issue")
    state = serializers.SerializerMethodField()

    class Meta:
        model = models.Issue
        fields = [
            *("slug", "api_url", "page_url", "title", "description", "parent", "children"),
            *("state", "stances", "demands", "responses"),
        ]

    @extend_schema_field(PlaySerializer(allow_null=True))
    def get_state(self, issue):
        """The view loads the state of play of the issues it shows (``plays`` in the context);
        null where no party has a position."""
        play = self.context.get("plays", {}).get(issue.pk)
        return PlaySerializer(play, context=self.context).data if play else None


class RoundSerializer(serializers.ModelSerializer):
    api_url = api_url("round")
    page_url = PageURLField()
    start_date = DateField()
    end_date = DateField()
    date_display = serializers.CharField(read_only=True)
    participants = ActorLink(many=True, read_only=True)
    citations = QuoteSerializer(many=True, read_only=True)
    stances = FilteredListField("api:stance-list", "round")
    demands = FilteredListField("api:demand-list", "round")
    responses = FilteredListField("api:response-list", "round")

    class Meta:
        model = models.TalkRound
        fields = [
            *("slug", "api_url", "page_url", "title", "order", "format", "city", "venue"),
            *("start_date", "end_date", "date_precision", "date_display", "date_note"),
            *("participants", "outcome", "citations", "stances", "demands", "responses"),
        ]


class StanceRowSerializer(serializers.Serializer):
    """One stance as one flat row, as the data package's stances.csv has it: slugs, codes and
    what they mean, no nested links (positions/exports/package_rows.py)."""

    id = serializers.IntegerField()
    actor = serializers.CharField(help_text="The actor's slug.")
    party = serializers.CharField(help_text="The party it speaks for (itself for a party).")
    issue = serializers.CharField(help_text="The proposition's slug.")
    round = serializers.CharField(allow_null=True, help_text="The round's slug; null: standing.")
    stance = serializers.CharField(help_text="The stance code (/codebook/).")
    stance_label = serializers.CharField()
    direction = serializers.CharField()
    emphatic = serializers.BooleanField()
    analysis = serializers.BooleanField()
    position = serializers.BooleanField()
    counts_for = serializers.CharField(help_text="The actor whose column it counts in.")
    summary = serializers.CharField()
    attribution = serializers.CharField()
    confidence = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    permalink = serializers.URLField()
