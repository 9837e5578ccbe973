"""The database itself refuses to change the text of a cited source, whatever writes it (the
admin, a history revert, a raw UPDATE): every citation's offsets point into that text.
Source.save() refuses first with a readable message; this trigger is the last line."""

from django.db import migrations

POSTGRESQL = """
CREATE OR REPLACE FUNCTION positions_cited_text_fixed() RETURNS trigger AS $$
BEGIN
  IF NEW.text IS DISTINCT FROM OLD.text
     AND EXISTS (SELECT 1 FROM positions_citation WHERE source_id = OLD.id) THEN
    RAISE EXCEPTION 'the text of source "%" is cited, so it cannot change', OLD.slug
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER positions_source_cited_text_fixed
  BEFORE UPDATE OF text ON positions_source
  FOR EACH ROW EXECUTE FUNCTION positions_cited_text_fixed();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS positions_source_cited_text_fixed ON positions_source;
DROP FUNCTION IF EXISTS positions_cited_text_fixed();
"""

SQLITE = """
CREATE TRIGGER positions_source_cited_text_fixed
  BEFORE UPDATE OF text ON positions_source
  FOR EACH ROW
  WHEN NEW.text IS NOT OLD.text
       AND EXISTS (SELECT 1 FROM positions_citation WHERE source_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'the text of a cited source cannot change');
END;
"""

SQLITE_DROP = "DROP TRIGGER IF EXISTS positions_source_cited_text_fixed;"


def create(apps, schema_editor):
    sql = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql, params=None)


def drop(apps, schema_editor):
    sql = {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(
        schema_editor.connection.vendor
    )
    if sql:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("positions", "0008_withdrawal_versions_and_sync")]

    operations = [migrations.RunPython(create, drop)]
