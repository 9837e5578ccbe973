"""Mark the searched words in a text: ``{{ stance.summary|highlight:search_words }}``."""

import re

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def highlight(text, words):
    """The plain text, escaped, with each case-insensitive occurrence of a word in <mark>.

    Without words (every page but the search results) it is the text escaped as usual. The text
    is cut at the matches before escaping, so a word never matches inside an entity."""
    if not words:
        return conditional_escape(text)
    longest_first = sorted(words, key=len, reverse=True)
    pattern = re.compile("(" + "|".join(map(re.escape, longest_first)) + ")", re.IGNORECASE)
    pieces = pattern.split(str(text))  # text, match, text, match, ..., text
    return mark_safe(
        "".join(
            f"<mark>{escape(piece)}</mark>" if i % 2 else escape(piece)
            for i, piece in enumerate(pieces)
        )
    )
