"""`{{ updates|timeline_entries }}`: the task page's timeline entries (apps/plans/html.py)."""

from django import template

from apps.plans.html import timeline_entries_html

register = template.Library()


@register.filter
def timeline_entries(updates):
    return timeline_entries_html(updates)
