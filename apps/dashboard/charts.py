"""Plotly figures for the dashboards.

Every function takes plain Python data (lists, dicts, dates) that a selector has already
aggregated and returns the figure as plotly.js reads it, plain dicts and lists ready for
JSON; nothing here queries the database. That keeps the figures testable without a
database and keeps every ORM read in `selectors.py`. Not `go.Figure`: building Plotly's
objects cost a page more than its queries (each property checked, or at least wrapped,
then serialised again), for figures that are fixed code; tests/dashboard/test_charts.py
checks each one against Plotly's schema instead.

The figures are drawn in the browser by the vendored plotly.js cartesian bundle
(`static/vendor/plotly/`), so only trace types it contains may be used here: bar, scatter,
pie and heatmap. Codes, labels and the gap rule come from the pure `apps.plans.rules`, so
this module stays free of Django models and says what every other page says.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from apps.plans.rules.progress import gap_health
from apps.plans.rules.vocabulary import (
    COMPARATOR_LABELS,
    HEALTH_LABELS,
    Health,
    label,
)
from apps.subdistricts.labels import UNIT_LABEL

# A trace and a figure as plotly.js reads them: {"type": "bar", ...} and
# {"data": [traces], "layout": {...}}.
Trace = dict[str, Any]
Figure = dict[str, Any]

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"

HEALTH_ORDER: tuple[Health, ...] = tuple(Health)
HEALTH_COLORS: dict[str, str] = {
    Health.DONE: "#1565c0",
    Health.ON_TRACK: "#2e7d32",
    Health.AT_RISK: "#f9a825",
    Health.OFF_TRACK: "#c62828",
    Health.NOT_STARTED: "#9e9e9e",
}

EXPECTED_COLOR = "#424242"
TARGET_COLOR = "#6a1b9a"
ACTUAL_COLOR = "#1565c0"
NO_DATA_TEXT = "暂无快照数据"
# Red -> amber -> green, the health colours for 滞后, 预警 and 正常.
PROGRESS_COLORSCALE = [
    [0.0, HEALTH_COLORS[Health.OFF_TRACK]],
    [0.5, HEALTH_COLORS[Health.AT_RISK]],
    [1.0, HEALTH_COLORS[Health.ON_TRACK]],
]
DATE_TICKFORMAT = "%-m月%-d日"
DATE_HOVERFORMAT = "%Y-%m-%d"
LABEL_MAX_CHARS = 10
# A category row on a horizontal bar chart or heatmap; 22 px keeps 12 px labels apart, so
# that all 215 街道 of Shanghai stay legible on one chart (the page scrolls instead).
ROW_HEIGHT = 22


def _layout(title: str, x_title: str, y_title: str, **extra: Any) -> dict[str, Any]:
    """Layout shared by every figure; `extra` overrides keys, merging one level into dicts."""
    layout: dict[str, Any] = {
        # plotly_white refers to no external resource (no fonts, no map tiles are loaded).
        "template": "plotly_white",
        "title": {
            "text": title,
            "x": 0,
            "xanchor": "left",
            "xref": "paper",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 12},
            "font": {"size": 16},
        },
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#212121"},
        "separators": ".,",
        "margin": {"l": 8, "r": 8, "t": 72, "b": 8, "pad": 2},
        "legend": {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yanchor": "bottom",
            "yref": "paper",
        },
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 13}},
        "xaxis": {"title": {"text": x_title}, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "automargin": True},
        "height": 420,
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


def _trace(kind: str, **props: Any) -> Trace:
    return {"type": kind, **props}


def _figure(traces: list[Trace], layout: dict[str, Any]) -> Figure:
    return {"data": traces, "layout": layout}


def _truncate(label: str, max_chars: int = LABEL_MAX_CHARS) -> str:
    return label if len(label) <= max_chars else label[: max_chars - 1] + "…"


def _health_for(percent: float, expected: float) -> str:
    """The health code of a progress against its expected (序时) progress: the gap rule."""
    return gap_health(expected - percent).value


def _rows_height(rows: int, base: int) -> int:
    return max(420, base + ROW_HEIGHT * rows)


def subdistrict_health_figure(names: list[str], counts: dict[str, list[int]]) -> Figure:
    """Leaf tasks per 街道, stacked by their computed traffic light (the same counts as the
    plan pages); horizontal so that hundreds of 街道 stay legible."""
    traces = [
        _trace(
            "bar",
            name=HEALTH_LABELS[code],
            y=names,
            x=list(counts.get(code) or [0] * len(names)),
            orientation="h",
            marker={"color": HEALTH_COLORS[code]},
            hovertemplate=f"%{{y}}<br>{HEALTH_LABELS[code]}：%{{x}} 项<extra></extra>",
        )
        for code in HEALTH_ORDER
    ]
    layout = _layout(
        f"各{UNIT_LABEL}任务进度状态",
        "任务数",
        UNIT_LABEL,
        barmode="stack",
        height=_rows_height(len(names), 160),
        # Plotly reverses the legend of stacked bars; keep it in HEALTH_ORDER.
        legend={"traceorder": "normal"},
        # First name on top, every name shown.
        yaxis={"autorange": "reversed", "dtick": 1, "tickfont": {"size": 12}},
        xaxis={"rangemode": "tozero", "tickformat": ",d"},
    )
    return _figure(traces, layout)


def subdistrict_health_share_figure(names: list[str], on_track_share: list[float | None]) -> Figure:
    """Share of indicators done or on track per 街道; None (no indicators) draws no bar."""
    bars = _trace(
        "bar",
        name="达标或正常",
        x=names,
        y=on_track_share,
        marker={"color": HEALTH_COLORS["on_track"]},
        hovertemplate="%{x}<br>达标或正常：%{y:.1f}%<extra></extra>",
        showlegend=False,
    )
    traces: list[Trace] = [bars]
    missing = [name for name, share in zip(names, on_track_share, strict=True) if share is None]
    if missing:
        # A bar of null height has no hover area, so a grey mark on the axis says why.
        traces.append(
            _trace(
                "scatter",
                name="无指标",
                x=missing,
                y=[0] * len(missing),
                mode="markers",
                marker={"symbol": "x-thin-open", "size": 9, "color": HEALTH_COLORS["not_started"]},
                hovertemplate="%{x}<br>无指标<extra></extra>",
                cliponaxis=False,
            )
        )
    layout = _layout(
        f"各{UNIT_LABEL}指标达标情况",
        UNIT_LABEL,
        "达标或正常的指标占比（%）",
        yaxis={"range": [0, 100]},
        xaxis={"type": "category"},
    )
    return _figure(traces, layout)


def section_progress_figure(
    labels: list[str],
    percents: list[int],
    expected: list[float] | None,
    health: list[str] | None = None,
    *,
    title: str = "各板块完成进度",
    x_title: str = "板块",
) -> Figure:
    """A plan's sections (板块): progress bars with a mark for the expected progress of each
    (none when `expected` is None: a look-back has no 序时进度, and then `health` is given).
    The same chart compares a 街道's plans, under its own titles."""
    codes = health or [_health_for(p, e) for p, e in zip(percents, expected or [], strict=True)]
    fallback = HEALTH_COLORS["not_started"]
    hover = "%{x}<br>完成度：%{y}%<br>状态：%{customdata[1]}<extra></extra>"
    if expected is not None:
        hover = (
            "%{x}<br>完成度：%{y}%<br>序时进度：%{customdata[0]:.0f}%"
            "<br>状态：%{customdata[1]}<extra></extra>"
        )
    bars = _trace(
        "bar",
        name="完成度",
        x=labels,
        y=percents,
        marker={"color": [HEALTH_COLORS.get(code, fallback) for code in codes]},
        customdata=[
            [e, label(HEALTH_LABELS, c)]
            for e, c in zip(expected or [None] * len(codes), codes, strict=True)
        ],
        hovertemplate=hover,
        texttemplate="%{y}%",
        textposition="outside",
        cliponaxis=False,
        showlegend=False,
    )
    marks = _trace(
        "scatter",
        name="序时进度",
        x=labels,
        y=expected or [],
        mode="markers",
        marker={
            "symbol": "line-ew-open",
            "size": 28,
            "color": EXPECTED_COLOR,
            "line": {"width": 3, "color": EXPECTED_COLOR},
        },
        hovertemplate="%{x}<br>序时进度：%{y:.0f}%<extra></extra>",
    )
    layout = _layout(
        title,
        x_title,
        "完成度（%）",
        yaxis={"range": [0, 100]},
        # Full labels stay the category values (and so in the hover); only the ticks are cut.
        xaxis={
            "type": "category",
            "tickmode": "array",
            "tickvals": labels,
            "ticktext": [_truncate(label) for label in labels],
        },
    )
    traces = [bars] if expected is None else [bars, marks]
    return _figure(traces, layout)


