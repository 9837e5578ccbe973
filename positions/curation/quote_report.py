"""What a curator reads when a quote cannot be anchored: the report, as HTML for the admin.

positions/citations.py finds what is wrong (a word diff against the closest passage, or each
occurrence of an ambiguous quote with the context that picks it out); this module only renders
it. Everything from the texts is escaped by the template; only the rendered template is safe.
No character offset is ever shown: people find passages by their words.
"""

import itertools

from django.template.loader import render_to_string

from positions import citations

TEMPLATE = "admin/positions/_quote_report.html"

_keys = itertools.count()


def render(error):
    """The HTML report (a SafeString) for an AnchorError, to show under the quote field."""
    context = {"key": f"quote-report-{next(_keys)}", "quote": citations.normalise(error.quote)}
    if isinstance(error, citations.QuoteAmbiguous):
        shown = error.occurrences
        context.update(
            ambiguous=True,
            count=len(error.starts),
            occurrences=shown,
            more=len(error.starts) - len(shown),
        )
    else:
        mismatch = error.mismatch
        context.update(
            mismatch=mismatch,
            occurrences=mismatch.elsewhere,
            note=citations.typographic_note(mismatch.typographic) if mismatch.typographic else "",
        )
    return render_to_string(TEMPLATE, context)
