"""The list of an update's 台账 files, written in Python: the task page's timeline prints
one per update (20 at a time) and a template include for each cost more than the rest of
the entry. The timeline, the pending update on the task page and the review queue print
it alike, from here."""

from html import escape

from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe

from apps.core.tables import url_pattern


class EvidenceLists:
    """Prints the file lists of many updates (a timeline's) with the two URL patterns
    worked out once, on the first file, rather than once per update."""

    @cached_property
    def download(self) -> str:
        return url_pattern("evidence:evidence_download")

    @cached_property
    def thumbnail(self) -> str:
        return url_pattern("evidence:evidence_thumbnail")

    def html(self, files) -> SafeString:
        """`files` (Evidence rows) as links to the scoped download view, an image by its
        thumbnail and any other file by its kind; nothing when there are none."""
        if not files:
            return mark_safe("")
        items = []
        for file in files:
            name = escape(file.original_name)
            if file.thumbnail:
                shown = (
                    f'<img src="{self.thumbnail.format(pk=file.pk)}" alt="{name}" '
                    'class="evidence-thumb" loading="lazy">'
                )
            else:
                kind = escape(str(file.get_kind_display()))
                shown = f'<span class="evidence-kind">{kind}</span>'
            items.append(
                f'<li><a href="{self.download.format(pk=file.pk)}" class="evidence-link">'
                f'{shown}<span class="evidence-name">{name}</span></a></li>'
            )
        # Safe: the names and labels went through html.escape, the URLs are ours.
        return mark_safe(f'<ul class="evidence-list" aria-label="台账附件">{"".join(items)}</ul>')
