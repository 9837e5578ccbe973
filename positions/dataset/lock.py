"""A load and an admin edit never interleave (PostgreSQL advisory locks).

The loader takes the *load lock* (exclusive) as the first statement of its writing transaction;
every write of curated data by anyone else (a save, a delete, a link changed) first takes it
shared, and holds it to the end of its own transaction. So an edit made while a load runs waits
until the load has committed, and is then recorded after it: the next load sees it and refuses
to overwrite it. A load started while an edit is in progress waits for it, then sees it and
refuses. Neither is ever silently overwritten.

SQLite takes one writer at a time, which serialises the two already: there this is a no-op.
"""

from django.db import connections, router

from positions import models

KEY = 0x50415252  # any constant 64-bit number the whole site agrees on


def _lock(sql, model):
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, [KEY])


def hold_for_load():
    """Until this transaction ends, no one else writes curated data."""
    _lock("SELECT pg_advisory_xact_lock(%s)", models.DatasetSync)


def wait_for_load(sender, **kwargs):
    """A receiver for every write of curated data: wait while a load is writing."""
    if kwargs.get("raw"):
        return  # the loader's own fixture writes
    action = kwargs.get("action")
    if action is None or action.startswith("pre_"):
        _lock("SELECT pg_advisory_xact_lock_shared(%s)", sender)
