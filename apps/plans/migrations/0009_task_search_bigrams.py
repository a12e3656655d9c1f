"""Bigram indexes for two-character task searches (issue 15).

A pg_trgm index cannot serve a two-character query (养老, 就业): the pattern holds no
trigram, so PostgreSQL reads every task. `pg_bigm` would, but is not available on our
servers. These indexes hold each row's distinct two-character substrings
(`plans_bigrams`, an IMMUTABLE SQL function of the same `UPPER(col::text)` the trigram
indexes use), so that `plans_bigrams(UPPER(title::text)) @> ARRAY[UPPER('养老')]` -- which
is exactly "the title contains 养老, ignoring case" -- is an index lookup. The task search
writes that condition for two-character queries (apps/plans/selectors.py, `task_search`).
PostgreSQL keeps the indexes on every write; on SQLite this migration does nothing.

COST 1000 (the default is 100) tells the planner what computing a row's bigrams really
costs: with the default it walked the task list's ordering index and computed them for
every row it passed (95 ms for `?q=养老` at 215 街道) instead of reading the two bigram
indexes and sorting the matches (4 ms).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION plans_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
    SELECT coalesce(array_agg(DISTINCT substr(value, i, 2)), '{}')
    FROM generate_series(1, char_length(value) - 1) AS i
$$
"""

INDEXES = {
    "plans_task_title_bigrams": "title",
    "plans_task_text_bigrams": "text",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON plans_task "
            f'USING gin (plans_bigrams(UPPER("{column}"::text)))'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS plans_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0008_task_search_trigram"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
