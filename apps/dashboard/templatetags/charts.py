"""`{% load charts %}`: render Plotly figures built in `apps.dashboard.charts`.

The figure travels as JSON in a `<script type="application/json">` next to its div, and
`static/js/charts.js` draws every `.chart` div with the vendored plotly.js. No figure is
drawn by inline JavaScript, and nothing is fetched from outside the site.
"""

from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from plotly.io.json import to_json_plotly

register = template.Library()

PLOTLY_VERSION = "4.1.1"
SCRIPTS = (
    f"vendor/plotly/plotly-cartesian-{PLOTLY_VERSION}.min.js",
    # Registers itself with the Plotly global loaded just before it.
    f"vendor/plotly/plotly-locale-zh-cn-{PLOTLY_VERSION}.js",
    "js/charts.js",
)

# As django.utils.html.json_script: a "</script>" or "<!--" inside a label cannot end the
# script element early, and JSON.parse reads the escapes back as the original characters.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def plotly_figure(fig: dict[str, Any], dom_id: str) -> SafeString:
    """The chart's div and its figure JSON (a figure of apps.dashboard.charts), to be
    drawn by static/js/charts.js. Plotly's encoder, for its dates and NaN as null."""
    payload = to_json_plotly(fig).translate(_JSON_SCRIPT_ESCAPES)
    title = fig["layout"].get("title", {}).get("text") or ""
    return format_html(
        '<div class="chart" id="{}" role="img" aria-label="{}"></div>\n'
        '<script type="application/json" id="{}-data">{}</script>',
        dom_id,
        title,
        dom_id,
        mark_safe(payload),  # Escaped above for a script element.
    )


@register.simple_tag
def plotly_js() -> SafeString:
    """The script tags for plotly.js, its zh-CN locale and charts.js; once per page.

    `defer` keeps them in order and runs them before DOMContentLoaded, which charts.js waits for.
    """
    rows = ((static(path),) for path in SCRIPTS)
    return format_html_join("\n", '<script src="{}" defer></script>', rows)