def health_breakdown_figure(counts: dict[str, int], title: str = "任务状态分布") -> Figure:
    """A donut of counts by health code, in HEALTH_ORDER."""
    values = [counts.get(code, 0) for code in HEALTH_ORDER]
    total = sum(values)
    pie = _trace(
        "pie",
        labels=[HEALTH_LABELS[code] for code in HEALTH_ORDER],
        values=values,
        marker={"colors": [HEALTH_COLORS[code] for code in HEALTH_ORDER]},
        hole=0.55,
        sort=False,
        direction="clockwise",
        # No label on empty slices: their "0"s would pile up beside the ring.
        text=[str(v) if v else "" for v in values],
        textinfo="text",
        hovertemplate="%{label}：%{value} 项（%{percent}）<extra></extra>",
    )
    centre = f"共 {total} 项" if total else "暂无数据"
    layout = _layout(
        title,
        "",
        "",
        height=360,
        annotations=[{"text": centre, "showarrow": False, "font": {"size": 15}}],
    )
    return _figure([pie], layout)


def progress_over_time_figure(
    dates: list[datetime.date],
    percents: list[float],
    ideal_dates: list[datetime.date],
    ideal: list[float],
) -> Figure:
    """A plan's overall progress from daily snapshots against the ideal (序时) line."""
    traces: list[Trace] = [
        _trace(
            "scatter",
            name="序时进度",
            x=ideal_dates,
            y=ideal,
            mode="lines",
            line={"color": EXPECTED_COLOR, "dash": "dash", "width": 2},
            hovertemplate=f"%{{x|{DATE_HOVERFORMAT}}}<br>序时进度：%{{y:.1f}}%<extra></extra>",
        )
    ]
    annotations: list[dict[str, Any]] = []
    if dates:
        traces.append(
            _trace(
                "scatter",
                name="实际进度",
                x=dates,
                y=percents,
                mode="lines+markers" if len(dates) < 60 else "lines",
                line={"color": ACTUAL_COLOR, "width": 3},
                marker={"size": 6},
                hovertemplate=f"%{{x|{DATE_HOVERFORMAT}}}<br>实际进度：%{{y:.1f}}%<extra></extra>",
            )
        )
    else:
        annotations.append(
            {
                "text": NO_DATA_TEXT,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "font": {"size": 15, "color": "#616161"},
                "bgcolor": "white",
            }
        )
    layout = _layout(
        "整体进度变化",
        "日期",
        "完成度（%）",
        xaxis={"type": "date", "tickformat": DATE_TICKFORMAT, "hoverformat": DATE_HOVERFORMAT},
        yaxis={"range": [0, 100]},
        # No empty list: Plotly's own figure drops it too.
        **({"annotations": annotations} if annotations else {}),
    )
    return _figure(traces, layout)


