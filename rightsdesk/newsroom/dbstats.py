"""The query planner's statistics: SQLite has none until ANALYZE runs, and without them it plans
the site's commonest queries badly. With 10,000 articles, "the 20 newest published articles"
(feeds, Latest news) sorted every English page in a temporary B-tree instead of walking the date
index, many times slower; the archive's order, counts and the publish's re-bake slowed alike
(bench/RESULTS.md, "Design measurements").

- `analyze()` gathers them for every table: after
  migrations, after the demo is loaded, and by `rightsdesk` commands that add many pages.
- `optimize()` runs after every publish on SQLite: `PRAGMA optimize` re-analyzes only the tables
  whose size changed much since (usually nothing, well under a millisecond), so the statistics
  follow the site as it grows. PostgreSQL's autovacuum keeps its own statistics current.
"""

from django.db import DEFAULT_DB_ALIAS, connections


def analyze(using=DEFAULT_DB_ALIAS):
    connection = connections[using]
    if connection.vendor in ("sqlite", "postgresql"):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def optimize(using=DEFAULT_DB_ALIAS):
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")


def after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    analyze(using)
