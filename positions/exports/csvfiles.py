"""CSV as every Parley download writes it: the site's tables, the claims and the data package.

One way to write a cell, so that a spreadsheet, R and pandas read every file alike: booleans as
``true``/``false``, dates as ISO 8601 (YYYY-MM-DD), a missing value as an empty cell, and text
that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return)
prefixed with an apostrophe. Optionally a UTF-8 byte order mark, which Excel needs to read UTF-8.
"""

import csv
import datetime
import io

BOM = "\ufeff"


def csv_safe(value):
    """Keep a spreadsheet from running a cell as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def cell(value):
    """One value as its CSV text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, str):
        return csv_safe(value)
    return value


def write(stream, fields, rows, bom=False):
    """Write a header and the rows (dicts; keys not in fields are an error) to a text stream."""
    if bom:
        stream.write(BOM)
    writer = csv.DictWriter(stream, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: cell(v) for k, v in row.items()})


def text(fields, rows, bom=False):
    stream = io.StringIO(newline="")
    write(stream, fields, rows, bom=bom)
    return stream.getvalue()
