"""The source reader: an article's light Markdown as HTML, its cited passages highlighted at
their exact character offsets.

Source.text stays verbatim; only its rendering changes, and the renderer keeps one invariant that
everything else leans on: every character of the text is in the HTML once, in order, as escaped
text. The Markdown syntax itself (``## ``, ``**``, ``[``, ``](url)``) stays in the page inside
``<span class="md" hidden>``, so the rendered element's text is the source text and an offset
into one is an offset into the other. A passage is therefore highlighted where its offsets say,
whether it crosses bold, a link or a paragraph break, and select-to-cite
(static/positions/cite.js) reads a selection's offsets off the page as it always has.

The Markdown is the small subset the articles use: ATX headings, paragraphs separated by blank
lines, ``**strong**``, ``*em*`` and ``_em_``, ``[text](url)``, ``<https://autolinks>`` and
backslash escapes. No raw HTML passes through: ``<`` is always text. A link is a link only when
it goes to http(s), with ``rel="nofollow noopener"``; any other target (``#``, ``javascript:``)
leaves its text as plain text.

Pure functions, no ORM; ``render`` is what a page calls, with ``claims_html`` for the lists of
claims under the passages it lists (from records already loaded).
"""

import bisect
import re
from dataclasses import dataclass, replace
from html import escape as escape_html  # Django's escape less its wrapper: called per piece
from urllib.parse import urlsplit

from django.utils.html import escape
from django.utils.safestring import mark_safe

HEADING_SHIFT = 2  # the page has its h1 (the title) and h2 ("The article"): "#" becomes h3
MAX_DEPTH = 16  # nesting of inline markup beyond which the rest is plain text
MAX_SCAN = 4000  # characters an emphasis may span and a link (MAX_LINK): no input is slow
MAX_LINK = 1000
NO_CLOSER = False  # an emphasis opener that found no closer (None: not an opener at all)
ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
AUTOLINK = re.compile(r"<(https?://[^\s<>]+)>", re.IGNORECASE)
DELIMITER = re.compile(r"[*_]")
MARKUP = re.compile(r"[\\\[<*_]")  # where inline markup may begin: all else is plain text


@dataclass(frozen=True)
class Passage:
    """A cited stretch [start, end) of the text, and what a reader is told about it."""

    start: int
    end: int
    label: str = ""  # what its control says, in words: "Passage cited by 2 claims"
    count: int = 0  # the number shown on its control
    citations: tuple = ()  # the records citing it, for the page (the renderer never looks)
    quote: str = ""  # the passage as a reader sees it: Markdown syntax out, white space folded
    claims: str = ""  # the list of those records, as HTML (claims_html), for the page
    listed_at: str = ""  # the address of the page listing its claims, when it is another page

    @property
    def anchor(self):
        """The id claim pages link to (``#c<start>-<end>``)."""
        return f"c{self.start}-{self.end}"

    @property
    def note(self):
        """The id of the list of claims that cite it."""
        return f"n{self.start}-{self.end}"


@dataclass(frozen=True)
class Node:
    """A piece of markup over [start, end) of the text. The text between children is text.

    kind: "p", "h" (with level), "strong", "em", "a" (with href), "group" (a link whose target
    is not http(s): no element, its syntax hidden) or "syntax" (hidden Markdown syntax)."""

    kind: str
    start: int
    end: int
    children: tuple = ()
    level: int = 0
    href: str = ""


# --------------------------------------------------------------------------- parsing


def parse(text):
    """The blocks of the text: headings and paragraphs, each with its inline markup."""
    blocks = []
    para = None  # [start, end) of the paragraph being gathered
    pos = 0
    while True:
        newline = text.find("\n", pos)
        line_end = len(text) if newline == -1 else newline
        line = text[pos:line_end]
        heading = HEADING.match(text, pos, line_end)
        if not line.strip() or heading:
            if para:
                blocks.append(Node("p", para[0], para[1], Inline(text, *para).nodes(*para)))
                para = None
            if heading and line.strip():
                blocks.append(parse_heading(text, heading, line_end))
        else:
            stop = pos + len(line.rstrip())
            para = [para[0] if para else pos + len(line) - len(line.lstrip()), stop]
        if newline == -1:
            break
        pos = newline + 1
    if para:
        blocks.append(Node("p", para[0], para[1], Inline(text, *para).nodes(*para)))
    return blocks


