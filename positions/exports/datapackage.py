"""The whole published dataset as files: a Frictionless Data Package in one ZIP.

    datapackage.json   the descriptor, at the ZIP's root (so `frictionless validate
                       parley-data.zip` checks every table): licence, version, a table schema
                       per CSV (field types, primary key, foreign keys), size and SHA-256
    codebook.md        docs/codebook.md: what every code means
    data/<table>.csv   one file a table (TABLES below)

Only what the public may see goes in: reference data (sources, actors, issues, rounds) and
published claims, each table starting from a ``published()`` queryset, so drafts, withdrawn
claims and pending proposed changes (``revision_of`` set, never published) stay out, and a link
table keeps a row only when both its ends are public. One query a table, and one for the version,
whatever the size of the data.

The same data gives the same bytes: rows in a total order, no build time anywhere (the version
and the ZIP entries' dates are the data's last change). The cells are written as every download
writes them (positions/exports/csvfiles.py).
"""

import hashlib
import io
import json
import zipfile
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from positions.exports import csvfiles
from positions.exports.package_tables import TABLES
from positions.site.queries import last_change

FILE_NAME = "parley-data.zip"
CODEBOOK = Path(settings.BASE_DIR) / "docs" / "codebook.md"
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
TITLE = "Parley: positions in the January 2022 Russia–US/NATO/OSCE security talks"
DESCRIPTION = """\
Who wants what, on which issue, at which round of the January 2022 security talks between Russia, \
the United States, NATO and the OSCE, and exactly where that is said. Every claim (a stance, a \
demand, a counterproposal or response) cites verbatim passages of source articles (the citations \
table). Only published claims are included: no drafts, withdrawn claims or pending proposed changes.

Licence: Parley's curated data (the stance codes and summaries, the demands and responses as \
worded here, the links between them and the curators' notes) is published under CC BY 4.0: reuse \
it freely, crediting Parley. The quoted passages (the quote, prefix and suffix of the citations \
table) are not: they remain the copyright of their authors and publishers, quoted for commentary. \
The articles' full text is not included; each source's permalink shows it with every cited \
passage marked.

Files: UTF-8 CSV with a header row. Booleans are true/false, dates ISO 8601 (YYYY-MM-DD; a date's \
precision, day, month or year, is in the column beside it), an empty cell is no value. Text that a \
spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) is \
prefixed with an apostrophe. Stances and citations are identified by integer ids, everything else \
by slug; every row has a permalink to its page. codebook.md explains every code."""


# --------------------------------------------------------------------------- the package


def version(changed):
    """The data's last change, to the second: the same for the same data."""
    return f"{changed:%Y-%m-%dT%H:%M:%SZ}" if changed else "0"


def table_csv(table, absolute):
    names = [f.name for f in table.fields]
    return csvfiles.text(names, table.rows(absolute)).encode("utf-8")


def integrity(data):
    return {"bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}"}


def files(absolute):
    """{path in the package: bytes}, datapackage.json first. One query a table and one for the
    version."""
    changed = last_change()
    csvs = {f"data/{table.name}.csv": table_csv(table, absolute) for table in TABLES}
    codebook = CODEBOOK.read_bytes()
    resources = [
        {
            "name": table.name,
            "title": table.title,
            "description": table.description,
            "path": path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            **integrity(data),
            "schema": table.schema(),
        }
        for table, (path, data) in zip(TABLES, csvs.items(), strict=True)
    ]
    resources.append(
        {
            "name": "codebook",
            "title": "Codebook: how Parley reads a claim",
            "path": "codebook.md",
            "format": "md",
            "mediatype": "text/markdown",
            "encoding": "utf-8",
            **integrity(codebook),
        }
    )
    descriptor = {
        "name": "parley",
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version(changed),
        "homepage": absolute(reverse("positions:home")),
        "licenses": [LICENCE],
        "keywords": ["Russia", "NATO", "United States", "OSCE", "negotiation", "security talks"],
        "resources": resources,
    }
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    return changed, {"datapackage.json": text.encode("utf-8"), "codebook.md": codebook, **csvs}


EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a ZIP entry can carry


def build(absolute):
    """The package as ZIP bytes; ``absolute`` makes a path a full URL for the permalinks (a view
    passes ``request.build_absolute_uri``)."""
    changed, contents = files(absolute)
    date_time = changed.timetuple()[:6] if changed else EPOCH
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in contents.items():
            entry = zipfile.ZipInfo(path, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return buffer.getvalue()
