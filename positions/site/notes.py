"""Curators' notes, as the public reads them.

A note may name another record by its slug ("the U.S. side is us-rejects-key-proposals"): handy
for curators, meaningless to a reader. On a public page each slug of a published demand or
response, an issue, a source, an actor or a round becomes a link labelled as the public knows
that record: "United States' rejection", an issue's or a round's title, a source's title, an
actor's name. The fixtures stay as they are.
"""

import re

from django.db.models import CharField, F, Value
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from positions.models import Actor, Demand, Issue, Response, ResponseKind, Source, TalkRound

# A slug as curators write one in a note: lower-case words joined by hyphens. A single word
# ("sanctions", "russia") is left alone: in prose it is an ordinary word.
SLUG = re.compile(r"(?<![\w-])([a-z0-9]+(?:-[a-z0-9]+)+)(?![\w-])")

TEXT = CharField()

# URL name: (the records a note may link to, their label, a detail: a claim's kind)
LINKABLE = {
    "demand": (
        lambda: Demand.objects.published().filter(revision_of=None),
        F("actor__name"),
        Value("demand", output_field=TEXT),
    ),
    "response": (
        lambda: Response.objects.published().filter(revision_of=None),
        F("actor__name"),
        F("kind"),
    ),
    "issue": (Issue.objects.all, F("title"), Value("", output_field=TEXT)),
    "source": (Source.objects.all, F("title"), Value("", output_field=TEXT)),
    "actor": (Actor.objects.all, F("name"), Value("", output_field=TEXT)),
    "round": (TalkRound.objects.all, F("title"), Value("", output_field=TEXT)),
}


def mentions(text):
    """The slug-like words in a note."""
    return set(SLUG.findall(text or ""))


def labels():
    """{slug: (URL name, label)} for every record a note may link to, in one query (UNION ALL)."""
    parts = [
        records()
        .order_by()
        .annotate(url_name=Value(url_name, output_field=TEXT), label=label, detail=detail)
        .values_list("slug", "url_name", "label", "detail")
        for url_name, (records, label, detail) in LINKABLE.items()
    ]
    return {
        slug: (url_name, claim_label(url_name, label, detail) if detail else label)
        for slug, url_name, label, detail in parts[0].union(*parts[1:], all=True)
    }


def claim_label(url_name, actor_name, kind):
    """ "Russia's demand", "United States' rejection"."""
    possessive = f"{actor_name}'" if actor_name.endswith("s") else f"{actor_name}'s"
    if url_name == "response":
        kind = ResponseKind(kind).label
    return f"{possessive} {kind}"


def render(text, known):
    """The note as HTML, escaped, each known slug replaced by a link to its record."""

    def link(match):
        slug = match.group(1)
        if slug not in known:
            return escape(slug)
        url_name, label = known[slug]
        return format_html(
            '<a href="{}">{}</a>', reverse(f"positions:{url_name}", args=[slug]), label
        )

    pieces = []
    last = 0
    for match in SLUG.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(link(match))
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))
