"""Read-only viewsets: a request becomes a FilterSet (the site's own, for stances), the FilterSet
a queryset from positions/api/queries.py, the queryset a page of JSON.

Anonymous and throttled per client (settings.REST_FRAMEWORK). A viewset only answers GET, HEAD and
OPTIONS: any other method is a 405.
"""

import functools

from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from positions.api import filters, queries, records, serializers
from positions.api.paging import Pages
from positions.exports import package_rows
from positions.site import comparison, http_cache
from positions.site.filters import StanceFilter


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = Pages
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    ordering_fields = ["slug"]

    def initial(self, request, *args, **kwargs):
        """After the throttle: a parameter the operation does not take is a 400 naming it, never
        silently ignored (a misspelt filter would otherwise return everything)."""
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return  # OPTIONS describes, any other method is a 405 whatever it asks
        known = self.known_parameters()
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            takes = ", ".join(sorted(known)) or "none"
            message = f"Not a parameter of this endpoint. It takes: {takes}."
            raise ValidationError({name: [message] for name in unknown})

    def known_parameters(self):
        """What the OpenAPI document lists for this operation: a list's filters, paging and
        ordering; an item takes none."""
        if self.action != "list":
            return set()
        paging = self.pagination_class
        filters = self.filterset_class.base_filters if self.filterset_class else {}
        return {*filters, paging.page_query_param, paging.page_size_query_param, "ordering"}

    def list(self, request, *args, **kwargs):
        return self.kept(request, functools.partial(self.made_list, request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        return self.kept(request, functools.partial(self.made_detail, request, *args, **kwargs))

    def made_list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def made_detail(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    def kept(self, request, make):
        """The JSON of a list or an item, made once per dataset version, URL and format and kept
        (http_cache.kept); the throttle still counts every request."""

        def rendered():
            response = make()
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            return response.render()

        path = request.get_full_path()
        name = f"api\n{request.get_host()}\n{path}\n{request.accepted_media_type}"
        return http_cache.kept(request, name, rendered)

    def get_throttles(self):
        self.throttles = super().get_throttles()  # kept, to say how much of the rate is left
        return self.throttles

    def finalize_response(self, request, response, *args, **kwargs):
        """Every answer says the client's rate (the RateLimit-* fields of the IETF draft): how
        many requests a window allows, how many are left, and in how many seconds it resets."""
        response = super().finalize_response(request, response, *args, **kwargs)
        for throttle in getattr(self, "throttles", []):
            history = getattr(throttle, "history", None)
            if history is None or not getattr(throttle, "num_requests", None):
                continue
            reset = throttle.duration - (throttle.timer() - history[-1]) if history else 0
            response["RateLimit-Limit"] = str(throttle.num_requests)
            response["RateLimit-Remaining"] = str(max(0, throttle.num_requests - len(history)))
            response["RateLimit-Reset"] = str(max(0, int(reset)))
        return response


# StanceFilter's labels are written for the site's form; the API's readers get a sentence.
STANCE_PARAMETERS = [
    OpenApiParameter(
        "issue", OpenApiTypes.STR, description="An issue's slug: with its sub-issues."
    ),
    OpenApiParameter(
        "actor", OpenApiTypes.STR, description="An actor's slug: a party with its officials."
    ),
    OpenApiParameter("source", OpenApiTypes.STR, description="A source's slug: stances citing it."),
]


@extend_schema_view(list=extend_schema(parameters=STANCE_PARAMETERS))
class StanceViewSet(PublicViewSet):
    """Published stances, filtered exactly as on /claims/ (positions.site.filters.StanceFilter):
    `issue` (with its sub-issues), `round` (said at that round), `as_of` (said up to that
    round, or standing), `actor` (a party with its officials), `actor_kind`, `stance`
    (repeatable), `source` and `analysis=exclude|only`."""

    lookup_field = "pk"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["id"]
    serializer_class = serializers.StanceSerializer
    filterset_class = StanceFilter

    def get_queryset(self):
        return queries.stances()

    def made_list(self, request, *args, **kwargs):
        """A page of stances from two queries of plain values (positions/api/records.py), in
        StanceSerializer's shape."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset.values(*records.STANCE_FIELDS))
        return self.get_paginated_response(records.stances(page, request))

    def made_detail(self, request, *args, **kwargs):
        return Response(records.stances([self.values_of(records.STANCE_FIELDS)], request)[0])

    def values_of(self, fields):
        """The stance the URL names, as ``fields`` in one query (get_object's checks: the
        filters, and a 404 for a stance that is not published)."""
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        return get_object_or_404(
            self.filter_queryset(self.get_queryset()).values(*fields), **lookup
        )


@extend_schema_view(list=extend_schema(parameters=STANCE_PARAMETERS))
class StanceRowViewSet(StanceViewSet):
    """Published stances as flat rows, one a stance, as the data package's stances.csv: what a
    data frame wants, read straight from the database without building nested links. The same
    filters, order and lookup as /stances/ (it is that viewset, written flat)."""

    serializer_class = serializers.StanceRowSerializer

    def made_list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset.values(*package_rows.STANCE_VALUES))
        absolute = functools.partial(serializers.absolute, request)
        # The rows are plain JSON already: StanceRowSerializer documents them (the OpenAPI
        # document, and the schema test) without being run over each field of each row.
        rows = [package_rows.stance_row(s, absolute) for s in page]
        return self.get_paginated_response(rows)

    def made_detail(self, request, *args, **kwargs):
        absolute = functools.partial(serializers.absolute, request)
        return Response(
            package_rows.stance_row(self.values_of(package_rows.STANCE_VALUES), absolute)
        )


class DemandViewSet(PublicViewSet):
    """Published demands, in the order of the rounds."""

    serializer_class = serializers.DemandSerializer
    filterset_class = filters.DemandFilter

    def get_queryset(self):
        return queries.demands()


class ResponseViewSet(PublicViewSet):
    """Published counterproposals and responses: what each answers and replies to, and the
    replies it drew (published ones only)."""

    serializer_class = serializers.ResponseSerializer
    filterset_class = filters.ResponseFilter

    def get_queryset(self):
        return queries.responses()


class CitationViewSet(PublicViewSet):
    """The verbatim passages that published claims and rounds cite, in the order of the sources'
    text."""

    lookup_field = "pk"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["id"]
    serializer_class = serializers.CitationSerializer
    filterset_class = filters.CitationFilter

    def get_queryset(self):
        return queries.citations()


class SourceViewSet(PublicViewSet):
    """The source articles. A source's own page (its detail) includes the text, verbatim."""

    filterset_class = filters.SourceFilter

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.SourceDetailSerializer
        return serializers.SourceSerializer

    def get_queryset(self):
        return queries.sources(with_text=self.action == "retrieve")


class ActorViewSet(PublicViewSet):
    """Parties (states, alliances, organisations), their officials and bodies, and analysts."""

    serializer_class = serializers.ActorSerializer
    filterset_class = filters.ActorFilter

    def get_queryset(self):
        return queries.actors()


class IssueViewSet(PublicViewSet):
    """The issues, each phrased as a proposition, nested one level under their clusters."""

    serializer_class = serializers.IssueSerializer
    filterset_class = filters.IssueFilter

    def get_queryset(self):
        return queries.issues()

    def get_serializer(self, *args, **kwargs):
        """With the state of play of the issues to show: one query for a page of them."""
        if args:
            issues = args[0] if kwargs.get("many") else [args[0]]
            context = kwargs.setdefault("context", self.get_serializer_context())
            context["plays"] = comparison.plays([issue.pk for issue in issues])
        return super().get_serializer(*args, **kwargs)


class RoundViewSet(PublicViewSet):
    """The rounds of talks, in order, with the passages that date and place them."""

    serializer_class = serializers.RoundSerializer
    filterset_class = filters.RoundFilter

    def get_queryset(self):
        return queries.rounds()


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's static files. The split view serves its start-up
    script as a file of its own, and our template moves the stock inline <style> to a static
    stylesheet: the page needs no exception to the site's Content-Security-Policy."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    http_method_names = ["get", "head"]  # a page to read: OPTIONS has nothing to describe


def schema():
    """The OpenAPI document (the record-naming filters list the records that exist now)."""
    return SchemaGenerator().get_schema(request=None, public=True)


def operations():
    """Each endpoint of the OpenAPI document, with its parameters, for a page to read."""
    document = schema()
    for path, methods in document["paths"].items():
        get = methods.get("get")
        if get is None:
            continue
        parameters = []
        for p in get.get("parameters", []):
            kind = p.get("schema", {})
            values = kind.get("enum") or kind.get("items", {}).get("enum") or []
            parameters.append(
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "type": kind.get("type", ""),
                    "values": values,
                    # Without the list of choices drf-spectacular appends: they are "values".
                    "description": ""
                    if p.get("description", "").startswith("* `")
                    else p.get("description", "").split("\n\n* `")[0],
                }
            )
        yield {
            "path": path,
            "summary": get.get("summary") or get.get("description", "").split("\n")[0],
            "parameters": parameters,
        }


class GuideView(TemplateView):
    """The API's documentation as a plain page, from the same OpenAPI document: every endpoint
    and parameter, readable without JavaScript and in a few kilobytes. Swagger UI, to try calls
    in the browser, is one link away."""

    template_name = "api/guide.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "operations": list(operations())}
