"""The task page's timeline entries, written in Python.

The timeline shows 20 updates; as a template loop with two includes per entry it took
more of the page's time than everything else on it (9-14 ms of a 53 ms page on the bench
machine). Each entry here is the same markup the template printed: who and when, the
changed fields, the note, the 台账 files (apps/evidence/html.py) and, for an update that
went through review (审核), its state, reviewer and comment.

The updates come from `selectors.task_update_list` (users joined, files as
`evidence_files`), so printing them reads nothing more from the database.
"""

from html import escape

from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from apps.evidence.html import EvidenceLists
from apps.plans.models import TaskUpdate

TIME_FORMAT = "%Y-%m-%d %H:%M"


def _text(value) -> str:
    return escape(str(value))


def _changes_html(changes) -> str:
    if not changes:
        return ""
    items = "".join(
        f"<li>{_text(change.get('label', ''))}："
        f"{_text(change['old']) + ' → ' if change.get('old') else ''}"
        f"{_text(change.get('new', ''))}</li>"
        for change in changes
    )
    return f'<ul class="changes">{items}</ul>'


def _review_html(update: TaskUpdate) -> str:
    """An update that is not simply applied: pending, approved or returned, by whom, with
    the reviewer's comment."""
    if update.state == TaskUpdate.State.APPLIED:
        return ""
    by = ""
    if update.reviewed_by is not None:
        when = (
            timezone.localtime(update.reviewed_at).strftime(TIME_FORMAT)
            if update.reviewed_at
            else ""
        )
        by = f" · 审核人 {_text(update.reviewed_by)} {when}"
    out = (
        f'<p class="review-state review-{_text(update.state)}">'
        f"{_text(update.get_state_display())}{by}</p>"
    )
    if update.review_comment:
        out += f'<p class="review-comment">审核意见：{linebreaksbr(update.review_comment)}</p>'
    return out


def timeline_entries_html(updates) -> SafeString:
    """One `div.timeline-entry` per update, newest first as given."""
    out = []
    files = EvidenceLists()
    for update in updates:
        user = update.user
        author = _text(user.display_name or user.username) if user is not None else "已删除用户"
        created = timezone.localtime(update.created_at)
        note = f'<p class="note">{linebreaksbr(update.note)}</p>' if update.note else ""
        out.append(
            '<div class="timeline-entry"><p class="timeline-head">'
            f'<strong>{author}</strong> <time datetime="{created.isoformat()}">'
            f"{created.strftime(TIME_FORMAT)}</time></p>"
            f"{_changes_html(update.changes)}{note}"
            f"{files.html(update.evidence_files)}{_review_html(update)}</div>"
        )
    # Safe: every value from the database went through html.escape or linebreaksbr.
    return mark_safe("".join(out))
