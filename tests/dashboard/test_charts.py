import datetime
import json
import re
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from django.template import Context, Template

from apps.dashboard import charts as plain_charts
from apps.dashboard.templatetags.charts import SCRIPTS

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "static"
D = datetime.date


class _ValidatedCharts:
    """apps.dashboard.charts with each figure passed through `go.Figure`, which checks every
    property against Plotly's schema (an unknown one raises) and lets the tests below read
    `fig.layout.title.text`. The pages send the plain figures; see
    test_the_page_sends_each_figure_as_plotly_itself_would."""

    def __getattr__(self, name):
        attr = getattr(plain_charts, name)
        if not name.endswith("_figure"):
            return attr
        return lambda *args, **kwargs: go.Figure(attr(*args, **kwargs))


charts = _ValidatedCharts()


def _roundtrip(fig) -> dict:
    """The figure as the browser receives it."""
    return json.loads(pio.to_json(fig, validate=False))


def _trace(fig, name):
    return next(trace for trace in fig.data if trace.name == name)


def _all_figures(charts=charts):
    return {
        "subdistricts": charts.subdistrict_health_figure(
            ["江浦路街道", "塘桥街道"], {"done": [1, 2]}
        ),
        "share": charts.subdistrict_health_share_figure(["江浦路街道", "塘桥街道"], [75.0, None]),
        "sections": charts.section_progress_figure(["党建引领", "城市更新"], [40, 80], [50, 60]),
        "health": charts.health_breakdown_figure({"done": 3, "at_risk": 1}),
        "over_time": charts.progress_over_time_figure(
            [D(2025, 3, 1)], [12.5], [D(2025, 1, 1), D(2025, 12, 31)], [0, 100]
        ),
        "indicator": _indicator(charts),
        "heatmap": charts.theme_heatmap_figure(["江浦路街道"], ["民生", "安全"], [[55.0, None]]),
        "comparison": charts.theme_comparison_figure(
            ["江浦路街道", "塘桥街道"], [30, 70], 50, "民生"
        ),
    }


def _indicator(charts=charts, **overrides):
    kwargs = {
        "name": "新增就业岗位",
        "unit": "个",
        "readings": [(D(2025, 3, 31), 120.0), (D(2025, 6, 30), 260.0)],
        "target": 600.0,
        "comparator": "gte",
        "period_start": D(2025, 1, 1),
        "period_end": D(2025, 12, 31),
        "expected": [(D(2025, 1, 1), 0.0), (D(2025, 6, 30), 298.0)],
        "forecast": [(D(2025, 6, 30), 260.0), (D(2025, 12, 31), 520.0)],
    }
    return charts.indicator_figure(**{**kwargs, **overrides})


# --- common layout -----------------------------------------------------------------------


@pytest.mark.parametrize("key", list(_all_figures()))
def test_every_figure_has_a_chinese_title_the_shared_font_and_serialises(key):
    fig = _all_figures()[key]
    assert re.search(r"[\u4e00-\u9fff]", fig.layout.title.text)
    assert fig.layout.font.family.startswith("Noto Sans CJK SC")
    assert fig.layout.hoverlabel.font.family == fig.layout.font.family
    assert fig.layout.separators == ".,"
    assert fig.layout.legend.orientation == "h"
    assert _roundtrip(fig)["layout"]["title"]["text"] == fig.layout.title.text


@pytest.mark.parametrize("key", [k for k in _all_figures() if k != "health"])
def test_every_cartesian_figure_has_chinese_axis_titles(key):
    fig = _all_figures()[key]
    assert re.search(r"[\u4e00-\u9fff]", fig.layout.xaxis.title.text)
    assert re.search(r"[\u4e00-\u9fff]", fig.layout.yaxis.title.text)


@pytest.mark.parametrize("key", list(_all_figures()))
def test_every_trace_has_a_hover_template_without_the_trace_box(key):
    for trace in _all_figures()[key].data:
        assert trace.hovertemplate
        assert trace.hovertemplate.endswith("<extra></extra>")


