"""PostgreSQL only: (section, key) indexes, so that "newest matches in a section" walks one
section's keys backwards instead of every key. SQLite filters sections inside FTS5 (0003)."""

from django.db import migrations

CREATE = [
    "CREATE INDEX search_articleentry_section_key ON search_articleentry (section_id, id)",
    "CREATE INDEX search_commententry_section_key ON search_commententry (section_id, id)",
]
DROP = [
    "DROP INDEX IF EXISTS search_commententry_section_key",
    "DROP INDEX IF EXISTS search_articleentry_section_key",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_section_in_fts")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
