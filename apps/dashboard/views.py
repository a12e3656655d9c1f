"""Dashboard pages. Figures come from `charts` (pure), data from `selectors` (roll-ups);
views only pick the year and wire the two together. Scope: `for_user` in the selectors
and in ObjectDetailView (404 outside the user's 街道)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_GET

from apps.accounts.selectors import user_can_write_in
from apps.core.caching import drawn
from apps.core.formatting import highlight_sources
from apps.core.tables import plain_table_html
from apps.core.views import ObjectDetailView, paginate_table
from apps.dashboard import charts, selectors
from apps.dashboard.tables import ThemeIndicatorTable, subdistrict_table_html
from apps.plans.forms import PlanReportForm
from apps.plans.models import Plan, PlanReport
from apps.plans.rules import progress
from apps.plans.rules.themes import THEME_LABELS
from apps.plans.rules.vocabulary import HEALTH_LABELS, REVIEW_LABEL
from apps.plans.selectors import plan_progress_for
from apps.plans.services import plan_report_request
from apps.subdistricts.labels import UNIT_LABEL
from apps.subdistricts.models import Subdistrict


@require_GET
def home(request):
    """Staff land on their department's tasks; leaders and viewers on the overview."""
    if request.user.department_ids():
        return redirect("plans:task_list")
    return redirect("dashboard:overview")


def chosen_year(request, years: list[int]) -> int | None:
    value = request.GET.get("year", "")
    if value.isdigit() and int(value) in years:
        return int(value)
    return selectors.dashboard_default_year(years)


# === Overview ===========================================================================


def overview_figures(rows) -> dict:
    names = [r.name for r in rows]
    counts = {code: [r.health(code) for r in rows] for code in charts.HEALTH_ORDER}
    return {
        "health_figure": charts.subdistrict_health_figure(names, counts),
        "share_figure": charts.subdistrict_health_share_figure(
            names, [r.indicator_good_share for r in rows]
        ),
    }


# The overview table's columns: (sort key, heading, value of a row), sorted here and
# rendered by `subdistrict_table_html`.
OVERVIEW_COLUMNS = [
    ("name", UNIT_LABEL, lambda r: r.name),
    ("district", "区", lambda r: r.district),
    ("plans", "计划数", lambda r: r.plan_count),
    # Look-backs of the year, beside the annual plans and not in any other column.
    ("reviews", REVIEW_LABEL, lambda r: r.review_count),
    ("tasks", "任务数", lambda r: r.leaf_total),
    # The computed traffic lights, as on every plan page (not the status people typed).
    *[
        (code.value, text, (lambda c: lambda r: r.health(c))(code))
        for code, text in HEALTH_LABELS.items()
    ],
    ("overdue", "逾期", lambda r: r.overdue_count),
    ("indicators", "指标数", lambda r: r.indicator_total),
    ("good", "指标正常率", lambda r: r.indicator_good_share),
    ("percent", "平均完成度", lambda r: r.percent),
    ("expected", "序时进度", lambda r: r.expected_percent),
    ("updated", "最近填报", lambda r: r.last_update_at),
]


def overview_sorted(rows, sort: str):
    """Rows sorted by a column key, "-key" for descending; unknown keys keep the order."""
    key = sort.lstrip("-")
    getter = next((get for k, _h, get in OVERVIEW_COLUMNS if k == key), None)
    if getter is None:
        return rows, ""
    present = [r for r in rows if getter(r) is not None]
    missing = [r for r in rows if getter(r) is None]
    return sorted(present, key=getter, reverse=sort.startswith("-")) + missing, sort


# How long the dashboards' drawn tables and figures are kept at most. They are redrawn as
# soon as a roll-up or a plan changes (`rollup_stamp`); the limit bounds what the stamp
# does not see, such as a 街道 renamed in the admin.
DRAWN_SECONDS = 300


