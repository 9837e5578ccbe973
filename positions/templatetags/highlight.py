"""Mark the searched words in a text: ``{% highlight stance.summary %}``.

The words are the context's ``search_words``, which only the search results set; everywhere
else the tag prints the text escaped, as ``{{ stance.summary }}`` would."""

import re

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def highlight(context, text):
    return marked(text, context.get("search_words"))


def marked(text, words):
    """The plain text, escaped, with each case-insensitive occurrence of a word in <mark>.

    The text is cut at the matches before it is escaped, so a word never matches inside an
    entity such as &quot;."""
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
