"""The codes the project stores and the Chinese words a user reads for them: one table each.

Model choices (`Task.Status`, the health fields, `Indicator.Comparator`), the charts, the
task table, the Excel exports, the timeline, the generators and the parsed plan's labels
all read these tables, so that no two pages can call one state by two names.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """What staff set on a task."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DELAYED = "delayed"
    SUSPENDED = "suspended"


STATUS_LABELS: dict[Status, str] = {
    Status.NOT_STARTED: "未开始",
    Status.IN_PROGRESS: "推进中",
    Status.DONE: "已完成",
    Status.DELAYED: "滞后",
    Status.SUSPENDED: "暂缓",
}


class Health(StrEnum):
    """The traffic light computed from progress against time (rules/progress.py)."""

    DONE = "done"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NOT_STARTED = "not_started"


HEALTH_LABELS: dict[Health, str] = {
    Health.DONE: "已完成",
    Health.ON_TRACK: "正常",
    Health.AT_RISK: "预警",
    Health.OFF_TRACK: "滞后",
    Health.NOT_STARTED: "未开始",
}
HEALTH_CHOICES = [(code.value, text) for code, text in HEALTH_LABELS.items()]
# "Nothing to worry about", in the dashboards' share of indicators done or on track.
GOOD_HEALTH = frozenset({Health.DONE, Health.ON_TRACK})


class Comparator(StrEnum):
    """How an indicator's actual value is held against its target."""

    EQ = "eq"
    GTE = "gte"
    LTE = "lte"
    GT = "gt"
    LT = "lt"
    # 左右/约: an approximate target, judged as an exact one (rules/progress.py).
    APPROX = "approx"


COMPARATOR_LABELS: dict[Comparator, str] = {
    Comparator.EQ: "等于",
    Comparator.GTE: "不少于",
    Comparator.LTE: "不超过",
    Comparator.GT: "超过",
    Comparator.LT: "低于",
    Comparator.APPROX: "约",
}
# Targets that must not be exceeded (不超过, 低于).
CEILINGS = frozenset({Comparator.LTE, Comparator.LT})

# A plan that looks back at a finished year (工作回顾): shown beside the annual plans.
REVIEW_LABEL = "工作回顾"
REVIEW_SHORT_LABEL = "回顾"


def label(labels: dict[StrEnum, str], code: str) -> str:
    """The label of a stored code; an unknown code reads as itself rather than failing a
    page or an export."""
    # StrEnum members hash and compare as their values, so a plain string finds its label.
    return labels.get(code, code)  # type: ignore[call-overload]
