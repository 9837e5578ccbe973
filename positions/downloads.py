"""The downloads: the comparison table, the claims behind it, every demand and response, as CSV
(with a byte-order mark on request, for spreadsheets) or JSON, and the whole dataset as a data
package (positions/datapackage.py). Each honours the filters its page has; none is paged."""

import json

from django.http import HttpResponse
from django.urls import reverse

from positions import csvfiles, datapackage, queries
from positions.filters import officials_separate, stance_filter
from positions.models import ROUND_ORDER

TABLE_FIELDS = [
    "issue",
    "issue_title",
    "parent_issue",
    "actor",
    "actor_name",
    "analysis",
    "stance",
    "stance_label",
    "summary",
    "as_of_round",
    "claims",
    "citations",
    "stance_id",
    "permalink",
    "state",
    "state_label",
    "state_since",
]
CITATION_FIELDS = [
    "citation_id",
    "citation_permalink",
    "source",
    "source_title",
    "quote",
    "start",
    "end",
]
CLAIM_FIELDS = [
    "id",
    "permalink",
    "actor",
    "actor_name",
    "party",
    "issue",
    "round",
    "stance",
    "stance_label",
    "summary",
    "attribution",
    "confidence",
    *CITATION_FIELDS,
]
DEMAND_FIELDS = [
    "slug",
    "permalink",
    "actor",
    "actor_name",
    "party",
    "round",
    "issues",
    "text",
    "bindingness",
    "outcome",
    "outcome_label",
    "note",
    *CITATION_FIELDS,
]
RESPONSE_FIELDS = [
    "slug",
    "permalink",
    "actor",
    "actor_name",
    "party",
    "round",
    "kind",
    "kind_label",
    "issues",
    "answers",
    "replies_to",
    "text",
    "note",
    *CITATION_FIELDS,
]


def wants_bom(request):
    """?bom=1 starts a CSV with a UTF-8 byte order mark, so that Excel reads it as UTF-8."""
    return request.GET.get("bom") == "1"


def csv_response(filename, fields, rows, bom=False):
    """CSV as every download writes it (positions/csvfiles.py): no cell a spreadsheet runs as a
    formula, booleans as true/false, dates as ISO 8601."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    csvfiles.write(response, fields, rows, bom=bom)
    return response


def per_citation(records):
    """One CSV row a citation: the claim's columns, then the citation's. A claim without a
    citation keeps one row, its citation columns empty. Lists of slugs are joined by spaces."""
    for record in records:
        claim = {
            k: " ".join(v) if isinstance(v, list) else v
            for k, v in record.items()
            if k != "citations"
        }
        cites = record["citations"] or [{}]
        for c in cites:
            yield {
                **claim,
                **{(f"citation_{k}" if k in ("id", "permalink") else k): v for k, v in c.items()},
            }


def json_response(data):
    """JSON for download, with <, > and & escaped so no client can take it for markup."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return HttpResponse(text, content_type="application/json; charset=utf-8")


def download_meta(request, filterset):
    return {
        "generated_by": "Parley",
        "filters": {k: request.GET.getlist(k) for k in request.GET},
        "filters_valid": not filterset.is_bound or filterset.is_valid(),
        "page": request.build_absolute_uri(reverse("positions:comparison"))
        + ("?" + request.GET.urlencode() if request.GET else ""),
    }


def table_download(request, fmt):
    filterset, stances = stance_filter(request)
    tables = queries.comparison_tables(
        stances, officials_separate(request), until=filterset.until()
    )
    absolute = request.build_absolute_uri
    rows = [
        *queries.table_rows(tables.parties, absolute),
        *queries.table_rows(tables.analysis, absolute),
    ]
    if fmt == "csv":
        return csv_response("parley-table.csv", TABLE_FIELDS, rows, bom=wants_bom(request))
    return json_response(
        {
            **download_meta(request, filterset),
            "propositions": list(queries.table_states(tables.parties)),
            "cells": rows,
        }
    )


def claims_download(request, fmt):
    filterset, stances = stance_filter(request)
    stances = stances.select_related("actor__affiliation", "issue", "talk_round").prefetch_related(
        queries.CITATIONS
    )
    records = list(
        queries.claim_records(
            stances.order_by("issue__order", "actor__order", ROUND_ORDER, "pk"),
            request.build_absolute_uri,
        )
    )
    if fmt == "csv":
        rows = per_citation(records)
        return csv_response("parley-claims.csv", CLAIM_FIELDS, rows, bom=wants_bom(request))
    return json_response({**download_meta(request, filterset), "claims": records})


# Every published demand (with its issues and citations) or counterproposal and response (with
# what it answers and replies to, its issues and citations): kind -> (claims, records, fields).
CLAIM_DOWNLOADS = {
    "demands": (queries.download_demands, queries.demand_records, DEMAND_FIELDS),
    "responses": (queries.download_responses, queries.response_records, RESPONSE_FIELDS),
}


def claims_of_kind_download(request, kind, fmt):
    """Every published demand, or every counterproposal and response, as CSV (a row per
    citation) or JSON; both listed on the demands page."""
    claims, records_of, fields = CLAIM_DOWNLOADS[kind]
    records = list(records_of(claims(), request.build_absolute_uri))
    if fmt == "csv":
        rows = per_citation(records)
        return csv_response(f"parley-{kind}.csv", fields, rows, bom=wants_bom(request))
    page = request.build_absolute_uri(reverse("positions:demands"))
    return json_response({"generated_by": "Parley", "page": page, kind: records})


def data_package(request):
    """The whole published dataset as one ZIP: CSV tables, datapackage.json and the codebook."""
    response = HttpResponse(
        datapackage.build(request.build_absolute_uri), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="{datapackage.FILE_NAME}"'
    return response


# --------------------------------------------------------------------------- changes
