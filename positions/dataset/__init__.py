"""Load and verify the curated dataset: the articles in seeds/ and the YAML fixtures that cite them.

Loading happens in three phases:

1. *check*: read every file, validate every record and field, resolve every slug, anchor every
   quote in its source. Nothing touches the database; every problem found is collected with the
   file, the record and the field it concerns.
2. *write*: only if there was no problem, upsert everything by natural key in one transaction.
   Loading the same files twice changes nothing.
3. *stale*: in the same transaction, list the records the database holds and the fixtures no
   longer do; with ``prune``, delete them, or refuse the whole load where a delete would orphan
   something.

The fixtures hold published claims (and drafts), never a curator's pending proposed change to one
(a claim with ``revision_of`` set): the loader matches, exports and prunes originals only, and
leaves proposed changes to the review workflow.

One module a phase: ``fixtures`` (the format), ``check``, ``write`` (and stale), ``verify`` and
``export``. The management commands ``load_dataset``, ``check_citations`` and ``export_dataset``
are thin wrappers over them.
"""