def overview_content(user, year: int, sort: str, *, stamp: str) -> dict:
    """The overview's rows, table and figures for a year and sort order.

    For a city's 215 街道 they are most of the page's time (the roll-ups of 1,000 plans
    summed, a 3,000-cell table, two figures), and they are the same for everyone with
    the same scope until a roll-up changes: kept in the cache for the scope, the year and
    the sort, and drawn again as soon as `rollup_stamp` differs, so that a changed roll-up
    is never shown stale."""

    def draw() -> dict:
        rows = selectors.subdistrict_rows(user, year)
        table_rows, shown_sort = overview_sorted(rows, sort)
        table = subdistrict_table_html(table_rows, OVERVIEW_COLUMNS, sort=shown_sort, year=year)
        return {"rows": rows, "table": table, **overview_figures(rows)}

    key = f"overview:{selectors.scope_key(user)}:{year}:{sort}"
    return drawn(key, stamp, draw, seconds=DRAWN_SECONDS)


def years_drawn(user, *, stamp: str) -> list[int]:
    """`dashboard_years`, kept like the drawings: the years with plans change only with
    the plans, which the stamp covers."""
    key = f"dashboard-years:{selectors.scope_key(user)}"
    return drawn(key, stamp, lambda: selectors.dashboard_years(user), seconds=DRAWN_SECONDS)


class OverviewView(View):
    """Every 街道 the user may see, for one year."""

    def get(self, request):
        stamp = selectors.rollup_stamp()
        years = years_drawn(request.user, stamp=stamp)
        year = chosen_year(request, years)
        context = {"years": years, "year": year}
        if year:
            # Only a known column key, or one with a single "-", reaches the cache key.
            sort = request.GET.get("sort", "")
            known = sort.removeprefix("-") in {key for key, _h, _g in OVERVIEW_COLUMNS}
            context |= overview_content(request.user, year, sort if known else "", stamp=stamp)
        return render(request, "dashboard/overview.html", context)


# === One 街道 ===========================================================================


class SubdistrictDetailView(ObjectDetailView):
    queryset = Subdistrict.objects.all()
    template_name = "dashboard/subdistrict_detail.html"

    def get_extra_context(self, request, obj):
        plans = selectors.subdistrict_plan_progress(request.user, obj.pk)
        # The chart compares progress with time; look-backs have none and are listed only.
        annual = [p for p in plans if not p.plan.is_review]
        figure = charts.section_progress_figure(
            [p.plan.title for p in annual],
            [float(p.percent) for p in annual],
            [float(p.expected_percent) for p in annual],
            title="各计划完成进度",
            x_title="计划",
        )
        return {"subdistrict": obj, "plans": plans, "plans_figure": figure}


# === One plan ===========================================================================


def plan_figures(plan: Plan, sections, plan_progress, snapshots) -> dict:
    ideal_dates, ideal = selectors.plan_ideal_line(plan)
    return {
        "sections_figure": charts.section_progress_figure(
            [s.task.title for s in sections],
            [s.task.percent for s in sections],
            # A look-back has no 序时进度 to mark.
            None if plan.is_review else [s.expected for s in sections],
            health=[s.task.health for s in sections],
        ),
        "health_figure": charts.health_breakdown_figure(
            plan_progress.health_counts, title="任务进度状态分布"
        ),
        "timeline_figure": charts.progress_over_time_figure(
            [s.date for s in snapshots], [float(s.percent) for s in snapshots], ideal_dates, ideal
        ),
    }


class PlanDashboardView(ObjectDetailView):
    # Without the source text: the whole document, which this page does not show.
    queryset = Plan.objects.select_related("subdistrict", "progress").defer("source_text")
    template_name = "dashboard/plan_detail.html"

    def get_extra_context(self, request, obj):
        plan_progress = plan_progress_for(obj)
        today = timezone.localdate()
        stamp = selectors.plan_page_stamp(obj, plan_progress.computed_at, today)
        return {
            "plan": obj,
            "plan_progress": plan_progress,
            "health_rows": health_rows(plan_progress.health_counts),
            **plan_content(obj, plan_progress, today=today, stamp=stamp),
            # Live: a requested report changes state within seconds.
            "reports": selectors.plan_reports(obj),
            "can_request_report": user_can_write_in(request.user, obj.subdistrict_id),
            "bulletin_periods": PlanReport.Period.choices,
        }


