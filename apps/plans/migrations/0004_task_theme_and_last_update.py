"""Fill the new Task.theme and Task.last_update_at for tasks imported before they existed."""

from django.db import migrations
from django.db.models import Max, OuterRef, Subquery

from apps.plans.themes import theme_for


def fill(apps, schema_editor):
    Task = apps.get_model("plans", "Task")
    TaskUpdate = apps.get_model("plans", "TaskUpdate")
    tasks = list(Task.objects.order_by("plan_id", "path"))
    themes = {}
    for task in tasks:
        task.theme = theme_for(task.title, task.text, themes.get(task.parent_id))
        themes[task.pk] = task.theme
    Task.objects.bulk_update(tasks, ["theme"], batch_size=500)
    latest = (
        TaskUpdate.objects.filter(task=OuterRef("pk"))
        .values("task")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    Task.objects.update(last_update_at=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_progress_rollups_snapshots_reports")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