def parse_heading(text, match, line_end):
    start = match.start(1)
    content = match.end()
    stop = content + len(text[content:line_end].rstrip())
    closing = CLOSING_HASHES.search(text, content, stop)
    words = closing.start() if closing else stop
    children = (
        Node("syntax", start, content),
        *Inline(text, content, words).nodes(content, words),
        *([Node("syntax", words, stop)] if words < stop else []),
    )
    if not text[content:words].strip():  # "##" alone: no heading without words
        return Node("p", start, stop, children)
    return Node("h", start, stop, children, level=len(match.group(1)))


@dataclass(frozen=True)
class Span:
    """Where a link or an emphasis found in the text begins and ends."""

    start: int
    end: int
    open_end: int  # the opening syntax is [start, open_end)
    close_start: int  # the closing syntax is [close_start, end)
    href: str = ""


class Inline:
    """The inline markup of one block, [start, end) of the text.

    Links are found on demand; every emphasis is worked out once, from the last delimiter to the
    first, so finding one's closer may skip over the emphases after it without recursing."""

    def __init__(self, text, start, end):
        self.text = text
        self.end = end
        self.links = {}
        self.emphasis = {}
        for i in reversed([m.start() for m in DELIMITER.finditer(text, start, end)]):
            self.emphasis[i] = self.find_emphasis(i)

    def nodes(self, start, end, depth=0, in_link=False):
        text = self.text
        out = []
        i = start
        while i < end:
            markup = MARKUP.search(text, i, end)  # the characters before it are text
            if markup is None:
                break
            i = markup.start()
            char = text[i]
            if char == "\\" and i + 1 < end and text[i + 1] in ESCAPABLE:
                out.append(Node("syntax", i, i + 1))
                i += 2
                continue
            found = None
            if depth < MAX_DEPTH:
                if char == "[" and not in_link:
                    found = self.link(i)
                elif char == "<" and not in_link:
                    found = self.autolink(i)
                elif char in "*_":
                    found = self.emphasis.get(i) or None
            if found is None or found.end > end:
                i += 1
                continue
            inner = self.nodes(
                found.open_end, found.close_start, depth + 1, in_link or char in "[<"
            )
            if char in "*_":
                kind = "strong" if found.open_end - found.start == 2 else "em"
            else:
                kind = "a" if found.href else "group"
            syntax = (Node("syntax", found.start, found.open_end),)
            syntax_end = (Node("syntax", found.close_start, found.end),)
            out.append(
                Node(
                    kind, found.start, found.end, syntax + tuple(inner) + syntax_end, 0, found.href
                )
            )
            i = found.end
        return out

    def link(self, i):
        """``[text](destination)`` at i, or None."""
        if i not in self.links:
            self.links[i] = self.find_link(i)
        return self.links[i]

    def find_link(self, i):
        text, limit = self.text, min(self.end, i + MAX_LINK)
        depth, j = 0, i
        while j < limit:
            char = text[j]
            if char == "\\":
                j += 2
                continue
            if char == "[":
                depth += 1
                if depth > MAX_DEPTH:
                    return None
            elif char == "]":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        else:
            return None
        close = j
        if close + 1 >= limit or text[close + 1] != "(":
            return None
        depth, k = 0, close + 2
        while k < limit:
            char = text[k]
            if char.isspace():
                return None
            if char == "\\":
                k += 2
                continue
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            k += 1
        else:
            return None
        return Span(i, k + 1, i + 1, close, safe_href(text[close + 2 : k]))

    def autolink(self, i):
        """``<https://...>`` at i, or None: any other ``<`` is text."""
        match = AUTOLINK.match(self.text, i, self.end)
        if not match:
            return None
        return Span(i, match.end(), i + 1, match.end() - 1, safe_href(match.group(1)))

    def find_emphasis(self, i):
        """The emphasis opened by the delimiter run starting at i, NO_CLOSER, or None.

        A simplified CommonMark: a run opens when a non-space follows it (for ``_``, not inside
        a word either), and closes at the next run of the same character, with a non-space
        before it, at least as long as the opener uses (``**`` strong, ``*`` em). Links and the
        emphases nested inside are skipped over whole."""
        text, end = self.text, self.end
        char = text[i]
        run = i
        while run < end and text[run] == char:
            run += 1
        if run >= end or text[run].isspace():
            return None
        if char == "_" and i > 0 and text[i - 1].isalnum():
            return None
        width = 2 if run - i >= 2 else 1
        j = i + width
        limit = min(end, i + MAX_SCAN)
        while j < limit:
            markup = MARKUP.search(text, j, limit)  # nothing else matters to the scan
            if markup is None:
                break
            j = markup.start()
            c = text[j]
            if c == "\\":
                j += 2
                continue
            if c == "[":
                link = self.link(j)
                if link:
                    j = link.end
                    continue
            if c == "<":
                link = self.autolink(j)
                if link:
                    j = link.end
                    continue
            if c in "*_":
                stop = j
                while stop < end and text[stop] == c:
                    stop += 1
                closes = (
                    c == char
                    and stop - j >= width
                    and j > i + width
                    and not text[j - 1].isspace()
                    and (char != "_" or stop >= end or not text[stop].isalnum())
                )
                if closes:
                    return Span(i, j + width, i + width, j)
                nested = self.emphasis.get(j)
                if nested is NO_CLOSER and c == char and stop - j == width:
                    # An opener like this one, whose scan from here on found no closer: no
                    # closer for this one either (and "*a *a *a ..." stays linear).
                    return NO_CLOSER
                j = nested.end if nested else stop
                continue
            j += 1
        return NO_CLOSER


