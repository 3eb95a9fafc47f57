"""The PostgreSQL search table with narrow rows (see newsroom/search/postgres.py, Postgres.page):

Counting a common word's matches reads the table row of every match (for its language and its
visibility). With the title and the text stored in the rows, 10,000 articles took 1,500 pages of
8 kB, and the count of a word found in 7,755 of them took about 8 ms; with the long values moved
to the table's TOAST storage the rows fit in under 300 pages and the same count takes under 3 ms.

- `toast_tuple_target = 128`: the text, the title and the large tsvector of a row are stored out
  of line (they are read only for the ten results shown);
- the title's small tsvector stays in the row (`STORAGE PLAIN`): it is read for every title hit;
- the rows already there are rewritten (CLUSTER, in page-id order, the order "most recent first"
  reads them in);
- the two tsvector columns keep almost no statistics: the search's plans are fixed by how its
  statement is written (see Postgres.page), and with the default of 100 the planner spent about
  half a millisecond of every search estimating each word against a thousand common lexemes.

Nothing to do on SQLite (the FTS5 table keeps its text apart from its index).
"""

from django.db import migrations

POSTGRES = [
    "ALTER TABLE newsroom_search SET (toast_tuple_target = 128)",
    "ALTER TABLE newsroom_search ALTER COLUMN title_document SET STORAGE PLAIN",
    "ALTER TABLE newsroom_search ALTER COLUMN document SET STATISTICS 1, "
    "ALTER COLUMN title_document SET STATISTICS 1",
    "CLUSTER newsroom_search USING newsroom_search_pkey",
    "ANALYZE newsroom_search",
]
POSTGRES_BACK = [
    "ALTER TABLE newsroom_search RESET (toast_tuple_target)",
    "ALTER TABLE newsroom_search ALTER COLUMN title_document SET STORAGE EXTENDED, "
    "ALTER COLUMN document SET STATISTICS -1, ALTER COLUMN title_document SET STATISTICS -1",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRES)


def backward(apps, schema_editor):
    _run(schema_editor, POSTGRES_BACK)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0003_search_speed")]

    operations = [migrations.RunPython(forward, backward)]
