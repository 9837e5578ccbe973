"""Mark the searched words in a text: ``{% highlight stance.summary %}``.

The words are the context's ``search_words``, which only the search results set; everywhere
else the tag prints the text escaped, as ``{{ stance.summary }}`` would. A whole word is marked
when it is a form of a searched word (the English Snowball stemmer, as PostgreSQL's search
stems, positions/search_index.py): "missiles" for "missile", never "inf" inside "infrastructure"."""

import re

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from positions.search_index import WORD, stem

register = template.Library()
PIECES = re.compile(f"({WORD.pattern})")


@register.simple_tag(takes_context=True)
def highlight(context, text):
    return marked(text, context.get("search_words"))


def marked(text, words):
    """The plain text, escaped, with each whole word that is a form of one of ``words`` in
    <mark>. The text is cut into words before it is escaped, so a word never matches inside an
    entity such as &quot;."""
    if not words:
        return conditional_escape(text)
    wanted = {stem(word) for word in words}
    pieces = PIECES.split(str(text))  # text, word, text, word, ..., text
    return mark_safe(
        "".join(
            f"<mark>{escape(piece)}</mark>" if i % 2 and stem(piece) in wanted else escape(piece)
            for i, piece in enumerate(pieces)
        )
    )