def _points(points: Sequence[tuple[datetime.date, float]]) -> tuple[list, list]:
    return [d for d, _ in points], [v for _, v in points]


def indicator_figure(
    *,
    name: str,
    unit: str,
    readings: list[tuple[datetime.date, float]],
    target: float,
    comparator: str,
    period_start: datetime.date,
    period_end: datetime.date,
    expected: list[tuple[datetime.date, float]],
    forecast: list[tuple[datetime.date, float]],
    notes: list[str] | None = None,
) -> Figure:
    """One 指标: readings, target, expected-to-date line and forecast over the plan period.
    An empty `expected` or `forecast` (a look-back has neither) draws no such line, so the
    legend does not offer one. `notes` (one per reading, may be empty) show on hover."""
    value = f"%{{y:,.2~f}}{unit}"
    date = f"%{{x|{DATE_HOVERFORMAT}}}"
    comparator_text = label(COMPARATOR_LABELS, comparator)
    target_text = f"{target:,.2f}".rstrip("0").rstrip(".")
    target_name = f"目标值（{comparator_text}{target_text}{unit}）"
    expected_x, expected_y = _points(expected)
    forecast_x, forecast_y = _points(forecast)
    readings_x, readings_y = _points(readings)
    traces = [
        _trace(
            "scatter",
            name=target_name,
            x=[period_start, period_end],
            y=[target, target],
            mode="lines",
            line={"color": TARGET_COLOR, "dash": "longdash", "width": 2},
            hovertemplate=f"目标值：{comparator_text}{value}<extra></extra>",
        ),
        _trace(
            "scatter",
            name="序时目标",
            x=expected_x,
            y=expected_y,
            mode="lines",
            line={"color": EXPECTED_COLOR, "dash": "dash", "width": 2},
            hovertemplate=f"{date}<br>序时目标：{value}<extra></extra>",
        ),
        _trace(
            "scatter",
            name="预测",
            x=forecast_x,
            y=forecast_y,
            mode="lines",
            line={"color": ACTUAL_COLOR, "dash": "dot", "width": 2},
            hovertemplate=f"{date}<br>预测：{value}<extra></extra>",
        ),
        _trace(
            "scatter",
            name="实际值",
            x=readings_x,
            y=readings_y,
            mode="lines+markers",
            line={"color": ACTUAL_COLOR, "width": 3},
            marker={"size": 7},
            customdata=[[note or "—"] for note in notes or [""] * len(readings)],
            hovertemplate=f"{date}<br>实际值：{value}<br>备注：%{{customdata[0]}}<extra></extra>",
        ),
    ]
    traces = [t for t in traces if t["name"] not in ("序时目标", "预测") or len(t["x"])]
    layout = _layout(
        name,
        "日期",
        f"数值（{unit}）" if unit else "数值",
        xaxis={
            "type": "date",
            "range": [period_start, period_end],
            "tickformat": DATE_TICKFORMAT,
            "hoverformat": DATE_HOVERFORMAT,
        },
        yaxis={"rangemode": "tozero"},
    )
    return _figure(traces, layout)


