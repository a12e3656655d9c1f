"""The 督办 loop's pieces on other apps' pages: the navigation counts (base.html), the
task page's panel (owners, pending update, 催办) and the plan page's open 催办, each
inserted with one tag so those templates stay as they are."""

from django import template

from apps.accounts.selectors import user_can_review
from apps.supervision.forms import OwnersForm, UrgeForm
from apps.supervision.selectors import (
    nav_counts,
    task_pending_updates,
    task_urges,
    unit_members,
    urges_open_for_plan,
)

register = template.Library()


@register.inclusion_tag("supervision/includes/_nav_counts.html", takes_context=True)
def supervision_nav(context):
    return {"request": context["request"], **nav_counts(context["request"].user)}


@register.inclusion_tag("supervision/includes/_task_panel.html", takes_context=True)
def task_supervision_panel(context, task):
    user = context["request"].user
    can_urge = user.can_write() and user_can_review(user, task.plan.subdistrict_id)
    owners = list(task.owners.all())
    return {
        "task": task,
        "owners": owners,
        "pending": task_pending_updates(task),
        "can_urge": can_urge,
        "urge_form": UrgeForm() if can_urge else None,
        "owners_form": (
            OwnersForm(initial={"owners": owners}, members=unit_members(task.plan.subdistrict_id))
            if can_urge
            else None
        ),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("supervision/includes/_timeline_urges.html")
def task_urge_timeline(task):
    return {"urges": task_urges(task)}


@register.inclusion_tag("supervision/includes/_plan_urges.html")
def plan_open_urges(plan):
    return {"urges": urges_open_for_plan(plan.pk)}
