"""Bigram indexes for two-character task searches (issue 15).

A pg_trgm index cannot serve a two-character query (养老, 就业): the pattern holds no
trigram, so PostgreSQL reads every task. `pg_bigm` would, but is not available on our
servers. These indexes hold each row's distinct two-character substrings
(`plans_bigrams`, an IMMUTABLE SQL function of the same `UPPER(col::text)` the trigram
indexes use), so that `plans_bigrams(UPPER(title::text)) @> ARRAY[UPPER('养老')]` -- which
is exactly "the title contains 养老, ignoring case" -- is an index lookup. The task search
writes that condition for two-character queries (apps/plans/selectors.py, `task_search`).
PostgreSQL keeps the indexes on every write; on SQLite this migration does nothing.

COST 1000 (the default is 100) tells the planner that computing a row's bigrams is not
cheap: with the default it walked the task list's ordering index and computed them for
every row it passed (95 ms for `?q=养老` at 215 街道) instead of reading the two bigram
indexes and sorting the matches (4 ms). PARALLEL UNSAFE: that COST also made parallel
plans look worthwhile, and starting workers took 200-300 ms on a busy two-core server
for a search that one process answers from the indexes in 10 ms.
"""

from django.db import migrations

# The pairs starting at odd positions, then those at even ones: two regexp passes in C,
# several times faster than a generate_series of substr() per row. chr(1) only separates
# the pairs (no document holds it; XML, and so .docx, cannot). PL/pgSQL so that it is
# never inlined and the planner keeps its COST (below).
FUNCTION = r"""
CREATE OR REPLACE FUNCTION plans_bigrams(value text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE COST 1000 AS $$
BEGIN
    RETURN string_to_array(regexp_replace(value, '(..)', '\1' || chr(1), 'g'), chr(1))
        || string_to_array(regexp_replace(substr(value, 2), '(..)', '\1' || chr(1), 'g'), chr(1));
END
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