def safe_href(url):
    """The URL if it is an http(s) link to a host; else "" (the text stays plain text)."""
    if not url or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


# --------------------------------------------------------------------------- rendering


@dataclass
class Piece:
    """A stretch of text between two boundaries of markup or passages."""

    start: int
    end: int
    shown: bool  # read as text: in a block and not Markdown syntax
    passages: tuple = ()


def events(text, blocks):
    """The document as a flat list: ("open", node), ("close", node), ("syntax", node) and
    ("text", start, end, shown), covering the text from 0 to its end, in order."""
    out = []

    def walk(node):
        out.append(("open", node))
        at = node.start
        for child in node.children:
            out.append(("text", at, child.start, True))
            if child.kind == "syntax":
                out.append(("syntax", child))
            else:
                walk(child)
            at = child.end
        out.append(("text", at, node.end, True))
        out.append(("close", node))

    at = 0
    for block in blocks:
        out.append(("text", at, block.start, False))
        walk(block)
        at = block.end
    out.append(("text", at, len(text), False))
    return [e for e in out if e[0] != "text" or e[1] < e[2]]


def sweep(text, passages):
    """The boundaries of the passages and, between each two, the passages open there."""
    cuts = sorted({0, len(text), *(p.start for p in passages), *(p.end for p in passages)})
    starting = {}
    for passage in sorted(passages, key=lambda p: (p.start, p.end)):
        starting.setdefault(passage.start, []).append(passage)
    active, over = [], []
    for start in cuts[:-1]:
        active = [p for p in active if p.end > start] + starting.get(start, [])
        over.append(tuple(active))
    return cuts, over


def pieces_of(text, start, end, shown, cuts, over):
    i = max(bisect.bisect_right(cuts, start) - 1, 0)
    while start < end:
        stop = min(end, cuts[i + 1]) if i + 1 < len(cuts) else end
        yield Piece(start, stop, shown, over[i] if i < len(over) else ())
        start = stop
        i += 1


