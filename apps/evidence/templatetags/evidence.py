"""`{% evidence_list files %}`: an update's 台账 files (apps/evidence/html.py)."""

from django import template

from apps.evidence.html import EvidenceLists

register = template.Library()


@register.simple_tag
def evidence_list(files):
    return EvidenceLists().html(files)
