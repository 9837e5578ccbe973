"""Search reads stored entries (models.SearchEntry), indexed by the database:

- PostgreSQL: a generated tsvector column, the entry's three parts weighted A, B and C, with a GIN
  index that serves ``@@``;
- SQLite: an FTS5 table of the same three parts, one row an entry, its rowid the entry's id,
  written by positions/search_index.py beside the entry (no trigger: SQLite rebuilds a table
  without its triggers when a later migration alters it).

The parts are stored already cut into words and stemmed (positions/search_index.py ``stems``), so
both databases only split them at spaces: the 'simple' configuration, FTS5's unicode61. Neither
database's own parser or stemmer has a say, and a search finds the same on both.

The entries are made by ``manage.py load_dataset`` and ``manage.py rebuild_search_index``, and
kept current by every save (positions/search_index.py)."""

from django.db import migrations, models

POSTGRESQL = """
ALTER TABLE positions_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple'::regconfig, a), 'A')
  || setweight(to_tsvector('simple'::regconfig, b), 'B')
  || setweight(to_tsvector('simple'::regconfig, c), 'C')
) STORED;
CREATE INDEX positions_searchentry_document ON positions_searchentry USING GIN (document);
"""

SQLITE = """
CREATE VIRTUAL TABLE positions_searchentry_fts USING fts5(
  a, b, c, tokenize = 'unicode61'
)
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS positions_searchentry_fts", params=None)


class Migration(migrations.Migration):
    dependencies = [("positions", "0013_citations_hold_in_the_database")]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("stance", "stance"),
                            ("demand", "demand"),
                            ("response", "response"),
                            ("actor", "actor"),
                            ("issue", "issue"),
                            ("round", "round"),
                        ],
                        max_length=8,
                    ),
                ),
                ("object_id", models.BigIntegerField()),
                ("a", models.TextField(blank=True)),
                ("b", models.TextField(blank=True)),
                ("c", models.TextField(blank=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id"), name="searchentry_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(create, drop),
    ]
