"""The database itself keeps every citation true to its source, against any writer and any
interleaving (PostgreSQL; the application checks the same first, with readable messages):

- a citation is written only if its quote is the text of its source at its offsets (white space
  folded, as positions/citations.py verifies), and it holds its source's row (FOR SHARE) until its
  transaction ends, so a concurrent text change waits for it and is then refused;
- a cited source cannot be deleted, so deleting and re-inserting it in one transaction (the
  foreign keys are checked only at commit) cannot change its text.

What a database owner can still do by hand: TRUNCATE, disable the triggers (ALTER TABLE ...
DISABLE TRIGGER, or session_replication_role = replica), or drop them. `manage.py
check_citations` finds what that breaks."""

from django.db import migrations

# Python's \\s (str.isspace), spelled out so that no locale changes it.
SPACE = r"[\t\n\v\f\r \u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"

POSTGRESQL = rf"""
CREATE OR REPLACE FUNCTION positions_fold(value text) RETURNS text AS $$
  SELECT btrim(regexp_replace(value, '{SPACE}', ' ', 'g'), ' ')
$$ LANGUAGE sql IMMUTABLE;

CREATE OR REPLACE FUNCTION positions_citation_matches_source() RETURNS trigger AS $$
DECLARE
  cited text;
BEGIN
  SELECT text INTO cited FROM positions_source WHERE id = NEW.source_id FOR SHARE;
  IF cited IS NULL THEN
    RAISE EXCEPTION 'citation % cites source %, which does not exist', NEW.id, NEW.source_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF NEW.start < 0 OR NEW."end" > char_length(cited)
     OR positions_fold(substr(cited, NEW.start + 1, NEW."end" - NEW.start))
        IS DISTINCT FROM positions_fold(NEW.quote) THEN
    RAISE EXCEPTION 'the quote of citation % is not the text of source % at %-%',
      NEW.id, NEW.source_id, NEW.start, NEW."end"
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER positions_citation_matches_source
  BEFORE INSERT OR UPDATE OF source_id, quote, start, "end" ON positions_citation
  FOR EACH ROW EXECUTE FUNCTION positions_citation_matches_source();

CREATE OR REPLACE FUNCTION positions_cited_source_kept() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM positions_citation WHERE source_id = OLD.id) THEN
    RAISE EXCEPTION 'source "%" is cited, so it cannot be deleted', OLD.slug
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN OLD;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER positions_cited_source_kept
  BEFORE DELETE ON positions_source
  FOR EACH ROW EXECUTE FUNCTION positions_cited_source_kept();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS positions_cited_source_kept ON positions_source;
DROP FUNCTION IF EXISTS positions_cited_source_kept();
DROP TRIGGER IF EXISTS positions_citation_matches_source ON positions_citation;
DROP FUNCTION IF EXISTS positions_citation_matches_source();
DROP FUNCTION IF EXISTS positions_fold(text);
"""


# On SQLite, adding the version column (0012) rebuilt the sources' table without the trigger that
# keeps a cited source's text fixed (0001): it is made again here, as it was.
SQLITE = [
    "DROP TRIGGER IF EXISTS positions_source_cited_text_fixed",
    """
CREATE TRIGGER positions_source_cited_text_fixed
  BEFORE UPDATE OF text ON positions_source
  FOR EACH ROW
  WHEN NEW.text IS NOT OLD.text
       AND EXISTS (SELECT 1 FROM positions_citation WHERE source_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'the text of a cited source cannot change');
END;
""",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("positions", "0012_versions_for_reference_data")]

    operations = [migrations.RunPython(create, drop)]
