"""The downloads: the comparison table, the claims behind it, every demand and response, as CSV
(with a byte-order mark on request, for spreadsheets) or JSON, and the whole dataset as a data
package (positions/exports/datapackage.py). Each honours the filters its page has; none is paged."""

import json

from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import reverse

from positions.exports import csvfiles, datapackage
from positions.models import CITATIONS, ROUND_ORDER, Demand, Response
from positions.site import comparison, queries
from positions.site.filters import ComparisonFilter, canonical_query, stance_filter
from positions.site.http_cache import kept
from positions.stance_rule import reading

# --------------------------------------------------------------------------- records


def relative(path):
    return path


def table_rows(table, absolute=relative):
    """The comparison table flattened: one row a cell that holds a claim. ``absolute`` makes a
    path a full URL (a view passes ``request.build_absolute_uri``)."""
    for group in table.groups:
        for row in group.rows:
            play = row.play
            for cell in row.cells:
                headline = cell.headline
                if headline is None:
                    continue
                yield {
                    "issue": row.issue.slug,
                    "issue_title": row.issue.title,
                    "parent_issue": group.parent.slug if group.parent != row.issue else None,
                    "actor": cell.column.slug,
                    "actor_name": cell.column.name,
                    "analysis": table.analysis,
                    "stance": headline.code,
                    "stance_label": headline.get_code_display(),
                    "summary": headline.summary,
                    "as_of_round": headline.talk_round.slug if headline.talk_round_id else None,
                    "claims": cell.n_claims,
                    "citations": cell.n_citations,
                    "stance_id": headline.pk,
                    "permalink": absolute(headline.get_absolute_url()),
                    # The proposition's state of play (the parties' table only): its code, its
                    # words, and the round it began (null from the standing positions). A
                    # missing value is null in JSON, as in the API, and empty in CSV.
                    "state": play.state if play else None,
                    "state_label": play.label if play else None,
                    "state_since": play.since.slug if play and play.since else None,
                }


def table_states(table):
    """Each proposition of the parties' table with its state of play (stance_rule.STATES)."""
    for group in table.groups:
        for row in group.rows:
            if row.play is None:
                continue
            yield {
                "issue": row.issue.slug,
                "issue_title": row.issue.title,
                "state": row.play.state,
                "state_label": row.play.label,
                "state_since": row.play.since.slug if row.play.since else None,
            }


def citation_records(citations, absolute=relative):
    """A claim's citations as its downloads give them: each with its id and permalink."""
    return [
        {
            "id": c.pk,
            "permalink": absolute(c.get_absolute_url()),
            "source": c.source.slug,
            "source_title": c.source.title,
            "quote": c.quote,
            "start": c.start,
            "end": c.end,
        }
        for c in citations
    ]


def claim_records(stances, absolute=relative):
    """Each stance with its citations, for the claims downloads."""
    for stance in stances:
        yield {
            "id": stance.pk,
            **said_by(stance, absolute),
            "issue": stance.issue.slug,
            "stance": stance.code,
            "stance_label": stance.get_code_display(),
            **reading(
                stance.code,
                stance.attribution,
                stance.actor.slug,
                stance.actor.affiliation.slug if stance.actor.affiliation_id else None,
            ),
            "summary": stance.summary,
            "attribution": stance.attribution,
            "confidence": stance.confidence,
            "note": stance.note,
            "citations": citation_records(stance.citations.all(), absolute),
        }


def download_demands():
    """Published demands for the demands downloads: actor, round, issues, citations."""
    return queries.published_demands().order_by(ROUND_ORDER, "slug")


def download_responses():
    """Published responses for the responses downloads. What they answer and reply to is
    limited to published claims: a draft's slug never reaches a download."""
    return (
        Response.objects.published()
        .select_related("actor__affiliation", "talk_round")
        .prefetch_related(
            "issues",
            CITATIONS,
            Prefetch("answers", queryset=Demand.objects.published().only("slug")),
            Prefetch("replies_to", queryset=Response.objects.published().only("slug")),
        )
        .order_by(ROUND_ORDER, "slug")
    )


def said_by(claim, absolute):
    """Where a claim's page is, who said it and for which party, at which round."""
    return {
        "permalink": absolute(claim.get_absolute_url()),
        "actor": claim.actor.slug,
        "actor_name": claim.actor.name,
        "party": claim.actor.party.slug,
        "round": claim.talk_round.slug if claim.talk_round_id else None,  # null, as the API
    }


