"""Anchor a verbatim quote in its source text. Pure functions: no ORM, no Django.

A quote is matched after folding runs of white space (spaces, line breaks, tabs) into one
space on both sides. Every other character is kept as it is: a curly quote only matches a
curly quote, an apostrophe only an apostrophe. Offsets are given in the original text, so
``text[anchor.start:anchor.end]`` is the passage as the source prints it.

When a passage occurs more than once, an optional ``prefix`` (text just before it) and
``suffix`` (text just after it) tell the occurrences apart.

When a quote cannot be anchored, the exception carries what a person needs to fix it: for a
quote not found, a ``Mismatch`` (the closest passage and a word diff against it, and whether
only curly versus straight quotes or kinds of dash differ); for an ambiguous quote, each
``Occurrence`` with its context and the prefix or suffix that picks it out.
"""

import difflib
import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass, field

WHITESPACE = re.compile(r"\s+")

# Characters that differ only typographically, each folded to one plain character: one char for
# one char, so offsets in folded text are offsets in the text.
SINGLE_QUOTES, DOUBLE_QUOTES, DASHES = "‘’‚‛", "“”„‟", "‐‑‒–—―−"
QUOTES = SINGLE_QUOTES + DOUBLE_QUOTES
TYPOGRAPHY = str.maketrans(
    {**dict.fromkeys(SINGLE_QUOTES, "'"), **dict.fromkeys(DOUBLE_QUOTES, '"')}
    | dict.fromkeys(DASHES, "-")
)

CONTEXT_WORDS = 8  # words shown either side of an occurrence
MAX_WORDS = 12  # words of context tried before and after an occurrence to tell it apart
MAX_CONTEXT = 200  # characters a prefix or suffix may hold (Citation.prefix, .suffix)
MAX_SHOWN = 10  # occurrences described in an error; a quote found more often needs more words


class AnchorError(ValueError):
    """The quote cannot be anchored: not found, or found more than once."""


class QuoteNotFound(AnchorError):
    """``mismatch`` says how the quote differs from the closest passage of the source."""

    def __init__(self, quote, mismatch=None):
        self.quote = quote
        self.mismatch = mismatch or Mismatch()
        self.closest = self.mismatch.passage
        message = f"quote not found verbatim in the source: {shorten(quote)!r}"
        if self.mismatch.elsewhere:
            message += "; the quote is in the source, but not with the prefix or suffix given"
        elif self.closest:
            message += f"; the closest passage is {shorten(self.closest)!r}"
            if self.mismatch.typographic:
                message += ". " + typographic_note(self.mismatch.typographic)
        super().__init__(message)


class QuoteAmbiguous(AnchorError):
    """``starts`` are the offsets of the occurrences, ``occurrences`` each one in its context."""

    def __init__(self, quote, starts, occurrences=()):
        self.quote = quote
        self.starts = starts
        self.occurrences = tuple(occurrences)
        super().__init__(
            f"quote occurs {len(starts)} times in the source: {shorten(quote)!r}; "
            "add a prefix or suffix to say which"
        )


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int


@dataclass(frozen=True)
class NormalisedText:
    """Text with white space folded, and for each of its characters the original offset."""

    text: str
    offsets: tuple  # offsets[i] is where normalised character i stands in the original

    def original_span(self, start, end):
        """The original [start, end) covering normalised characters [start, end)."""
        return self.offsets[start], self.offsets[end - 1] + 1


def normalise(text):
    """Fold every run of white space into one space and strip both ends."""
    return WHITESPACE.sub(" ", text).strip()


def normalise_with_offsets(text):
    chars = []
    offsets = []
    pending_space = None
    for index, char in enumerate(text):
        if char.isspace():
            if pending_space is None:
                pending_space = index
            continue
        if pending_space is not None and chars:
            chars.append(" ")
            offsets.append(pending_space)
        pending_space = None
        chars.append(char)
        offsets.append(index)
    return NormalisedText("".join(chars), tuple(offsets))


