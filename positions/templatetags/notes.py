"""``{% note claim.note %}``: a curator's note with the slugs it names turned into labelled links.

The labels are read once per request (one query), and only on a page whose notes name a slug."""

from django import template
from django.utils.html import conditional_escape

from positions.site import notes

register = template.Library()


@register.simple_tag(takes_context=True)
def note(context, text):
    if not notes.mentions(text):
        return conditional_escape(text)
    request = context.get("request")
    known = getattr(request, "_parley_note_labels", None)
    if known is None:
        known = notes.labels()
        if request is not None:
            request._parley_note_labels = known
    return notes.render(text, known)
