"""The public search index (see rightsdesk/newsroom/search/): an FTS5 table on SQLite, a table
with a tsvector column and a GIN index on PostgreSQL. Filled by every publish and by
`rightsdesk search --rebuild`."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS newsroom_search USING fts5(title, body, locale, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
]
POSTGRES = [
    "CREATE TABLE IF NOT EXISTS newsroom_search (page_id integer PRIMARY KEY, locale_id integer NOT NULL, "
    "title text NOT NULL, body text NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS newsroom_search_document ON newsroom_search USING gin (document)",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor)
    if statements is None:
        raise RuntimeError(f"the search index supports SQLite and PostgreSQL, not {vendor}")
    for sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS newsroom_search")


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