def sha256_text(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_all(haystack, needle):
    starts = []
    position = haystack.find(needle)
    while position != -1:
        starts.append(position)
        position = haystack.find(needle, position + 1)
    return starts


def anchor(text, quote, prefix="", suffix="", normalised=None):
    """Return the Anchor of ``quote`` in ``text`` or raise an AnchorError.

    ``normalised`` may be passed in when many quotes are anchored in one text.
    """
    needle = normalise(quote)
    if not needle:
        raise QuoteNotFound(quote)
    norm = normalised or normalise_with_offsets(text)
    found = find_all(norm.text, needle)
    starts = in_context(norm.text, len(needle), found, normalise(prefix), normalise(suffix))
    if not starts:
        raise QuoteNotFound(quote, compare(text, quote, prefix, suffix, normalised=norm))
    if len(starts) > 1:
        shown = occurrences(text, quote, prefix, suffix, normalised=norm)
        raise QuoteAmbiguous(quote, [norm.offsets[s] for s in starts], shown)
    start, end = norm.original_span(starts[0], starts[0] + len(needle))
    return Anchor(start, end)


def in_context(text, length, starts, prefix, suffix):
    """The starts (of a passage ``length`` long in ``text``) after ``prefix`` and before ``suffix``."""
    if prefix:
        starts = [s for s in starts if text[:s].rstrip().endswith(prefix)]
    if suffix:
        starts = [s for s in starts if text[s + length :].lstrip().startswith(suffix)]
    return starts


def verify(text, quote, start, end):
    """True when text[start:end] is the quote (white space folded)."""
    if not (0 <= start < end <= len(text)):
        return False
    return normalise(text[start:end]) == normalise(quote)


def shorten(text, width=90):
    text = normalise(text)
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------- a quote not found


@dataclass(frozen=True)
class Mismatch:
    """How a quote differs from the closest passage of its source.

    ``passage`` is the passage as the source prints it (white space folded), "" when nothing is
    close. ``diff`` is the word diff from the quote to the passage: (op, words) pairs, op being
    "equal", "delete" (only in the quote) or "insert" (only in the source). ``typographic`` names
    what alone differs when the words match: ("quotes",), ("dashes",) or both; then ``anchor``
    is where that passage stands. ``elsewhere`` holds the quote's occurrences when the quote is
    verbatim in the source and only the prefix or suffix given rules every one out.
    """

    passage: str = ""
    diff: list = field(default_factory=list)
    typographic: tuple = ()
    anchor: Anchor | None = None
    elsewhere: tuple = ()


def compare(text, quote, prefix="", suffix="", normalised=None):
    """The Mismatch between ``quote`` and ``text``: see Mismatch."""
    needle = normalise(quote)
    norm = normalised or normalise_with_offsets(text)
    if not needle:
        return Mismatch()
    if find_all(norm.text, needle):
        shown = tuple(occurrences(text, quote, normalised=norm))
        return Mismatch(needle, word_diff(needle, needle), elsewhere=shown)
    folded, folded_needle = fold_typography(norm.text), fold_typography(needle)
    found = find_all(folded, folded_needle)
    if found:
        context = [fold_typography(normalise(prefix)), fold_typography(normalise(suffix))]
        start = (in_context(folded, len(needle), found, *context) or found)[0]
        passage = norm.text[start : start + len(needle)]
        return Mismatch(
            passage,
            word_diff(needle, passage),
            typographic_kinds(needle, passage),
            Anchor(*norm.original_span(start, start + len(needle))),
        )
    span = closest_span(norm.text, needle)
    if span is None:
        return Mismatch()
    passage = norm.text[span[0] : span[1]]
    return Mismatch(passage, word_diff(needle, passage), typographic_kinds(needle, passage))


def fold_typography(text):
    """Curly quotes to straight ones, every kind of dash to a hyphen-minus; the length is kept."""
    return text.translate(TYPOGRAPHY)


def typographic_kinds(quote, passage):
    """What alone tells ``quote`` from ``passage`` when their words match: ("quotes",),
    ("dashes",), ("quotes", "dashes"); () when they are equal or differ in anything else."""
    if quote == passage or fold_typography(quote) != fold_typography(passage):
        return ()
    differing = {c for pair in zip(quote, passage, strict=True) if pair[0] != pair[1] for c in pair}
    kinds = []
    if differing & set(QUOTES + "'\""):
        kinds.append("quotes")
    if differing & set(DASHES + "-"):
        kinds.append("dashes")
    return tuple(kinds)


def typographic_note(kinds):
    """The sentence that tells a person only typography differs, as Mismatch.typographic says."""
    what = {
        ("quotes",): "curly versus straight quotes",
        ("dashes",): "kinds of dash",
        ("quotes", "dashes"): "curly versus straight quotes and kinds of dash",
    }[tuple(kinds)]
    return f"The words match; only {what} differ: use the source's characters."


def word_diff(quote, passage):
    """The word diff from ``quote`` to ``passage``: [(op, words)], op "equal", "delete" (words
    only in the quote) or "insert" (words only in the passage); words joined by one space."""
    old, new = quote.split(), passage.split()
    tokens = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("equal", "delete", "replace") and i1 < i2:
            tokens.append(("equal" if op == "equal" else "delete", " ".join(old[i1:i2])))
        if op in ("insert", "replace") and j1 < j2:
            tokens.append(("insert", " ".join(new[j1:j2])))
    return tokens


def closest_passage(text, needle):
    """The passage of ``text`` most like ``needle``, in whole words; "" when nothing is alike.

    ``text`` and ``needle`` are white-space folded (see ``normalise``).
    """
    span = closest_span(text, needle)
    return text[span[0] : span[1]] if span else ""


def closest_span(text, needle):
    """[start, end) of the passage of ``text`` most like ``needle``, or None if nothing is alike.

    Candidates start where a long common block of characters starts; each is widened to the
    words that align with the needle's, so a word left out or added in the quote does not cut
    the passage short. The passage most like the needle, character for character, wins.
    """
    if not text or not needle:
        return None
    bounds = [m.span() for m in re.finditer(r"\S+", text)]
    starts = [b[0] for b in bounds]
    # Words align whatever their case and typography; the diff then shows every difference.
    words = [fold_typography(text[a:b]).casefold() for a, b in bounds]
    quote_words = fold_typography(needle).casefold().split()
    best_ratio, best = 0.0, None
    tried = set()
    matcher = difflib.SequenceMatcher(None, text, needle, autojunk=False)
    for block in matcher.get_matching_blocks():
        if block.size < 4:
            continue
        first = max(0, bisect_right(starts, max(0, block.a - block.b)) - 1)
        if first in tried:
            continue
        tried.add(first)
        i, j = aligned_words(words, first, quote_words)
        span = bounds[i][0], bounds[j - 1][1]
        ratio = difflib.SequenceMatcher(None, text[span[0] : span[1]], needle).ratio()
        if ratio > best_ratio:
            best_ratio, best = ratio, span
    return best if best_ratio >= 0.5 else None


def aligned_words(words, first, quote_words):
    """[i, j): the words, around ``words[first]``, that the quote's words align with."""
    n = len(quote_words)
    pad = max(3, n // 2)
    low, high = max(0, first - pad), min(len(words), first + n + pad)
    matcher = difflib.SequenceMatcher(None, words[low:high], quote_words, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return first, min(len(words), first + n)
    head, tail = blocks[0], blocks[-1]
    # Words of the quote before the first match (after the last) stand for as many of the source.
    i = low + max(0, head.a - head.b)
    j = low + min(high - low, tail.a + tail.size + (n - tail.b - tail.size))
    return i, j


# --------------------------------------------------------------------------- an ambiguous quote


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a quote: the words ``before`` and ``after`` it (white space folded,
    "…" where cut, with the space, if any, that parts them from the passage), the ``passage`` itself, where it stands (``anchor``), and the ``prefix`` or
    ``suffix`` that picks it out among all occurrences (both "" when it cannot be told apart,
    then ``distinct`` is False)."""

    before: str
    passage: str
    after: str
    anchor: Anchor
    prefix: str = ""
    suffix: str = ""
    distinct: bool = True


def occurrences(text, quote, prefix="", suffix="", normalised=None, limit=MAX_SHOWN):
    """The first ``limit`` occurrences of ``quote`` in ``text`` after ``prefix`` and before
    ``suffix`` (all occurrences when neither is given), as Occurrences, in the order of the text.
    Each one's prefix or suffix picks it out among all the quote's occurrences."""
    needle = normalise(quote)
    norm = normalised or normalise_with_offsets(text)
    if not needle:
        return []
    every = find_all(norm.text, needle)
    chosen = in_context(norm.text, len(needle), every, normalise(prefix), normalise(suffix))
    # Only the text near each occurrence can hold a prefix or suffix: compare just that.
    reach = MAX_CONTEXT + 1
    befores = [norm.text[max(0, s - reach) : s].rstrip() for s in every]
    afters = [norm.text[s + len(needle) : s + len(needle) + reach].lstrip() for s in every]
    found = []
    for start in chosen[:limit]:
        index = every.index(start)
        context = distinguishing_context(index, befores, afters)
        prefix, suffix = context or ("", "")
        before, after = norm.text[:start], norm.text[start + len(needle) :]
        found.append(
            Occurrence(
                before=last_words(before, max(CONTEXT_WORDS, len(prefix.split()))),
                passage=needle,
                after=first_words(after, max(CONTEXT_WORDS, len(suffix.split()))),
                anchor=Anchor(*norm.original_span(start, start + len(needle))),
                prefix=prefix,
                suffix=suffix,
                distinct=context is not None,
            )
        )
    return found


def distinguishing_context(index, befores, afters):
    """(prefix, suffix) that picks out occurrence ``index`` among all, given the text before and
    after each: the fewest words before it or after it (before it when as few), else MAX_WORDS
    of both; None when even those do not. ("", "") when there is one occurrence."""

    def unique(prefix, suffix):
        fits = (
            b.endswith(prefix) and a.startswith(suffix)
            for b, a in zip(befores, afters, strict=True)
        )
        return sum(fits) == 1

    if len(befores) == 1:
        return "", ""
    before, after = befores[index], afters[index]
    pre, post = before[-MAX_CONTEXT:].split(), after[:MAX_CONTEXT].split()
    if pre and len(before) >= MAX_CONTEXT:
        pre.pop(0)  # perhaps a word cut in two
    if post and len(after) >= MAX_CONTEXT:
        post.pop()
    for k in range(1, MAX_WORDS + 1):
        if k <= len(pre) and unique(" ".join(pre[-k:]), ""):
            return " ".join(pre[-k:]), ""
        if k <= len(post) and unique("", " ".join(post[:k])):
            return "", " ".join(post[:k])
    prefix, suffix = " ".join(pre[-MAX_WORDS:]), " ".join(post[:MAX_WORDS])
    return (prefix, suffix) if unique(prefix, suffix) else None


def last_words(text, n):
    """The last ``n`` words of ``text``, "…" before them if cut; a space after them if it ends
    with one (the space between them and what follows)."""
    words = text.split()
    shown = " ".join(words[-n:])
    if len(words) > n:
        shown = "… " + shown
    return shown + " " if shown and text[-1:].isspace() else shown


def first_words(text, n):
    """The first ``n`` words of ``text``, "…" after them if cut; a space before them if it
    starts with one."""
    words = text.split()
    shown = " ".join(words[:n])
    if len(words) > n:
        shown += " …"
    return " " + shown if shown and text[:1].isspace() else shown