def plan_content(plan: Plan, plan_progress, *, today, stamp: str) -> dict:
    """The plan page's sections, late tasks, indicators, snapshots and figures.

    They are most of the page's time (five queries, three figures, and tables of tens of
    rows through templates: 60 of 90 ms at 215 街道), and the same for everyone who may
    see the plan until it changes: kept like the overview's drawings, under the plan and
    the stamp of `selectors.plan_page_stamp`, and drawn again as soon as it differs. The
    tables are kept as HTML; what depends on the user (the report buttons) stays live."""

    def draw() -> dict:
        sections = selectors.plan_sections(plan, today)
        snapshots = selectors.plan_snapshot_series(plan)
        attention, attention_total = selectors.plan_attention_tasks(plan)
        indicators = selectors.plan_indicators(plan)
        parts = {
            "plan": plan,
            "sections": sections,
            "attention": attention,
            "attention_total": attention_total,
            "indicators": indicators,
        }
        return {
            "attention": attention,
            "sections_html": render_to_string("dashboard/includes/_plan_sections.html", parts),
            "attention_html": render_to_string("dashboard/includes/_plan_attention.html", parts),
            "indicators_html": render_to_string("dashboard/includes/_plan_indicators.html", parts),
            "snapshot_count": len(snapshots),
            "snapshot_table": snapshot_table_html(snapshots),
            **plan_figures(plan, sections, plan_progress, snapshots),
        }

    return drawn(f"plan-page:{plan.pk}", stamp, draw, seconds=DRAWN_SECONDS)


def snapshot_table_html(snapshots) -> str:
    """The daily snapshots under the progress chart: a year of them is 365 rows, which a
    template loop renders slower than the rest of the page."""
    return plain_table_html(
        ["日期", "完成度", "序时进度"],
        [[f"{s.date:%Y-%m-%d}", f"{s.percent}%", f"{s.expected_percent}%"] for s in snapshots],
    )


def health_rows(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(code, HEALTH_LABELS[code], counts.get(code, 0)) for code in charts.HEALTH_ORDER]


