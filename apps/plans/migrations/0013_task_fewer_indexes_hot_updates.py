"""Fewer task indexes, so that saves and roll-ups can update a task in place (issue 15:
imports and the write path).

Why: in PostgreSQL an UPDATE that changes no indexed column, and whose new row version
fits on the same page, is a HOT update: no index gets a new entry. Every task write
changed an indexed column (`updated_at`, `status`, `health`, `is_overdue`,
`last_update_at` all had indexes), so each one wrote all sixteen indexes again, the
search index's hundred-odd bigrams of the title and text included. Measured on 8,000
tasks of the 215-街道 database (temporary tables, so without WAL), two runs: a roll-up's
write of 2,000 rows (percent, health, updated_at) 797 / 835 ms before, 680 / 675 ms
after; then a person's save of 2,000 rows (percent, last_update_at) 842 / 884 ms before,
92 / 86 ms after, most of them HOT. An import inserts into nine fewer indexes.

The indexes that go, and why no query needs them (`pg_stat_user_indexes` after generating
the city, loading every page of `bench.pages` and running the nightly jobs: `theme`,
`updated_at`, (plan, health), (plan, is_overdue) and `path` were never scanned, `status`
once; `last_update_at` served the weekly reminders, which took as long without it, 8.4-10.5
s against 9.2-9.7 for 215 街道; and `plan` alone serves nothing (plan, path) does not):
- `status`, `theme`: a handful of values each; a filter on them is never selective, and
  the theme page goes by (plan, theme), which stays.
- `updated_at`: no task query filters or sorts on it (the dashboards' stamp reads plans).
- `last_update_at` (N 天未更新): "not updated for N days" matches a large share of a
  scope's tasks, which PostgreSQL reads faster without the index.
- (plan, health), (plan, is_overdue), and `plan` alone: a plan has tens of tasks, found by
  the (plan, path) unique index, which every lookup by plan uses.
- `path` and its LIKE twin: a path is only ever looked up within its plan (sections,
  ancestors), again through (plan, path).

Kept: the primary key, (plan, path), `parent`, `lead_department`, `due_date` (the urgency
ranges over a whole scope), (plan, theme) and the search index.

Not done: a `fillfactor` below 100, which keeps room on every page for HOT updates (the
roll-up's write above: 349 ms). It makes the table a fifth larger, and the planner then
answered `?q=养老` by reading the task index in order and computing every row's bigrams
(38 ms) instead of the search index (17 ms).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0012_task_search_one_bigram_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="task", name="task_status_idx"),
        migrations.RemoveIndex(model_name="task", name="task_updated_at_idx"),
        migrations.RemoveIndex(model_name="task", name="task_plan_health_idx"),
        migrations.RemoveIndex(model_name="task", name="task_plan_overdue_idx"),
        migrations.RemoveIndex(model_name="task", name="task_theme_idx"),
        migrations.RemoveIndex(model_name="task", name="task_last_update_idx"),
        migrations.AlterField(
            model_name="historicaltask",
            name="path",
            field=models.CharField(max_length=255, verbose_name="路径"),
        ),
        migrations.AlterField(
            model_name="task",
            name="path",
            field=models.CharField(max_length=255, verbose_name="路径"),
        ),
        migrations.AlterField(
            model_name="task",
            name="plan",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="tasks",
                to="plans.plan",
                verbose_name="工作计划",
            ),
        ),
    ]
