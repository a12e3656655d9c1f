import datetime as dt
from decimal import Decimal

import pytest

from apps.importer.services import plan_import
from apps.importer.types import ParsedDocument, ParsedIndicator, ParsedNode, ParsedPlan
from apps.plans.models import Indicator, IndicatorReading, Plan, Task
from apps.subdistricts.models import Subdistrict
from tests.factories import SubdistrictFactory

pytestmark = pytest.mark.django_db


def _indicator(name="新增就业岗位", value="1200", unit="个", comparator="gte"):
    return ParsedIndicator(
        name=name,
        value=Decimal(value),
        unit=unit,
        comparator=comparator,
        text=f"{name}不少于{value}{unit}。",
    )


def _plan(*, is_review=False, year=2023, nodes=None):
    if nodes is None:
        nodes = [
            ParsedNode(
                number="(一)",
                title="优化经济质效",
                text="把营商环境作为突破口。",
                children=[
                    ParsedNode(
                        number="1.",
                        title="加强招商引资",
                        text="新增就业岗位不少于1200个。",
                        indicators=[_indicator()],
                    ),
                    ParsedNode(
                        number="2.",
                        title="优化营商服务",
                        text="走访企业300家。",
                        indicators=[_indicator("走访企业", "300", "家", "eq")],
                        children=[
                            ParsedNode(number="一是", title="建立走访机制", text="每月走访。"),
                        ],
                    ),
                ],
            ),
            ParsedNode(number="(二)", title="提升民生服务", text="办好实事项目。"),
        ]
    return ParsedPlan(
        subdistrict="江浦路街道",
        district="杨浦区",
        title=f"江浦路街道{year}年工作要点",
        kind="工作要点",
        year_start=year,
        year_end=year,
        published_on=dt.date(2023, 3, 30),
        doc_number="",
        is_review=is_review,
        nodes=nodes,
    )


def _document(*plans, text="江浦路街道2023年工作要点 全文"):
    return ParsedDocument(text=text, plans=list(plans))


def _row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Subdistrict, Plan, Task, Indicator, IndicatorReading)
    }


def test_it_creates_the_plan_with_its_subdistrict_and_kind():
    plan_import(document=_document(_plan()), source_name="jiangpu.txt")

    plan = Plan.objects.get()
    assert plan.subdistrict.name == "江浦路街道"
    assert plan.subdistrict.district == "杨浦区"
    assert plan.kind == Plan.Kind.WORK_POINTS
    assert (plan.year_start, plan.year_end) == (2023, 2023)
    assert plan.published_on == dt.date(2023, 3, 30)
    assert plan.source_name == "jiangpu.txt"
    assert plan.source_text == "江浦路街道2023年工作要点 全文"
    assert len(plan.content_hash) == 64


def test_it_creates_the_task_tree_in_document_order():
    plan_import(document=_document(_plan()), source_name="jiangpu.txt")

    rows = [
        (t.number, t.title, t.parent.number if t.parent else None, t.depth, t.order, t.path)
        for t in Task.objects.select_related("parent")
    ]
    assert rows == [
        ("(一)", "优化经济质效", None, 0, 1, "0001"),
        ("1.", "加强招商引资", "(一)", 1, 1, "0001.0001"),
        ("2.", "优化营商服务", "(一)", 1, 2, "0001.0002"),
        ("一是", "建立走访机制", "2.", 2, 1, "0001.0002.0001"),
        ("(二)", "提升民生服务", None, 0, 2, "0002"),
    ]


def test_it_creates_the_indicators_on_their_tasks():
    plan_import(document=_document(_plan()), source_name="jiangpu.txt")

    rows = [
        (i.task.number, i.name, i.target_value, i.unit, i.comparator, i.source_text)
        for i in Indicator.objects.select_related("task").order_by("task__path")
    ]
    assert rows == [
        ("1.", "新增就业岗位", Decimal("1200"), "个", "gte", "新增就业岗位不少于1200个。"),
        ("2.", "走访企业", Decimal("300"), "家", "eq", "走访企业不少于300家。"),
    ]


def test_it_reports_what_it_created():
    result = plan_import(document=_document(_plan()), source_name="jiangpu.txt")

    assert [p.title for p in result.created_plans] == ["江浦路街道2023年工作要点"]
    assert result.skipped_plans == []
    assert (result.plans[0].sections, result.plans[0].tasks) == (2, 3)
    assert (result.task_count, result.indicator_count) == (5, 2)


def test_importing_the_same_document_twice_leaves_the_same_row_counts():
    plan_import(document=_document(_plan()), source_name="jiangpu.txt")
    counts = _row_counts()

    result = plan_import(document=_document(_plan()), source_name="jiangpu.txt")

    assert _row_counts() == counts
    assert result.created_plans == []
    assert [p.title for p in result.skipped_plans] == ["江浦路街道2023年工作要点"]


def test_a_changed_text_is_imported_as_a_new_plan():
    plan_import(document=_document(_plan()), source_name="a.txt")

    plan_import(document=_document(_plan(), text="修订后的全文"), source_name="b.txt")

    assert Plan.objects.count() == 2


def test_it_maps_an_unknown_kind_label_to_work_plan():
    parsed = _plan()
    parsed.kind = "实施方案"

    plan_import(document=_document(parsed), source_name="x.txt")

    assert Plan.objects.get().kind == Plan.Kind.WORK_PLAN


def test_it_fills_the_district_of_an_existing_subdistrict_without_one():
    SubdistrictFactory(name="江浦路街道", district="")

    plan_import(document=_document(_plan()), source_name="jiangpu.txt")

    assert Subdistrict.objects.get().district == "杨浦区"


def test_a_review_plan_gets_a_reading_per_indicator_at_the_end_of_its_year():
    review = _plan(is_review=True, year=2024)
    outlook = _plan(year=2025)

    plan_import(document=_document(review, outlook), source_name="tangqiao.txt")

    readings = IndicatorReading.objects.select_related("indicator__task__plan")
    assert [(r.indicator.name, r.value, r.date) for r in readings] == [
        ("新增就业岗位", Decimal("1200"), dt.date(2024, 12, 31)),
        ("走访企业", Decimal("300"), dt.date(2024, 12, 31)),
    ]
    assert {r.indicator.task.plan.is_review for r in readings} == {True}
    assert {r.note for r in readings} == {"工作回顾中报告的完成值"}


def test_a_forward_looking_plan_gets_no_readings():
    plan_import(document=_document(_plan()), source_name="jiangpu.txt")

    assert IndicatorReading.objects.count() == 0


def test_it_records_a_history_entry_for_each_imported_task():
    plan_import(document=_document(_plan()), source_name="jiangpu.txt")

    assert Task.history.count() == Task.objects.count()
    assert set(Task.history.values_list("history_change_reason", flat=True)) == {"导入"}


def test_an_error_mid_load_leaves_no_new_row(monkeypatch):
    plan_import(document=_document(_plan(year=2022), text="早先导入的文本"), source_name="a.txt")
    counts = _row_counts()

    def fail(*args, **kwargs):
        raise RuntimeError("写入指标失败")

    monkeypatch.setattr(Indicator.objects, "bulk_create", fail)
    other = _plan(year=2023)
    other.subdistrict = "塘桥街道"

    with pytest.raises(RuntimeError, match="写入指标失败"):
        plan_import(document=_document(other), source_name="b.txt")

    assert _row_counts() == counts
    assert Task.history.count() == counts["Task"]