def test_no_figure_uses_a_trace_type_outside_the_cartesian_bundle():
    types = {trace.type for fig in _all_figures().values() for trace in fig.data}
    assert types <= {"bar", "scatter", "pie", "heatmap"}


# --- 1. subdistrict_health_figure ---------------------------------------------------------


def test_health_figure_has_one_trace_per_traffic_light_with_zeros_for_missing_codes():
    names = ["江浦路街道", "塘桥街道", "五角场街道"]
    fig = charts.subdistrict_health_figure(names, {"done": [3, 0, 1], "off_track": [1, 2, 0]})

    assert [t.name for t in fig.data] == [charts.HEALTH_LABELS[c] for c in charts.HEALTH_ORDER]
    assert list(_trace(fig, "已完成").x) == [3, 0, 1]
    assert list(_trace(fig, "滞后").x) == [1, 2, 0]
    assert list(_trace(fig, "正常").x) == [0, 0, 0]
    assert all(list(t.y) == names for t in fig.data)
    assert fig.layout.barmode == "stack"
    assert fig.layout.title.text == "各街道（镇）任务进度状态"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("任务数", "街道（镇）")
    assert _trace(fig, "滞后").hovertemplate == "%{y}<br>滞后：%{x} 项<extra></extra>"
    assert _trace(fig, "已完成").marker.color == charts.HEALTH_COLORS["done"]


def test_health_figure_grows_tall_enough_for_every_subdistrict_of_shanghai():
    names = [f"街道{i}" for i in range(215)]
    small = charts.subdistrict_health_figure(names[:5], {})
    large = charts.subdistrict_health_figure(names, {"done": list(range(215))})

    assert large.layout.height >= 215 * 20
    assert large.layout.height > small.layout.height
    assert large.layout.yaxis.dtick == 1


# --- 2. subdistrict_health_share_figure ---------------------------------------------------


def test_share_figure_draws_no_bar_where_there_are_no_indicators_and_says_so_on_hover():
    fig = charts.subdistrict_health_share_figure(["甲街道", "乙街道", "丙街道"], [80.0, None, 0.0])

    bars = fig.data[0]
    assert list(bars.x) == ["甲街道", "乙街道", "丙街道"]
    assert list(bars.y) == [80.0, None, 0.0]
    assert _roundtrip(fig)["data"][0]["y"] == [80.0, None, 0.0]
    none_marks = _trace(fig, "无指标")
    assert list(none_marks.x) == ["乙街道"]
    assert "无指标" in none_marks.hovertemplate
    assert fig.layout.title.text == "各街道（镇）指标达标情况"
    assert fig.layout.yaxis.title.text == "达标或正常的指标占比（%）"
    assert list(fig.layout.yaxis.range) == [0, 100]


def test_share_figure_has_no_placeholder_trace_when_every_subdistrict_has_indicators():
    fig = charts.subdistrict_health_share_figure(["甲街道"], [50.0])
    assert [t.type for t in fig.data] == ["bar"]


# --- 3. section_progress_figure -----------------------------------------------------------


def test_section_figure_colours_bars_against_the_expected_progress():
    fig = charts.section_progress_figure(["甲", "乙", "丙"], [45, 30, 20], [50.0, 50.0, 50.0])

    bars = fig.data[0]
    assert list(bars.y) == [45, 30, 20]
    assert list(bars.marker.color) == [
        charts.HEALTH_COLORS["on_track"],  # 45 >= 50 - 10
        charts.HEALTH_COLORS["at_risk"],  # 30 >= 50 - 25
        charts.HEALTH_COLORS["off_track"],
    ]
    marks = _trace(fig, "序时进度")
    assert list(marks.y) == [50.0, 50.0, 50.0]
    assert marks.mode == "markers"
    assert fig.layout.title.text == "各板块完成进度"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("板块", "完成度（%）")
    assert list(fig.layout.yaxis.range) == [0, 100]


