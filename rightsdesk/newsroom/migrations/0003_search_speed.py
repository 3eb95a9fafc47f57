"""The search index, faster for common words and words being typed (see newsroom/search/):

- SQLite: the FTS5 table gains prefix indexes of 3 and 4 characters (a short prefix is one
  lookup instead of a merge of every word it begins) and is rebuilt from its own rows, merged
  into one segment.
- PostgreSQL: a small tsvector of the title alone, with its own GIN index, for "a query word in
  the title" when a query matches too many articles to rank them all.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE newsroom_search_new USING fts5(title, body, locale, "
    "tokenize = 'porter unicode61 remove_diacritics 2', prefix = '3 4')",
    "INSERT INTO newsroom_search_new (rowid, title, body, locale) SELECT rowid, title, body, locale FROM newsroom_search",
    "DROP TABLE newsroom_search",
    "ALTER TABLE newsroom_search_new RENAME TO newsroom_search",
    "INSERT INTO newsroom_search (newsroom_search) VALUES ('optimize')",
]
POSTGRES = [
    "ALTER TABLE newsroom_search ADD COLUMN IF NOT EXISTS title_document tsvector",
    # The same configuration as the index uses (search.postgres.Postgres.config): english for English.
    "UPDATE newsroom_search AS s SET title_document = to_tsvector("
    "(CASE WHEN l.language_code = 'en' THEN 'english' ELSE 'simple' END)::regconfig, s.title) "
    "FROM wagtailcore_locale AS l WHERE l.id = s.locale_id",
    "ALTER TABLE newsroom_search ALTER COLUMN title_document SET NOT NULL",
    "CREATE INDEX IF NOT EXISTS newsroom_search_title_document ON newsroom_search USING gin (title_document)",
]
SQLITE_BACK = [
    "CREATE VIRTUAL TABLE newsroom_search_old USING fts5(title, body, locale, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    "INSERT INTO newsroom_search_old (rowid, title, body, locale) SELECT rowid, title, body, locale FROM newsroom_search",
    "DROP TABLE newsroom_search",
    "ALTER TABLE newsroom_search_old RENAME TO newsroom_search",
]
POSTGRES_BACK = [
    "DROP INDEX IF EXISTS newsroom_search_title_document",
    "ALTER TABLE newsroom_search DROP COLUMN IF EXISTS title_document",
]


def _run(schema_editor, by_vendor):
    vendor = schema_editor.connection.vendor
    statements = by_vendor.get(vendor)
    if statements is None:
        raise RuntimeError(f"the search index supports SQLite and PostgreSQL, not {vendor}")
    for sql in statements:
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRES})


def backward(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_BACK, "postgresql": POSTGRES_BACK})


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0002_search_index")]

    operations = [migrations.RunPython(forward, backward)]