class PlanReportCreateView(View):
    """Queue a report of a plan: the Excel 推进情况表 or the Word 通报 of the month or
    quarter. Only those who edit in the plan's unit may: a report costs minutes of worker
    time, so a read-only viewer cannot queue them (403), and one report per plan is made
    at a time."""

    def post(self, request, pk):
        plan = get_object_or_404(Plan.objects.for_user(request.user), pk=pk)
        if not user_can_write_in(request.user, plan.subdistrict_id):
            raise PermissionDenied("只有本单位的编辑人员可以生成报表。")
        form = PlanReportForm(request.POST)
        if not form.is_valid():
            messages.error(request, "报表类型或通报周期无效。")
            return redirect(reverse("dashboard:plan_detail", args=[plan.pk]) + "#reports")
        try:
            plan_report_request(plan_id=plan.pk, user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            messages.info(request, exc.message)
        else:
            messages.success(request, "报表正在生成，生成后本页会出现下载链接。")
        return redirect(reverse("dashboard:plan_detail", args=[plan.pk]) + "#reports")


class PlanReportStatusView(View):
    """The plan's latest reports as JSON, for static/js/plan_reports.js: the page follows a
    report from 排队中 to its download link without a reload."""

    def get(self, request, pk):
        plan = get_object_or_404(Plan.objects.for_user(request.user), pk=pk)
        reports = selectors.plan_reports(plan)
        return JsonResponse(
            {
                "unfinished": any(r.is_unfinished for r in reports),
                "reports": [report_status(plan, r) for r in reports],
            }
        )


def report_status(plan: Plan, report: PlanReport) -> dict:
    done = report.status == PlanReport.Status.DONE
    return {
        "id": report.pk,
        "status": report.status,
        "label": report.get_status_display(),
        "error": report.error,
        "url": reverse("dashboard:plan_report_download", args=[plan.pk, report.pk]) if done else "",
    }


class PlanReportDownloadView(View):
    def get(self, request, pk, report_pk):
        plan = get_object_or_404(Plan.objects.for_user(request.user), pk=pk)
        report = get_object_or_404(plan.reports, pk=report_pk, status=PlanReport.Status.DONE)
        if not report.file or not report.file.storage.exists(report.file.name):
            raise Http404("报表文件不存在，请重新生成。")
        name = report.file.name.rsplit("/", 1)[-1]
        return FileResponse(report.file.open("rb"), as_attachment=True, filename=name)


# === One indicator ======================================================================


class IndicatorDetailView(ObjectDetailView):
    queryset = selectors.indicator_detail_queryset()
    template_name = "dashboard/indicator_detail.html"

    def get_extra_context(self, request, obj):
        readings = selectors.indicator_readings(obj)
        data = selectors.indicator_chart_data(obj, readings)
        figure = charts.indicator_figure(
            name=obj.name,
            unit=obj.unit,
            readings=data.readings,
            target=float(obj.target_value),
            comparator=obj.comparator,
            period_start=data.axis[0],
            period_end=data.axis[1],
            expected=data.expected,
            forecast=data.forecast,
            notes=[r.note for r in readings],
        )
        return {
            "indicator": obj,
            "task": obj.task,
            "readings": readings,
            "chart": data,
            "figure": figure,
            "source_html": highlight_sources(obj.task.text, [obj.source_text]),
        }


# === Themes across 街道 =================================================================


class ThemeComparisonView(View):
    def get(self, request):
        stamp = selectors.rollup_stamp()
        years = years_drawn(request.user, stamp=stamp)
        year = chosen_year(request, years)
        theme = request.GET.get("theme", "")
        theme = theme if theme in THEME_LABELS else ""
        q = request.GET.get("q", "").strip()[:50]
        context = {"years": years, "year": year, "theme": theme, "q": q, "matrix": None}
        context["themes"] = list(THEME_LABELS.items())
        if year:
            context |= theme_content(request.user, year, theme, stamp=stamp)
            # The indicator table (searched, sorted, paged) is read on every load.
            indicators = selectors.theme_indicator_queryset(request.user, year, theme, q)
            table = ThemeIndicatorTable(indicators)
            paginate_table(request, table, per_page=25)
            context["table"] = table
        return render(request, "dashboard/themes.html", context)


def theme_content(user, year: int, theme: str, *, stamp: str) -> dict:
    """The theme page's matrix (every 街道 × theme), heatmap and the chosen theme's
    figure: like the overview, kept until the roll-ups change (and for the day, as the
    figure marks today's 序时进度)."""

    def draw() -> dict:
        matrix = selectors.theme_matrix(user, year)
        return {"matrix": matrix, **theme_figures(matrix, theme, year)}

    key = f"themes:{selectors.scope_key(user)}:{year}:{theme}:{timezone.localdate()}"
    return drawn(key, stamp, draw, seconds=DRAWN_SECONDS)


def theme_figures(matrix, theme: str, year: int) -> dict:
    labels = [label for _code, label in matrix.themes]
    figures = {
        "heatmap_figure": charts.theme_heatmap_figure(matrix.subdistricts, labels, matrix.values),
        "heatmap_table": plain_table_html(
            [UNIT_LABEL, *labels],
            [
                [name, *("—" if v is None else f"{v}%" for v in row)]
                for name, row in zip(matrix.subdistricts, matrix.values, strict=True)
            ],
        ),
        "theme_label": THEME_LABELS.get(theme, ""),
    }
    if theme:
        column = [code for code, _l in matrix.themes].index(theme)
        pairs = [
            (name, row[column])
            for name, row in zip(matrix.subdistricts, matrix.values, strict=True)
            if row[column] is not None
        ]
        start, end = progress.plan_period(year, year)
        expected = progress.expected_percent(start, end, timezone.localdate())
        figures["theme_figure"] = charts.theme_comparison_figure(
            [n for n, _v in pairs], [v for _n, v in pairs], expected, THEME_LABELS[theme]
        )
        figures["theme_table"] = plain_table_html(
            [UNIT_LABEL, "平均完成度"],
            [[name, f"{v}%"] for name, v in pairs],
            caption=f"各{UNIT_LABEL}完成度（序时进度 {expected}%）",
        )
    return figures
