"""How one saved update reads on a task's timeline (`TaskUpdate.changes`).

Each change is {"field", "label", "old", "new"} with Chinese display values. The task
page's service, the demo and the synthetic city all build their timeline entries here,
so an update reads the same whoever (or whatever) made it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from apps.core.formatting import plain_number
from apps.plans.rules.vocabulary import STATUS_LABELS, label

# The task fields a person changes on the task page, in the order the timeline lists them,
# with their names as the page shows them (the model's verbose names; a test keeps them so).
FIELD_LABELS = {
    "status": "状态",
    "percent": "完成百分比",
    "due_date": "截止日期",
    "lead_department": "牵头科室",
    "responsible_person": "责任人",
}
EMPTY = "—"


def display(field: str, value: Any) -> str:
    """The Chinese text of a field value as the timeline shows it."""
    if value in (None, ""):
        return EMPTY
    if field == "status":
        return label(STATUS_LABELS, value)
    if field == "percent":
        return f"{value}%"
    if isinstance(value, dt.date):
        return value.isoformat()
    # A department reads as its name.
    return str(getattr(value, "name", value))


def task_changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, str]]:
    """The entries for the fields whose value differs between `old` and `new`."""
    return [
        {
            "field": field,
            "label": text,
            "old": display(field, old[field]),
            "new": display(field, new[field]),
        }
        for field, text in FIELD_LABELS.items()
        if field in new and old.get(field) != new[field]
    ]


def reading_change(
    *, indicator_id: int, name: str, unit: str, date: dt.date, value: Decimal | float
) -> dict[str, str]:
    """The entry for one indicator value recorded with the update."""
    return {
        "field": f"indicator_{indicator_id}",
        "label": f"{name}实际值",
        "old": "",
        "new": f"{plain_number(value)}{unit}（{date.isoformat()}）",
    }


def compare_with_now(changes: list[dict[str, str]], task: Any) -> list[tuple[str, str, str]]:
    """A pending update's changes (审核) beside the task as it is now: (label, now,
    proposed). The "old" stored with the update is the value when it was submitted; the
    leader judges it against what the task holds today, which someone may have changed
    meanwhile. An indicator value has no "now": it is added, not replaced."""
    return [
        (
            change["label"],
            display(change["field"], getattr(task, change["field"]))
            if change.get("field") in FIELD_LABELS
            else change["old"] or EMPTY,
            change["new"],
        )
        for change in changes
    ]
