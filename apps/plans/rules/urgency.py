"""When an open task is urgent (督办): the reasons /me/ sorts by, the navigation bar
counts, and the reminders and the leaders' digest name.

A task is urgent when it is 滞后 (typed 滞后, a red light, or past its due date), has a
催办 still open, is due within URGENT_DAYS days, or nobody has updated it for
URGENT_DAYS days. The reasons are listed most urgent first: /me/ sorts by them in this
order and says so on the page; each reason's label is what every page and message shows.

Plain Python, no Django: the SQL that computes the four flags lives in
apps/supervision/selectors.py (`task_urgency_annotate`) and names them as below.
"""

from __future__ import annotations

# The window of "due soon" and of "not updated": one number for /me/, the reminders and
# the digest.
URGENT_DAYS = 14

# {flag: label}, most urgent first.
URGENCY_LABELS: dict[str, str] = {
    "is_late": "滞后",
    "has_open_urge": "催办未办结",
    "due_soon": f"{URGENT_DAYS} 天内到期",
    "is_stale": f"{URGENT_DAYS} 天未更新",
}


def urgency_reasons(flags: object) -> list[str]:
    """The labels of the reasons `flags` (an object with the four flags as attributes,
    such as an annotated task) is urgent, most urgent first."""
    return [label for flag, label in URGENCY_LABELS.items() if getattr(flags, flag, False)]
