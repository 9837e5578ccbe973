"""Anchor a verbatim quote in its source text. Pure functions: no ORM, no Django.

A quote is matched after folding runs of white space (spaces, line breaks, tabs) into one
space on both sides. Every other character is kept as it is: a curly quote only matches a
curly quote, an apostrophe only an apostrophe. Offsets are given in the original text, so
``text[anchor.start:anchor.end]`` is the passage as the source prints it.

When a passage occurs more than once, an optional ``prefix`` (text just before it) and
``suffix`` (text just after it) tell the occurrences apart.
"""

import difflib
import hashlib
import re
from dataclasses import dataclass

WHITESPACE = re.compile(r"\s+")


class AnchorError(ValueError):
    """The quote cannot be anchored: not found, or found more than once."""


class QuoteNotFound(AnchorError):
    def __init__(self, quote, closest=""):
        self.quote = quote
        self.closest = closest
        message = f"quote not found verbatim in the source: {shorten(quote)!r}"
        if closest:
            message += f"; the closest passage is {shorten(closest)!r}"
        super().__init__(message)


class QuoteAmbiguous(AnchorError):
    def __init__(self, quote, starts):
        self.quote = quote
        self.starts = starts
        offsets = ", ".join(str(s) for s in starts)
        super().__init__(
            f"quote occurs {len(starts)} times in the source (at offsets {offsets}): "
            f"{shorten(quote)!r}; add a prefix or suffix to say which"
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
    starts = find_all(norm.text, needle)
    want_prefix, want_suffix = normalise(prefix), normalise(suffix)
    if want_prefix:
        starts = [s for s in starts if norm.text[:s].rstrip().endswith(want_prefix)]
    if want_suffix:
        starts = [
            s for s in starts if norm.text[s + len(needle) :].lstrip().startswith(want_suffix)
        ]
    if not starts:
        raise QuoteNotFound(quote, closest_passage(norm.text, needle))
    if len(starts) > 1:
        raise QuoteAmbiguous(quote, [norm.offsets[s] for s in starts])
    start, end = norm.original_span(starts[0], starts[0] + len(needle))
    return Anchor(start, end)


def verify(text, quote, start, end):
    """True when text[start:end] is the quote (white space folded)."""
    if not (0 <= start < end <= len(text)):
        return False
    return normalise(text[start:end]) == normalise(quote)


def closest_passage(text, needle):
    """The passage of ``text`` most like ``needle``, as long as the needle, for error messages."""
    if not text or not needle:
        return ""
    matcher = difflib.SequenceMatcher(None, text, needle, autojunk=False)
    best_ratio, best = 0.0, ""
    # Candidate windows start where a long common block starts; compare each whole window.
    for block in matcher.get_matching_blocks():
        if block.size < 4:
            continue
        start = max(0, block.a - block.b)
        window = text[start : start + len(needle)]
        ratio = difflib.SequenceMatcher(None, window, needle, autojunk=False).ratio()
        if ratio > best_ratio:
            best_ratio, best = ratio, window
    return best if best_ratio >= 0.5 else ""


def shorten(text, width=90):
    text = normalise(text)
    return text if len(text) <= width else text[: width - 1] + "…"
