"""Tables built from escaped strings, for pages that list hundreds of rows: a template loop
or django-tables2 costs tens of milliseconds there (215 街道 × 15 columns)."""

from html import escape

from django.utils.safestring import SafeString, mark_safe


def _cells(tag: str, values) -> str:
    number = ' class="num"'
    return "".join(
        f"<{tag}{number if i else ''}>{escape(str(v))}</{tag}>" for i, v in enumerate(values)
    )


def plain_table_html(headers: list[str], rows: list[list], *, caption: str = "") -> SafeString:
    """A read-only table of text cells (first column text, the rest numbers), built from
    escaped strings: the tables under city-wide figures have 215 rows, and a template loop
    over them cost more than the rest of the page."""
    body = "".join(f"<tr>{_cells('td', row)}</tr>" for row in rows)
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    # Safe: every header and cell went through html.escape.
    return mark_safe(
        f'<table class="table compact">{cap}<thead><tr>{_cells("th", headers)}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )
