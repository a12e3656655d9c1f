from django import template

from apps.imports.assignments import user_can_assign
from apps.imports.models import PlanVersion
from apps.imports.selectors import user_can_import

register = template.Library()


@register.filter
def can_import(user) -> bool:
    """For the navigation link; memberships are read once per request (cached on the user)."""
    return user_can_import(user)


@register.filter
def can_assign(user) -> bool:
    return user_can_assign(user)


@register.inclusion_tag("imports/includes/_plan_versions.html")
def plan_versions(plan):
    """The plan page's list of versions and what each changed (one query)."""
    versions = list(
        PlanVersion.objects.filter(plan=plan).select_related("created_by").order_by("-number")
    )
    return {"versions": versions}
