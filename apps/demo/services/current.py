"""The demonstration plan of the current year: the seed documents are all of past years,
so a demo made of them alone has nothing in progress (no 序时 to track, no reminder to
send, no 通报 worth reading). This plan is one seed document (江浦路街道2023年工作要点) with
its year moved to the current one and its title marked 演示; `demo_activity_create` then
gives it a made-up history up to today like the other plans.

The text is real (a published plan); its year, and everything done under it, is invented.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from apps.importer.parser import parse_document
from apps.importer.reading import read_document
from apps.importer.services import plan_import
from apps.plans.models import Plan

DEMO_SOURCE = "jiangpu-2023-work-points.txt"
DEMO_SOURCE_YEAR = 2023
DEMO_MARK = "（演示）"


def demo_current_text(text: str, year: int) -> str:
    """The seed's text with its year (in dates and in "2023年") moved to `year`."""
    source = str(DEMO_SOURCE_YEAR)
    return text.replace(f"{source}年", f"{year}年").replace(f"{source}-", f"{year}-")


@transaction.atomic
def demo_current_plan_create(*, folder: Path, today: dt.date) -> tuple[Plan, bool]:
    """Import the demonstration plan of `today`'s year (once: the same text is found by
    its hash the next time) and mark its title. Returns (plan, created)."""
    text = demo_current_text(read_document(folder / DEMO_SOURCE), today.year)
    result = plan_import(document=parse_document(text), source_name=f"演示-{DEMO_SOURCE}")
    item = next(i for i in result.plans if not i.plan.is_review)
    plan = item.plan
    if not plan.title.endswith(DEMO_MARK):
        plan.title = f"{plan.title}{DEMO_MARK}"
        Plan.objects.filter(pk=plan.pk).update(title=plan.title)
    return plan, item.created