def test_section_figure_uses_the_given_health_codes_for_colours():
    fig = charts.section_progress_figure(
        ["甲", "乙"], [100, 0], [50.0, 50.0], health=["done", "not_started"]
    )
    assert list(fig.data[0].marker.color) == ["#1565c0", "#9e9e9e"]
    assert [row[1] for row in fig.data[0].customdata] == ["已完成", "未开始"]


def test_section_figure_truncates_long_labels_on_the_axis_but_not_in_the_hover():
    label = "深化党建引领基层治理创新实践"
    fig = charts.section_progress_figure([label], [10], [20.0])

    assert list(fig.data[0].x) == [label]
    assert "%{x}" in fig.data[0].hovertemplate
    ticktext = fig.layout.xaxis.ticktext[0]
    assert ticktext.endswith("…") and len(ticktext) < len(label)
    assert list(fig.layout.xaxis.tickvals) == [label]


# --- 4. health_breakdown_figure -----------------------------------------------------------


def test_health_breakdown_counts_every_health_code_in_order():
    fig = charts.health_breakdown_figure({"off_track": 2, "done": 5}, title="指标状态分布")

    pie = fig.data[0]
    assert list(pie.labels) == ["已完成", "正常", "预警", "滞后", "未开始"]
    assert list(pie.values) == [5, 0, 0, 2, 0]
    assert list(pie.marker.colors) == [charts.HEALTH_COLORS[c] for c in charts.HEALTH_ORDER]
    assert pie.hole > 0
    assert pie.sort is False
    assert pie.hovertemplate == "%{label}：%{value} 项（%{percent}）<extra></extra>"
    assert fig.layout.title.text == "指标状态分布"
    assert fig.layout.annotations[0].text == "共 7 项"


def test_health_breakdown_has_a_default_title():
    assert charts.health_breakdown_figure({}).layout.title.text == "任务状态分布"


# --- 5. progress_over_time_figure ---------------------------------------------------------


def test_progress_over_time_plots_snapshots_against_the_ideal_line():
    dates = [D(2025, 3, 1), D(2025, 3, 2)]
    fig = charts.progress_over_time_figure(dates, [10.0, 11.5], [D(2025, 1, 1)], [0.0])

    actual = _trace(fig, "实际进度")
    assert list(actual.x) == dates
    assert list(actual.y) == [10.0, 11.5]
    ideal = _trace(fig, "序时进度")
    assert ideal.line.dash == "dash"
    assert _roundtrip(fig)["data"][1]["x"] == ["2025-03-01", "2025-03-02"]
    assert fig.layout.title.text == "整体进度变化"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("日期", "完成度（%）")
    assert fig.layout.xaxis.type == "date"
    assert list(fig.layout.yaxis.range) == [0, 100]
    assert not fig.layout.annotations


def test_progress_over_time_without_snapshots_keeps_the_ideal_line_and_says_so():
    ideal_dates = [D(2025, 1, 1), D(2025, 12, 31)]
    fig = charts.progress_over_time_figure([], [], ideal_dates, [0.0, 100.0])

    assert [t.name for t in fig.data] == ["序时进度"]
    assert list(fig.data[0].x) == ideal_dates
    assert list(fig.data[0].y) == [0.0, 100.0]
    assert fig.layout.annotations[0].text == "暂无快照数据"


# --- 6. indicator_figure ------------------------------------------------------------------


