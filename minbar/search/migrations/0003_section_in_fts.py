"""SQLite only: the FTS tables get a `section` column (one token per row, `s<id>`), so that a
section filter is intersected inside FTS5 instead of joined row by row. The tables are rebuilt
with their rows (FTS5 columns are fixed at creation)."""

from django.db import migrations

TABLES = {
    # table: (entry table, text columns)
    "search_article_fts": ("search_articleentry", "title, standfirst, tags, body"),
    "search_comment_fts": ("search_commententry", "body"),
}
TRIGGERS = [
    "CREATE TRIGGER search_articleentry_text AFTER DELETE ON search_articleentry "
    "BEGIN DELETE FROM search_article_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER search_commententry_text AFTER DELETE ON search_commententry "
    "BEGIN DELETE FROM search_comment_fts WHERE rowid = old.id; END",
]


def _rebuild(*, with_section: bool):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        # The triggers name the FTS tables: they go first, and come back at the end.
        schema_editor.execute("DROP TRIGGER IF EXISTS search_articleentry_text")
        schema_editor.execute("DROP TRIGGER IF EXISTS search_commententry_text")
        for table, (entries, columns) in TABLES.items():
            extra = ", section" if with_section else ""
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE {table}_new USING fts5({columns}{extra}, "
                "tokenize='unicode61 remove_diacritics 0', prefix='3')"
            )
            source = ", ".join(f"f.{c.strip()}" for c in columns.split(","))
            if with_section:
                schema_editor.execute(
                    f"INSERT INTO {table}_new (rowid, {columns}, section) "
                    f"SELECT f.rowid, {source}, 's' || e.section_id FROM {table} AS f "
                    f"JOIN {entries} AS e ON e.id = f.rowid"
                )
            else:
                schema_editor.execute(
                    f"INSERT INTO {table}_new (rowid, {columns}) "
                    f"SELECT f.rowid, {source} FROM {table} AS f"
                )
            schema_editor.execute(f"DROP TABLE {table}")
            schema_editor.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
        for statement in TRIGGERS:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_entry_date_in_key")]

    operations = [
        migrations.RunPython(_rebuild(with_section=True), _rebuild(with_section=False)),
    ]
