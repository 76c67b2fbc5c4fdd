"""PostgreSQL only: a `phrases` tsvector of each entry's adjacent term pairs ("a b"), with its
own GIN index, so that a phrase is looked up by its pairs instead of rechecking every row that
holds its words (decision 0021). Stored out of line and uncompressed (EXTERNAL): it is read
through its index, so the row the phrase check reads stays small.

Entries already indexed get their pairs from their documents' positions (within an article the
fields' positions follow each other, so a pair may span two fields: a phrase is still checked
on the document, that only costs a row read). New entries get them from the indexer."""

from django.db import migrations

PAIRS_FROM_POSITIONS = """
UPDATE {table} AS e SET phrases = array_to_tsvector(coalesce((
    SELECT array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)
    FROM (SELECT lexeme, unnest(positions) AS p FROM unnest(e.document)) AS a
    JOIN (SELECT lexeme, unnest(positions) AS p FROM unnest(e.document)) AS b ON b.p = a.p + 1
), '{{}}'))
"""

TABLES = ("search_articleentry", "search_commententry")
CREATE = [
    statement
    for table in TABLES
    for statement in (
        f"ALTER TABLE {table} ADD COLUMN phrases tsvector NOT NULL DEFAULT ''",
        f"ALTER TABLE {table} ALTER COLUMN phrases SET STORAGE EXTERNAL",
        PAIRS_FROM_POSITIONS.format(table=table),
        f"CREATE INDEX {table}_phrases ON {table} USING gin (phrases)",
    )
]
DROP = [
    statement
    for table in TABLES
    for statement in (
        f"DROP INDEX IF EXISTS {table}_phrases",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS phrases",
    )
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_vocabulary")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