def test_indicator_figure_plots_readings_target_expected_and_forecast():
    fig = _indicator()

    actual = _trace(fig, "实际值")
    assert list(actual.x) == [D(2025, 3, 31), D(2025, 6, 30)]
    assert list(actual.y) == [120.0, 260.0]
    assert actual.mode == "lines+markers"
    target = _trace(fig, "目标值（不少于600个）")
    assert list(target.x) == [D(2025, 1, 1), D(2025, 12, 31)]
    assert list(target.y) == [600.0, 600.0]
    assert list(_trace(fig, "序时目标").y) == [0.0, 298.0]
    forecast = _trace(fig, "预测")
    assert list(forecast.x) == [D(2025, 6, 30), D(2025, 12, 31)]
    assert forecast.line.dash == "dot"
    assert fig.layout.title.text == "新增就业岗位"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("日期", "数值（个）")
    assert _roundtrip(fig)["layout"]["xaxis"]["range"] == ["2025-01-01", "2025-12-31"]
    assert "个" in actual.hovertemplate and "%{x|" in actual.hovertemplate


@pytest.mark.parametrize(
    ("comparator", "text"),
    [
        ("gte", "不少于"),
        ("lte", "不超过"),
        ("eq", "等于"),
        ("gt", "超过"),
        ("lt", "低于"),
        ("approx", "约"),
    ],
)
def test_indicator_target_names_its_comparator_in_chinese(comparator, text):
    fig = _indicator(comparator=comparator, target=95.5, unit="%")
    assert fig.data[0].name == f"目标值（{text}95.5%）"
    assert text in fig.data[0].hovertemplate


def test_the_charts_name_every_comparator_as_the_pages_do():
    from apps.plans.models import Indicator

    assert charts.COMPARATOR_LABELS == dict(Indicator.Comparator.choices)


def test_indicator_without_a_unit_has_a_plain_value_axis():
    fig = _indicator(unit="", readings=[], forecast=[])
    assert fig.layout.yaxis.title.text == "数值"
    assert list(_trace(fig, "实际值").x) == []


# --- 7. theme_heatmap_figure --------------------------------------------------------------


def test_heatmap_keeps_cells_without_tasks_blank_and_says_so_on_hover():
    fig = charts.theme_heatmap_figure(
        ["甲街道", "乙街道"], ["民生", "安全"], [[55.0, None], [100.0, 0.0]]
    )

    heatmap = fig.data[0]
    assert list(heatmap.y) == ["甲街道", "乙街道"]
    assert list(heatmap.x) == ["民生", "安全"]
    assert [list(row) for row in heatmap.z] == [[55.0, None], [100.0, 0.0]]
    assert _roundtrip(fig)["data"][0]["z"] == [[55.0, None], [100.0, 0.0]]
    assert heatmap.customdata[0][1] == "无任务"
    assert heatmap.customdata[0][0] == "平均完成度（%）：55.0"
    assert heatmap.hoverongaps is True
    assert (heatmap.zmin, heatmap.zmax) == (0, 100)
    assert heatmap.colorbar.title.text == "平均完成度（%）"
    assert heatmap.colorscale[0][1] == charts.HEALTH_COLORS["off_track"]
    assert heatmap.colorscale[-1][1] == charts.HEALTH_COLORS["on_track"]
    assert fig.layout.title.text == "各街道（镇）分主题完成度"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("主题", "街道（镇）")


# --- 8. theme_comparison_figure -----------------------------------------------------------


def test_theme_comparison_draws_bars_and_the_expected_line():
    fig = charts.theme_comparison_figure(["甲街道", "乙街道"], [30.0, 70.0], 60.0, "城市更新")

    assert list(fig.data[0].x) == ["甲街道", "乙街道"]
    assert list(fig.data[0].y) == [30.0, 70.0]
    assert fig.layout.title.text == "城市更新：各街道（镇）完成度对比"
    assert fig.layout.shapes[0].y0 == fig.layout.shapes[0].y1 == 60.0
    assert "序时进度" in fig.layout.annotations[0].text


def test_theme_comparison_without_an_expected_progress_draws_no_line():
    fig = charts.theme_comparison_figure(["甲街道"], [30.0], None, "城市更新")
    assert not fig.layout.shapes
    assert not fig.layout.annotations


# --- template tags ------------------------------------------------------------------------


