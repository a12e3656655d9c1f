"""The list of an update's 台账 files, written in Python: the task page's timeline prints
one per update (20 at a time) and a template include for each cost more than the rest of
the entry. The timeline, the pending update on the task page and the review queue print
it alike, from here."""

from html import escape

from django.utils.safestring import SafeString, mark_safe

from apps.core.tables import url_pattern


def evidence_list_html(files) -> SafeString:
    """`files` (Evidence rows) as links to the scoped download view, an image by its
    thumbnail and any other file by its kind; nothing when there are none."""
    if not files:
        return mark_safe("")
    download = url_pattern("evidence:evidence_download")
    thumbnail = url_pattern("evidence:evidence_thumbnail")
    items = []
    for file in files:
        name = escape(file.original_name)
        if file.thumbnail:
            shown = (
                f'<img src="{thumbnail.format(pk=file.pk)}" alt="{name}" '
                'class="evidence-thumb" loading="lazy">'
            )
        else:
            shown = f'<span class="evidence-kind">{escape(str(file.get_kind_display()))}</span>'
        items.append(
            f'<li><a href="{download.format(pk=file.pk)}" class="evidence-link">{shown}'
            f'<span class="evidence-name">{name}</span></a></li>'
        )
    # Safe: the names and labels went through html.escape, the URLs are ours.
    return mark_safe(f'<ul class="evidence-list" aria-label="台账附件">{"".join(items)}</ul>')
