"""The comparison grid's HTML, built in Python: it can hold thousands of cells, and a template
loop with a dozen tags a cell costs most of the page at 100 times the curated data. The markup is
the one templates/positions/_table.html documents; every value is escaped here."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


def plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def cell_html(cell, issue_slug, claims_url, cell_query):
    stance = cell.headline
    if stance is None:
        return '<td><span class="none" title="no stated position">—<span class="visually-hidden"> no stated position</span></span></td>'
    label = escape(stance.get_code_display())
    was = f' <span class="was">was {escape(cell.was.get_code_display())}</span>' if cell.was else ""
    where = (
        f" · {escape(stance.talk_round.title)}" if stance.talk_round else " · a standing position"
    )
    href = f"{claims_url}?actor={escape(cell.column.slug)}&amp;issue={escape(issue_slug)}"
    if cell_query:
        href += f"&amp;{escape(cell_query)}"
    return (
        f'<td><details class="cell"><summary><span class="badge stance-{escape(stance.code)}">'
        f'{label}</span> <span class="count" title="claims">{cell.n_claims}</span>{was}</summary>'
        f'<p class="summary">{escape(stance.summary)}</p>'
        f'<a class="evidence" href="{href}">{plural(cell.n_claims, "claim")}, '
        f"{plural(cell.n_citations, 'citation')}{where}</a></details></td>"
    )


@register.simple_tag
def grid(table, caption, claims_url, cell_query):
    """The <table> of a comparison (queries.Table): propositions by actors."""
    width = len(table.columns) + 1
    out = [
        f'<table class="matrix{" analysis" if table.analysis else ""}">',
        f"<caption>{escape(caption)}</caption>",
        '<thead><tr><th scope="col" class="corner">Proposition</th>',
    ]
    for column in table.columns:
        party = (
            f' <span class="muted">({escape(column.affiliation.name)})</span>'
            if column.affiliation_id
            else ""
        )
        out.append(
            f'<th scope="col"><a href="{escape(column.get_absolute_url())}">'
            f"{escape(column.name)}</a>{party}</th>"
        )
    out.append("</tr></thead>")
    for group in table.groups:
        out.append("<tbody>")
        parent = group.parent
        if group.rows[0].issue.pk != parent.pk:
            out.append(
                f'<tr class="cluster"><th scope="rowgroup" colspan="{width}">'
                f'<a href="{escape(parent.get_absolute_url())}">{escape(parent.title)}</a></th></tr>'
            )
        for row in group.rows:
            issue = row.issue
            kind = "sub" if issue.parent_id else "cluster"
            out.append(
                f'<tr class="{kind}"><th scope="row"><a href="{escape(issue.get_absolute_url())}">'
                f"{escape(issue.title)}</a></th>"
            )
            out.extend(cell_html(cell, issue.slug, claims_url, cell_query) for cell in row.cells)
            out.append("</tr>")
        out.append("</tbody>")
    out.append("</table>")
    return mark_safe("".join(out))  # noqa: S308 -- every value above is escaped