def claim_common(claim, absolute):
    return {
        "slug": claim.slug,
        **said_by(claim, absolute),
        "issues": sorted(i.slug for i in claim.issues.all()),
    }


def demand_records(demands, absolute=relative):
    for demand in demands:
        yield {
            **claim_common(demand, absolute),
            "text": demand.text,
            "bindingness": demand.bindingness,
            "outcome": demand.outcome,
            "outcome_label": demand.get_outcome_display(),
            "note": demand.note,
            "citations": citation_records(demand.citations.all(), absolute),
        }


def response_records(responses, absolute=relative):
    for response in responses:
        yield {
            **claim_common(response, absolute),
            "kind": response.kind,
            "kind_label": response.get_kind_display(),
            "answers": sorted(d.slug for d in response.answers.all()),
            "replies_to": sorted(r.slug for r in response.replies_to.all()),
            "text": response.text,
            "note": response.note,
            "citations": citation_records(response.citations.all(), absolute),
        }


# --------------------------------------------------------------------------- files

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
    "direction",
    "emphatic",
    "analysis",
    "position",
    "counts_for",
    "summary",
    "attribution",
    "confidence",
    "note",
    *CITATION_FIELDS,
]
SAID_BY = ["permalink", "actor", "actor_name", "party", "round"]  # said_by()
DEMAND_FIELDS = [
    "slug",
    *SAID_BY,
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
    *SAID_BY,
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
    """CSV as every download writes it (positions/exports/csvfiles.py): no cell a spreadsheet runs as a
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
        "page": request.build_absolute_uri(reverse("positions:comparison"))
        + ("?" + request.GET.urlencode() if request.GET else ""),
    }


def refusal(filterset, fmt):
    """A download asked with a filter the page would refuse: a 400 that says why, in the format
    asked for, as the page's form does; never a file that looks empty."""
    if not filterset.is_bound or filterset.is_valid():
        return None
    errors = {name: [str(m) for m in messages] for name, messages in filterset.errors.items()}
    if fmt == "json":
        response = json_response({"detail": "Invalid filter.", "errors": errors})
    else:
        lines = [f"{name}: {' '.join(messages)}" for name, messages in errors.items()]
        response = HttpResponse(
            "Invalid filter.\n" + "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
        )
    response.status_code = 400
    return response


def cached(request, filterset, name, build):
    """A download made once per dataset version, filters (as understood: canonical_query), BOM
    and host (its permalinks are absolute), then served from the cache (http_cache.kept), as the
    comparison page is: any change to the data retires it (the version)."""
    parts = [name, canonical_query(request, filterset), str(wants_bom(request)), request.get_host()]
    return kept(request, "download\n" + "\n".join(parts), build)


def table_download(request, fmt):
    filterset, stances = stance_filter(request, ComparisonFilter)
    if refused := refusal(filterset, fmt):
        return refused
    return cached(
        request, filterset, f"table.{fmt}", lambda: build_table(request, filterset, stances, fmt)
    )


def build_table(request, filterset, stances, fmt):
    tables = comparison.comparison_tables(
        stances, filterset.officials_separate(), until=filterset.until(), lookups=filterset.lookups
    )
    absolute = request.build_absolute_uri
    rows = [*table_rows(tables.parties, absolute), *table_rows(tables.analysis, absolute)]
    if fmt == "csv":
        return csv_response("parley-table.csv", TABLE_FIELDS, rows, bom=wants_bom(request))
    return json_response(
        {
            **download_meta(request, filterset),
            "propositions": list(table_states(tables.parties)),
            "cells": rows,
        }
    )


def claims_download(request, fmt):
    filterset, stances = stance_filter(request)
    if refused := refusal(filterset, fmt):
        return refused
    return cached(
        request, filterset, f"claims.{fmt}", lambda: build_claims(request, filterset, stances, fmt)
    )


def build_claims(request, filterset, stances, fmt):
    stances = stances.select_related("actor__affiliation", "issue", "talk_round").prefetch_related(
        CITATIONS
    )
    records = list(
        claim_records(
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
    "demands": (download_demands, demand_records, DEMAND_FIELDS),
    "responses": (download_responses, response_records, RESPONSE_FIELDS),
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
