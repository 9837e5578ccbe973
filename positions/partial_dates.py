"""Dates as precisely as the sources give them: a day, a month, a year, or unknown. Never more
precise than the source, and never invented."""

import datetime

from django.db import models
from django.db.models import Q


class DatePrecision(models.TextChoices):
    DAY = "day", "exact day"
    MONTH = "month", "month only"
    YEAR = "year", "year only"
    UNKNOWN = "unknown", "unknown"


def format_partial_date(value, precision):
    """Render a date only as precisely as the sources give it."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return "date unknown"
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%B %Y}"
    return f"{value.day} {value:%B %Y}"


def parse_partial_date(text):
    """'2022-01-21' -> (date, day); '2022-01' -> (date, month); '2021' -> (date, year).

    Raises ValueError on anything else, including impossible dates such as 2022-02-30.
    """
    text = str(text).strip()
    parts = text.split("-")
    if len(parts) == 3 and len(parts[0]) == 4:
        return datetime.date(int(parts[0]), int(parts[1]), int(parts[2])), DatePrecision.DAY
    if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2:
        return datetime.date(int(parts[0]), int(parts[1]), 1), DatePrecision.MONTH
    if len(parts) == 1 and len(parts[0]) == 4 and parts[0].isdigit():
        return datetime.date(int(parts[0]), 1, 1), DatePrecision.YEAR
    raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")


def unparse_partial_date(value, precision):
    if value is None or precision == DatePrecision.UNKNOWN:
        return None
    return {
        DatePrecision.DAY: f"{value:%Y-%m-%d}",
        DatePrecision.MONTH: f"{value:%Y-%m}",
        DatePrecision.YEAR: f"{value:%Y}",
    }[precision]


def partial_date_constraints(date_field, precision_field, name):
    """A date is given exactly when its precision is known."""
    return models.CheckConstraint(
        condition=(
            Q(**{precision_field: DatePrecision.UNKNOWN}) & Q(**{f"{date_field}__isnull": True})
        )
        | (~Q(**{precision_field: DatePrecision.UNKNOWN}) & Q(**{f"{date_field}__isnull": False})),
        name=name,
        violation_error_message="A date is given exactly when its precision is known.",
    )