TAGS = {"p": "p", "strong": "strong", "em": "em", "a": "a"}


def open_tag(node):
    if node.kind == "h":
        return f"<h{min(node.level + HEADING_SHIFT, 6)}>"
    if node.kind == "a":
        return f'<a href="{escape_html(node.href)}" rel="nofollow noopener">'
    return f"<{TAGS[node.kind]}>" if node.kind in TAGS else ""


def close_tag(node):
    if node.kind == "h":
        return f"</h{min(node.level + HEADING_SHIFT, 6)}>"
    return f"</{TAGS[node.kind]}>" if node.kind in TAGS else ""


def anchor_html(passage):
    return f'<span class="anchor" id="{passage.anchor}"></span>'


def control_html(passage):
    """A link to the list of the passage's claims. Its visible label, the count, is generated by
    the stylesheet (data-count), so the article's text stays the source text."""
    label = escape_html(passage.label)
    return (
        f'<a class="passage-ref" href="{escape_html(passage.listed_at)}#{passage.note}" '
        f'aria-label="{label}" title="{label}" '
        f'data-count="{passage.count}"></a>'
    )


def render(text, passages=(), blocks=None):
    """The text as HTML: Markdown rendered, each passage highlighted (``<mark>``, split where
    it crosses markup or another passage), an anchor where it begins and, where it ends, a link
    to the list of its claims (``passage.listed_at`` + ``#passage.note``; the page renders that
    list). ``blocks``: ``parse(text)``, if the caller has it already.
    """
    passages = [p for p in passages if 0 <= p.start < p.end <= len(text)]
    cuts, over = sweep(text, passages)
    flat = []  # events, with each text event cut into pieces
    for event in events(text, parse(text) if blocks is None else blocks):
        if event[0] == "text":
            flat.extend(pieces_of(text, event[1], event[2], event[3], cuts, over))
        else:
            flat.append(event)

    # Each passage's anchor goes before its first piece a reader sees, its control after the
    # last. A passage with none (only syntax or the space between blocks) gets both before the
    # next piece a reader sees.
    first, last = {}, {}
    for index, item in enumerate(flat):
        if isinstance(item, Piece) and item.shown:
            for passage in item.passages:
                first.setdefault(passage, index)
                last[passage] = index
    before, controls_before, after = {}, {}, {}
    shown = [i for i, item in enumerate(flat) if isinstance(item, Piece) and item.shown]
    starts = [flat[i].start for i in shown]
    for passage in passages:
        if passage in first:
            before.setdefault(first[passage], []).append(anchor_html(passage))
            after.setdefault(last[passage], []).append(control_html(passage))
            continue
        at = bisect.bisect_left(starts, passage.start)
        index = shown[at] if at < len(shown) else len(flat)
        before.setdefault(index, []).append(anchor_html(passage))
        controls_before.setdefault(index, []).append(control_html(passage))

    html = []
    in_link = 0
    waiting = []  # controls that end inside a link wait for it to close: no link in a link
    for index, item in enumerate(flat):
        html.extend(before.get(index, ()))
        (waiting if in_link else html).extend(controls_before.get(index, ()))
        if isinstance(item, Piece):
            content = escape_html(text[item.start : item.end])
            if item.shown and item.passages:
                names = " ".join(p.anchor for p in item.passages)
                content = f'<mark data-passages="{names}">{content}</mark>'
            html.append(content)
            (waiting if in_link else html).extend(after.get(index, ()))
        elif item[0] == "syntax":
            node = item[1]
            html.append(
                f'<span class="md" hidden>{escape_html(text[node.start : node.end])}</span>'
            )
        elif item[0] == "open":
            html.append(open_tag(item[1]))
            in_link += item[1].kind == "a"
        else:
            html.append(close_tag(item[1]))
            in_link -= item[1].kind == "a"
            if not in_link and waiting:
                html.extend(waiting)
                waiting = []
    html.extend(before.get(len(flat), ()))
    html.extend(controls_before.get(len(flat), ()))
    return mark_safe("".join(html))


