"""Tables built from escaped strings, for pages that list hundreds of rows: a template loop
or django-tables2 costs tens of milliseconds there (215 街道 × 15 columns)."""

from html import escape

from django.urls import reverse
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


# === Fast rows for django-tables2 tables ================================================
# django-tables2 keeps what it is good at (declared columns, sorting, pagination, the
# export's `value()`); rendering a page of rows through it costs a BoundCell, an
# argument-sniffing `render()` call and a template node per cell. A `FastTable` renders
# its body in one pass instead: each column's `cell(record) -> str` returns escaped HTML,
# and the same `cell` is the column's tables2 `render`, so both paths print the same thing.

EMPTY_CELL = "—"


def url_pattern(viewname: str, kwarg: str = "pk") -> str:
    """A `str.format` pattern of the URL of `viewname` with `{kwarg}` left open: one
    reverse() for a whole table instead of one per row."""
    marker = 987654321
    return reverse(viewname, kwargs={kwarg: marker}).replace(str(marker), f"{{{kwarg}}}")


class FastColumnMixin:
    """A column whose HTML for a row is `cell(record)`; by default its accessor's value,
    escaped, or — when empty (as django-tables2 shows it)."""

    def cell(self, record) -> str:
        value = self.accessor.resolve(record, quiet=True)
        if value is None or value == "":
            return EMPTY_CELL
        return escape(str(value))

    def render(self, record):
        return mark_safe(self.cell(record))

    def value(self, value):
        # The export gets the plain value, not the escaped HTML.
        return value


def _attrs_html(attrs) -> str:
    return "".join(f' {escape(k)}="{escape(str(v))}"' for k, v in attrs.items())


class FastTableMixin:
    """Mixed into a django-tables2 Table whose columns all have `cell` (FastColumnMixin).
    Its template (`core/fast_table.html`) prints `rows_html` as the body."""

    def rows_html(self) -> SafeString:
        columns = [
            (bound.column.cell, _attrs_html(bound.column.attrs.get("td", {})))
            for bound in self.columns
        ]
        records = [row.record for row in self.paginated_rows]
        if not records:
            return mark_safe(
                f'<tr><td colspan="{len(columns)}">{escape(str(self.empty_text or ""))}</td></tr>'
            )
        out = []
        for i, record in enumerate(records):
            cells = "".join(f"<td{attrs}>{cell(record)}</td>" for cell, attrs in columns)
            out.append(f'<tr class="{"odd" if i % 2 else "even"}">{cells}</tr>')
        # Safe: every cell() escapes what it prints, and the attributes are escaped above.
        return mark_safe("".join(out))
