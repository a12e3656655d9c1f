"""The models of plans, one module per concern. Every model is re-exported here, so
`from apps.plans.models import Task` is how the rest of the project names them.

- plans.py       Plan
- tasks.py       Task (the tree), TaskUpdate (the timeline)
- indicators.py  Indicator, IndicatorReading
- rollups.py     PlanProgress, PlanThemeProgress, PlanSnapshot, IndicatorSnapshot
- outputs.py     PlanReport
- urges.py       Urge (催办)
"""

from apps.plans.models.indicators import (
    INDICATOR_ROLLUP_FIELDS,
    Indicator,
    IndicatorQuerySet,
    IndicatorReading,
)
from apps.plans.models.outputs import PlanReport
from apps.plans.models.plans import Plan, PlanQuerySet
from apps.plans.models.rollups import (
    IndicatorSnapshot,
    PlanProgress,
    PlanSnapshot,
    PlanThemeProgress,
)
from apps.plans.models.tasks import Task, TaskQuerySet, TaskUpdate
from apps.plans.models.urges import Urge, UrgeQuerySet
from apps.plans.rules.vocabulary import HEALTH_CHOICES

__all__ = [
    "HEALTH_CHOICES",
    "INDICATOR_ROLLUP_FIELDS",
    "Indicator",
    "IndicatorQuerySet",
    "IndicatorReading",
    "IndicatorSnapshot",
    "Plan",
    "PlanProgress",
    "PlanQuerySet",
    "PlanReport",
    "PlanSnapshot",
    "PlanThemeProgress",
    "Task",
    "TaskQuerySet",
    "TaskUpdate",
    "Urge",
    "UrgeQuerySet",
]
