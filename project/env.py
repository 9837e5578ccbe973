"""Read settings from the environment, failing loudly on a value we cannot use."""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of {sorted(TRUE | FALSE)}"
    )


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


RATE_PERIODS = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}


def env_rate(name, default):
    """A request rate as Django REST framework writes it: '120/min', '5000/day'."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    count, _, period = raw.strip().partition("/")
    if not (count.isdigit() and period in RATE_PERIODS):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate: write requests/period, e.g. 120/min "
            f"(period one of {sorted(RATE_PERIODS)})"
        )
    return raw.strip()
