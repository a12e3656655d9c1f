"""One pair of search indexes instead of two (issue 15, bulk import).

Every task inserted adds a key to each GIN index per distinct pair (bigram indexes) or
triple (trigram indexes) of its characters; with all four, index upkeep was most of an
imported plan's insert time (about 0.4 of 0.5 ms per task). The bigram indexes alone serve
every query of two characters or more: a text containing `q` contains each of `q`'s
pairs, so the task search asks the index for the rows holding all of them and checks
`icontains` on those (what pg_bigm does). The trigram indexes of 0008 are dropped; the
pg_trgm extension stays (dropping it could break other objects, and it costs nothing).

The bigram indexes are rebuilt with the "C" collation: a GIN index orders its keys with
their collation, and under the databases' C.UTF-8 every comparison went through
strcoll(); exact pairs only need byte order. The search writes the same COLLATE "C", so
that its condition matches the index (apps/plans/selectors.py). On SQLite this migration
does nothing.
"""

from django.db import migrations

BIGRAM_INDEXES = {
    "plans_task_title_bigrams": "title",
    "plans_task_text_bigrams": "text",
}
TRIGRAM_INDEXES = {
    "plans_task_title_trgm": "title",
    "plans_task_text_trgm": "text",
}


def _bigram_indexes_create(schema_editor, collate: str) -> None:
    for name, column in BIGRAM_INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE INDEX {name} ON plans_task "
            f'USING gin ((plans_bigrams(UPPER("{column}"::text)){collate}))'
        )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    _bigram_indexes_create(schema_editor, ' COLLATE "C"')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _bigram_indexes_create(schema_editor, "")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON plans_task "
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0011_merge_search_and_supervision"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