def readable(text, spans, blocks=None):
    """Each span [start, end) of the text as a reader sees it: Markdown syntax out, white space
    folded. For quoting a passage to a reader; a citation's own quote stays verbatim. ``blocks``:
    ``parse(text)``, if the caller has it already."""
    hidden = []

    def collect(node):
        for child in node.children:
            if child.kind == "syntax":
                hidden.append((child.start, child.end))
            else:
                collect(child)

    for block in parse(text) if blocks is None else blocks:
        collect(block)
    hidden.sort()
    starts = [s for s, _ in hidden]
    out = {}
    for start, end in spans:
        kept, at = [], start
        for s, e in hidden[max(bisect.bisect_right(starts, start) - 1, 0) :]:
            if s >= end:
                break
            if e <= at:
                continue
            kept.append(text[at : max(s, at)])
            at = max(at, e)
        kept.append(text[at:end] if at < end else "")
        out[(start, end)] = " ".join("".join(kept).split())
    return out


# --------------------------------------------------------------------------- a passage's claims


def claims_html(citations, spans=None):
    """The list of the claims (and rounds) that cite a passage, each a link to its page: the
    markup the source page shows under each passage it lists, built here rather than in a template
    include a passage, which cost most of the page. The citations come with their claims, actors,
    issues and rounds (queries.source_passages): nothing here makes a query. Every value is escaped.

    ``spans``: {citation.target_key: [(start, end), ...]}, every passage of this source that each
    claim cites, in the text's order; a claim that cites more than one says which of them this is
    and links its previous and next, so a reader can step through them."""
    items = []
    for citation in citations:
        target = citation.target
        link = f'<a href="{escape(target.get_absolute_url())}">'
        if citation.stance_id:
            when = f" ({escape(target.talk_round.title)})" if target.talk_round_id else ""
            said = (
                f"Stance: {link}{escape(target.actor.name)} — {escape(target.get_code_display())}"
                f" — {escape(target.issue.title)}{when}</a>"
            )
        elif citation.demand_id:
            said = f"Demand: {link}{escape(target.actor.name)}: {escape(target.text)}</a>"
        elif citation.response_id:
            said = f"Response: {link}{escape(target.actor.name)}: {escape(target.text)}</a>"
        else:
            said = f"Round: {link}{escape(target.title)}</a>"
        items.append(f"<li>{said}{steps(citation, (spans or {}).get(citation.target_key))}</li>")
    return mark_safe(f'<ul class="passage-claims">{"".join(items)}</ul>')  # noqa: S308 -- escaped


def steps(citation, spans):
    """ "Passage 2 of 3 it cites here: previous · next", for a claim citing several passages."""
    if not spans or len(spans) < 2:
        return ""
    here = (
        spans.index((citation.start, citation.end))
        if (citation.start, citation.end) in spans
        else None
    )
    if here is None:
        return ""
    links = []
    if here > 0:
        start, end = spans[here - 1]
        links.append(f'<a href="#c{start}-{end}" rel="prev">previous passage</a>')
    if here < len(spans) - 1:
        start, end = spans[here + 1]
        links.append(f'<a href="#c{start}-{end}" rel="next">next passage</a>')
    return (
        f'<span class="steps">Passage {here + 1} of {len(spans)} it cites here: '
        f"{' · '.join(links)}</span>"
    )


def source_page(text, passages, spans=None):
    """A source page's HTML: the article with every passage highlighted, and the passages this
    page lists (those not ``listed_at`` another page), each with its quote as a reader sees it
    and the list of its claims (``spans``: see claims_html)."""
    blocks = parse(text)
    quotes = readable(text, {(p.start, p.end) for p in passages if not p.listed_at}, blocks)
    shown = [
        p
        if p.listed_at
        else replace(p, quote=quotes[(p.start, p.end)], claims=claims_html(p.citations, spans))
        for p in passages
    ]
    return render(text, shown, blocks), [p for p in shown if not p.listed_at]
