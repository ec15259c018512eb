"""Create the search index table for the database in use.

SQLite: an FTS5 virtual table; PostgreSQL: a table with a tsvector column and a GIN
index. The SQL is written out here (not imported) so this migration never changes.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_article_fts USING fts5("
    "title, subtitle, body, reporter, tags, "
    "tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_article_fts"]
POSTGRES = [
    "CREATE TABLE IF NOT EXISTS search_article ("
    "article_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_article_document ON search_article USING gin (document)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_article"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True
    dependencies = [("articles", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
            elidable=False,
        )
    ]
