"""Text a reader sees must say what it shows: no invisible control characters.

A right-to-left override (U+202E) or a zero-width space in a name or quote makes it display
differently from its characters, or look identical to a different string. Such characters are
refused wherever text comes in: model validation (every admin form) and the loader, with the
character named and where it is, never rendered raw.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models

# C0 and C1 controls except tab and line breaks; bidirectional embeddings, overrides, isolates
# and marks; zero-width and invisible operators; the byte-order mark.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff]"
)


def invisible_character(value):
    """A message naming the first invisible control character in value, or ""."""
    match = INVISIBLE.search(value) if isinstance(value, str) else None
    if match is None:
        return ""
    char = match.group()
    name = unicodedata.name(char, "a control character")
    before = " ".join(value[max(0, match.start() - 30) : match.start()].split())
    where = f" after “{before}”" if before else " at the start"
    return (
        f"contains an invisible control character, U+{ord(char):04X} {name},{where}: remove it "
        "(it makes the text display differently from what it says)"
    )


def visible_text_errors(instance, exclude=()):
    """{field name: message} for the text fields of a model instance that hold one."""
    errors = {}
    for f in instance._meta.concrete_fields:
        if f.name in exclude or not isinstance(f, (models.CharField, models.TextField)):
            continue
        message = invisible_character(getattr(instance, f.attname))
        if message:
            errors[f.name] = [message]
    return errors


class VisibleText:
    """Mixed into every curated model: ``full_clean`` refuses invisible control characters."""

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, messages in visible_text_errors(self, exclude or ()).items():
            errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)
