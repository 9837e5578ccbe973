"""The API's stances written from narrow rows: a page of stances is two queries of plain values
(the stances with the names of what they link to, then their citations with their sources) made
into JSON by hand, with no model instance and no serializer field run per value.

The shape is StanceSerializer's (positions/api/serializers.py): the serializer is what the OpenAPI
document describes, and tests/test_api.py holds this writer to the serializer's output, stance
for stance. What a code means comes from the one rule, ``stance_rule.reading``."""

from positions import models
from positions.api.serializers import absolute
from positions.paths import page_paths
from positions.stance_rule import reading

STANCE_FIELDS = (
    "pk",
    *("actor__slug", "actor__name", "actor__affiliation__slug", "actor__affiliation__name"),
    *("issue__slug", "issue__title", "talk_round__slug", "talk_round__title"),
    *("code", "summary", "attribution", "confidence", "note"),
)

CITATION_FIELDS = (
    *("pk", "stance_id", "source__slug", "source__title"),
    *("quote", "prefix", "suffix", "start", "end"),
)

# Each kind of link: the view names of its API URL and of its page, and the field it is named by.
LINKS = {
    "actor": ("api:actor-detail", "positions:actor", "name"),
    "issue": ("api:issue-detail", "positions:issue", "title"),
    "round": ("api:round-detail", "positions:round", "title"),
    "source": ("api:source-detail", "positions:source", "title"),
}


class Writer:
    """Links and URLs for one response: each link written once however often a page names it."""

    def __init__(self, request):
        self.origin = absolute(request, "")
        self.path = page_paths()
        self.links = {}

    def url(self, view_name, arg):
        return self.origin + self.path(view_name, arg)

    def link(self, kind, slug, label):
        if slug is None:
            return None
        key = (kind, slug)
        if key not in self.links:
            api_view, page_view, label_field = LINKS[kind]
            self.links[key] = {
                "slug": slug,
                label_field: label,
                "api_url": self.url(api_view, slug),
                "page_url": self.url(page_view, slug),
            }
        return self.links[key]

    def citation(self, c):
        source = c["source__slug"]
        return {
            "id": c["pk"],
            "api_url": self.url("api:citation-detail", c["pk"]),
            "page_url": f"{self.url('positions:source', source)}#c{c['start']}-{c['end']}",
            "source": self.link("source", source, c["source__title"]),
            "quote": c["quote"],
            "prefix": c["prefix"],
            "suffix": c["suffix"],
            "start": c["start"],
            "end": c["end"],
        }

    def stance(self, s, citations):
        actor = self.link("actor", s["actor__slug"], s["actor__name"])
        party_slug = s["actor__affiliation__slug"]
        party = (
            self.link("actor", party_slug, s["actor__affiliation__name"]) if party_slug else actor
        )
        meaning = reading(s["code"], s["attribution"], s["actor__slug"], party_slug)
        return {
            "id": s["pk"],
            "api_url": self.url("api:stance-detail", s["pk"]),
            "page_url": self.url("positions:stance", s["pk"]),
            "actor": actor,
            "party": party,
            "issue": self.link("issue", s["issue__slug"], s["issue__title"]),
            "round": self.link("round", s["talk_round__slug"], s["talk_round__title"]),
            "stance": s["code"],
            "stance_label": models.StanceCode(s["code"]).label,
            "direction": meaning["direction"],
            "emphatic": meaning["emphatic"],
            "analysis": meaning["analysis"],
            "position": meaning["position"],
            "counts_for": party if meaning["counts_for"] == party["slug"] else actor,
            "summary": s["summary"],
            "attribution": s["attribution"],
            "confidence": s["confidence"],
            "note": s["note"],
            "citations": [self.citation(c) for c in citations],
        }


def stances(rows, request):
    """Stances (rows of ``STANCE_FIELDS``) as the API shows them, with their citations in the
    curators' order: one query more, whatever the number of rows."""
    rows = list(rows)
    cited = {row["pk"]: [] for row in rows}
    if cited:
        quotes = (
            models.Citation.objects.filter(stance_id__in=cited)
            .order_by("order", "pk")
            .values(*CITATION_FIELDS)
        )
        for c in quotes:
            cited[c["stance_id"]].append(c)
    writer = Writer(request)
    return [writer.stance(row, cited[row["pk"]]) for row in rows]
