"""Trigram indexes for the task search (issue 15).

`title__icontains` / `text__icontains` become `UPPER(col) LIKE UPPER('%q%')` on
PostgreSQL, so the indexes are on those very expressions: the task list and the admin's
search (both icontains) use them without a special lookup. pg_trgm is a trusted extension
(PostgreSQL 13+), so the application's role may create it. On SQLite (development, tests)
this migration does nothing.
"""

from django.db import migrations

INDEXES = {
    "plans_task_title_trgm": "title",
    "plans_task_text_trgm": "text",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON plans_task '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    # The extension stays: other databases objects may use it, and it costs nothing.


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0007_merge_archive_and_lt_label"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
