"""The comparison grid's HTML, built in Python: it can hold thousands of cells, and a template
loop with a dozen tags a cell costs most of the page at 100 times the curated data. The markup is
the one templates/positions/_table.html documents; every value is escaped here."""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from positions.stance_rule import StanceCode, css_class

register = template.Library()


LABELS = {code.value: escape(code.label) for code in StanceCode}
CLASSES = {code.value: css_class(code) for code in StanceCode}
EMPTY = (
    '<td class="empty"><span class="none" title="no stated position">—'
    '<span class="visually-hidden"> no stated position</span></span></td>'
)


def plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def where(talk_round):
    return f" · {escape(talk_round.title)}" if talk_round else " · a standing position"


def cell_html(cell, href, wheres, who):
    """One cell; ``href`` is its link to the claims, escaped; ``wheres`` remembers each round's
    words (a cell is one of thousands: only its summary is escaped here). ``who`` names the
    column inside the cell, for the narrow layout, where the cells of a row make a card and the
    header row is not shown (display: none on a wide screen, where the header names it)."""
    stance = cell.headline
    if stance is None:
        return EMPTY
    talk_round = stance.talk_round
    said = wheres.get(talk_round)
    if said is None:
        said = wheres[talk_round] = where(talk_round)
    was = f' <span class="was">was {LABELS[cell.was.code]}</span>' if cell.was else ""
    n = cell.n_claims
    return (
        f'<td>{who}<details class="cell"><summary><span class="badge {CLASSES[stance.code]}">'
        f'{LABELS[stance.code]}</span> <span class="count" title="claims">{n}</span>{was}</summary>'
        f'<p class="summary">{escape(stance.summary)}</p>'
        f'<a class="evidence" href="{href}">{plural(n, "claim")}, '
        f"{plural(cell.n_citations, 'citation')}{said}</a></details></td>"
    )


def play_html(play):
    """The state of play of a row: a symbol and words (never a colour alone), and the round it
    began; a state that holds from the standing positions says so in its title only, to keep the
    row one line high."""
    if play is None:
        return (
            '<td class="play"><span class="cell-who">Where it stands</span>'
            '<span class="none">no party position</span></td>'
        )
    since = f' <span class="since">since {escape(play.since.title)}</span>' if play.since else ""
    title = escape(play.help) + ("" if play.since else "; from the standing positions")
    return (
        f'<td class="play {play.state}"><span class="cell-who">Where it stands</span>'
        f'<span class="state" title="{title}">'
        f'<span aria-hidden="true">{play.symbol}</span> {escape(play.label)}</span>{since}</td>'
    )


@register.simple_tag
def grid(table, caption, claims_url, cell_query):
    """The <table> of a comparison (comparison.Table): propositions by actors."""
    plays = not table.analysis
    width = len(table.columns) + 1 + plays
    keeps = f"&amp;{escape(cell_query)}" if cell_query else ""
    prefixes = [f"{claims_url}?actor={escape(c.slug)}&amp;issue=" for c in table.columns]
    whos = [f'<span class="cell-who">{escape(c.name)}</span>' for c in table.columns]
    wheres = {}
    out = [
        f'<table class="matrix{" analysis" if table.analysis else ""}">',
        f"<caption>{escape(caption)}</caption>",
        '<thead><tr><th scope="col" class="corner">Proposition</th>',
    ]
    if plays:
        codebook = escape(reverse("positions:codebook"))
        out.append(
            f'<th scope="col" class="play"><a href="{codebook}#state">Where it stands</a></th>'
        )
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
            if plays:
                out.append(play_html(row.play))
            tail = f"{escape(issue.slug)}{keeps}"
            out.extend(
                cell_html(cell, f"{prefix}{tail}", wheres, who)
                for prefix, cell, who in zip(prefixes, row.cells, whos, strict=True)
            )
            out.append("</tr>")
        out.append("</tbody>")
    out.append("</table>")
    return mark_safe("".join(out))  # noqa: S308 -- every value above is escaped