def theme_heatmap_figure(
    subdistricts: list[str],
    themes: list[str],
    values: list[list[float | None]],
    value_label: str = "平均完成度（%）",
) -> Figure:
    """街道 x 主题 heatmap; a None cell (no tasks) stays blank and says 无任务 on hover."""
    hover = [
        [f"{value_label}：{v:.1f}" if v is not None else "无任务" for v in row] for row in values
    ]
    heatmap = _trace(
        "heatmap",
        x=themes,
        y=subdistricts,
        z=values,
        zmin=0,
        zmax=100,
        colorscale=PROGRESS_COLORSCALE,
        colorbar={"title": {"text": value_label, "side": "right"}, "thickness": 14},
        customdata=hover,
        hoverongaps=True,
        hovertemplate="%{y}<br>%{x}<br>%{customdata}<extra></extra>",
        xgap=1,
        ygap=1,
    )
    layout = _layout(
        f"各{UNIT_LABEL}分主题完成度",
        "主题",
        UNIT_LABEL,
        height=_rows_height(len(subdistricts), 200),
        xaxis={"type": "category", "side": "bottom", "showgrid": False},
        yaxis={"type": "category", "autorange": "reversed", "dtick": 1, "showgrid": False},
    )
    return _figure([heatmap], layout)


def theme_comparison_figure(
    subdistricts: list[str],
    percents: list[float],
    expected: float | None,
    theme_label: str,
) -> Figure:
    """One 主题 across 街道: mean progress bars, coloured against the 序时进度 when given."""
    if expected is None:
        colors: str | list[str] = ACTUAL_COLOR
    else:
        colors = [HEALTH_COLORS[_health_for(p, expected)] for p in percents]
    bars = _trace(
        "bar",
        name="平均完成度",
        x=subdistricts,
        y=percents,
        marker={"color": colors},
        hovertemplate="%{x}<br>平均完成度：%{y:.1f}%<extra></extra>",
        showlegend=False,
    )
    # The 序时进度 line and its label as plain layout entries: what add_hline would add,
    # without its per-call cost of walking and validating the whole figure.
    line = {}
    if expected is not None:
        line = {
            "shapes": [
                {
                    "type": "line",
                    "xref": "x domain",
                    "x0": 0,
                    "x1": 1,
                    "yref": "y",
                    "y0": expected,
                    "y1": expected,
                    "line": {"color": EXPECTED_COLOR, "dash": "dash", "width": 2},
                }
            ],
            "annotations": [
                {
                    "text": f"序时进度 {expected:.0f}%",
                    "font": {"color": EXPECTED_COLOR},
                    "bgcolor": "rgba(255, 255, 255, 0.85)",
                    "xref": "x domain",
                    "x": 1,
                    "xanchor": "right",
                    "yref": "y",
                    "y": expected,
                    "yanchor": "bottom",
                    "showarrow": False,
                }
            ],
        }
    return _figure(
        [bars],
        _layout(
            f"{theme_label}：各{UNIT_LABEL}完成度对比",
            UNIT_LABEL,
            "平均完成度（%）",
            xaxis={"type": "category"},
            yaxis={"range": [0, 100]},
            **line,
        ),
    )
