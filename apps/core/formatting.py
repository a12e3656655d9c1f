"""How numbers and texts are written on pages, in exports and in the timeline."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


def plain_number(value) -> str:
    """A stored decimal as people write it: 1200.0000 -> "1200", 4.6000 -> "4.6"."""
    return f"{Decimal(str(value)).normalize():f}"


def highlight_sources(text: str, sources: list[str]) -> SafeString:
    """The task text, escaped, with the first occurrence of each indicator's source
    sentence wrapped in <mark>. Overlapping sentences keep only the earlier mark."""
    spans = []
    for source in {s.strip() for s in sources if s and s.strip()}:
        start = text.find(source)
        if start != -1:
            spans.append((start, start + len(source)))
    parts, position = [], 0
    for start, end in sorted(spans):
        if start < position:
            continue
        parts.append(escape(text[position:start]))
        parts.append(format_html("<mark>{}</mark>", text[start:end]))
        position = end
    parts.append(escape(text[position:]))
    # Safe: every piece of the text went through escape() or format_html() above.
    return mark_safe("".join(parts))