def _render(source: str, **context) -> str:
    return Template("{% load charts %}" + source).render(Context(context))


def test_plotly_figure_renders_the_div_and_its_json():
    fig = plain_charts.health_breakdown_figure({"done": 2})
    html = _render('{% plotly_figure fig "health-chart" %}', fig=fig)

    assert '<div class="chart" id="health-chart" role="img" aria-label="任务状态分布">' in html
    match = re.search(
        r'<script type="application/json" id="health-chart-data">(.*?)</script>', html, re.S
    )
    assert match
    assert json.loads(match.group(1)) == json.loads(json.dumps(fig))


def test_plotly_figure_escapes_markup_inside_the_json():
    fig = plain_charts.theme_comparison_figure(
        ["</script><script>alert(1)</script>"], [5.0], None, "A&B"
    )
    html = _render('{% plotly_figure fig "c" %}', fig=fig)

    assert html.count("</script>") == 1
    assert "<script>alert" not in html
    assert 'aria-label="A&amp;B：各街道（镇）完成度对比"' in html
    payload = re.search(r'id="c-data">(.*?)</script>', html, re.S).group(1)
    assert not set("<>&") & set(payload)
    data = json.loads(payload)
    assert data["data"][0]["x"] == ["</script><script>alert(1)</script>"]


def test_plotly_js_loads_the_vendored_files_in_order():
    html = _render("{% plotly_js %}")

    srcs = re.findall(r'<script src="([^"]+)" defer></script>', html)
    assert srcs == [f"/static/{path}" for path in SCRIPTS]
    assert "plotly-cartesian" in srcs[0] and "locale-zh-cn" in srcs[1] and "charts.js" in srcs[2]
    for path in SCRIPTS:
        assert (STATIC / path).is_file()


def test_nothing_we_serve_refers_to_another_host():
    figures = "".join(
        _render('{% plotly_figure fig "c" %}', fig=fig)
        for fig in _all_figures(plain_charts).values()
    )
    ours = [
        _render("{% plotly_js %}"),
        figures,
        (STATIC / "js" / "charts.js").read_text(),
        (STATIC / "vendor" / "plotly" / "plotly-locale-zh-cn-4.1.1.js").read_text(),
        (ROOT / "apps" / "dashboard" / "templatetags" / "charts.py").read_text(),
        (ROOT / "apps" / "dashboard" / "charts.py").read_text(),
    ]
    for text in ours:
        assert not re.search(r"https?://|//[a-z0-9-]+\.[a-z]", text, re.I)


def test_charts_js_draws_with_the_agreed_config():
    js = (STATIC / "js" / "charts.js").read_text()
    for expected in (
        "Plotly.newPlot(div, fig.data, fig.layout, config)",
        "responsive: true",
        "displaylogo: false",
        'locale: "zh-CN"',
        '"lasso2d"',
        '"select2d"',
    ):
        assert expected in js
    assert not re.search(r"\b(fetch|XMLHttpRequest|import\()", js)


JSON_READY = (dict, list, str, int, float, bool, type(None), datetime.date)


def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return isinstance(value, JSON_READY)


@pytest.mark.parametrize("key", list(_all_figures()))
def test_the_page_sends_each_figure_as_plotly_itself_would(key):
    """The figures are plain dicts and lists (no Plotly objects per request), and their
    JSON on the page equals that of the figure built and validated by Plotly."""
    figure = _all_figures(plain_charts)[key]
    assert _plain(figure)
    html = _render('{% plotly_figure fig "c" %}', fig=figure)
    payload = re.search(r'id="c-data">(.*?)</script>', html, re.S).group(1)
    sent = json.loads(payload)
    validated = json.loads(pio.to_json(go.Figure(figure), validate=True))
    # Plotly expands the template's name into its definition; the page sends the name.
    assert sent["layout"].pop("template") == "plotly_white"
    validated["layout"].pop("template")
    assert sent == validated
