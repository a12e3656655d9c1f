"""One search index instead of four (issue 15, bulk import).

Every task inserted adds an entry to each GIN index; with trigram and bigram indexes on
both the title and the text, index upkeep was most of an imported plan's insert time
(about 0.4 of 0.5 ms per task), and a GIN index costs mostly per row, not per key (the
title's bigram index, on a dozen characters, cost half as much as the text's). One bigram
index on the title and the text together serves every query of two characters or more:
a title or text containing `q` holds each of `q`'s pairs, so the task search asks the
index for the rows holding all of them and checks `icontains` on those (what pg_bigm
does). chr(2) between the two columns only forms pairs no query holds. The pg_trgm
extension stays (dropping it could break other objects, and it costs nothing).

The index uses the "C" collation: a GIN index orders its keys with their collation, and
under the databases' C.UTF-8 every comparison went through strcoll(); exact pairs only
need byte order. The task search writes this very expression (apps/plans/selectors.py,
`SEARCH_DOCUMENT`), so that its condition matches the index. On SQLite this migration
does nothing.
"""

from django.db import migrations

INDEX = "plans_task_search_bigrams"
# The indexed expression; the search's condition must repeat it exactly.
DOCUMENT = """(plans_bigrams(UPPER("title"::text || chr(2) || "text")) COLLATE "C")"""
OLD_INDEXES = {
    "plans_task_title_trgm": 'UPPER("title"::text) gin_trgm_ops',
    "plans_task_text_trgm": 'UPPER("text"::text) gin_trgm_ops',
    "plans_task_title_bigrams": 'plans_bigrams(UPPER("title"::text))',
    "plans_task_text_bigrams": 'plans_bigrams(UPPER("text"::text))',
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON plans_task USING gin ({DOCUMENT})"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    for name, expression in OLD_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON plans_task USING gin ({expression})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0011_merge_search_and_supervision"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
