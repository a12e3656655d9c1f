import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import apps.importer.services as importer_services
from apps.importer.parser import parse_document
from apps.importer.reading import read_document
from apps.importer.services import plan_import
from apps.importer.types import (
    DocumentError,
    ParsedDocument,
    ParsedIndicator,
    ParsedNode,
    ParsedPlan,
)
from apps.plans.models import (
    INDICATOR_ROLLUP_FIELDS,
    Indicator,
    IndicatorReading,
    Plan,
    Task,
)
from apps.plans.services import plan_rollup
from apps.subdistricts.models import Subdistrict
from tests.factories import DepartmentFactory, SubdistrictFactory
from tests.plans.test_rollups import progress_values, theme_rows

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

    insert = importer_services.rows_insert

    def fail(model, objs):
        if model is Indicator:
            raise RuntimeError("写入指标失败")
        return insert(model, objs)

    monkeypatch.setattr(importer_services, "rows_insert", fail)
    other = _plan(year=2023)
    other.subdistrict = "塘桥街道"

    with pytest.raises(RuntimeError, match="写入指标失败"):
        plan_import(document=_document(other), source_name="b.txt")

    assert _row_counts() == counts
    assert Task.history.count() == counts["Task"]


# --- Unit and year: from the document, or named by the person importing it -------------

MISSING_UNIT = (
    "文档中没有识别出发文单位（街道、镇、乡或区），请用 --unit 指定，例如 --unit 江浦路街道。"
)
MISSING_YEAR = "文档中没有识别出计划年度，请用 --year 指定，例如 --year 2025。"


def _anonymous(plan, *, unit=True, year=True):
    """The plan as a document that does not name its unit or its year parses."""
    if unit:
        plan.subdistrict = plan.district = plan.level = None
    if year:
        plan.year_start = plan.year_end = None
    return plan


def test_a_document_without_a_unit_is_refused_with_the_option_to_give_and_writes_nothing():
    with pytest.raises(DocumentError) as error:
        plan_import(document=_document(_anonymous(_plan(), year=False)), source_name="x.txt")

    assert str(error.value) == MISSING_UNIT
    assert _row_counts() == dict.fromkeys(_row_counts(), 0)


def test_a_document_without_a_year_is_refused_with_the_option_to_give_and_writes_nothing():
    with pytest.raises(DocumentError) as error:
        plan_import(document=_document(_anonymous(_plan(), unit=False)), source_name="x.txt")

    assert str(error.value) == MISSING_YEAR
    assert _row_counts() == dict.fromkeys(_row_counts(), 0)


def test_a_document_whose_second_plan_lacks_a_year_writes_not_even_the_first():
    second = _anonymous(_plan(year=2024), unit=False)

    with pytest.raises(DocumentError, match="--year"):
        plan_import(document=_document(_plan(), second), source_name="x.txt")

    assert _row_counts() == dict.fromkeys(_row_counts(), 0)


def test_the_unit_and_year_given_import_a_document_that_names_neither():
    plan_import(
        document=_document(_anonymous(_plan())),
        source_name="x.txt",
        unit_name="颛桥镇",
        year=2025,
        district="闵行区",
    )

    plan = Plan.objects.select_related("subdistrict").get()
    assert (plan.subdistrict.name, plan.subdistrict.district) == ("颛桥镇", "闵行区")
    assert plan.subdistrict.level == Subdistrict.Level.TOWN
    assert (plan.year_start, plan.year_end) == (2025, 2025)


def test_the_unit_and_year_given_win_over_the_ones_in_the_document():
    plan_import(
        document=_document(_plan(year=2023)),
        source_name="x.txt",
        unit_name="塘桥街道",
        year=2024,
    )

    plan = Plan.objects.select_related("subdistrict").get()
    assert (plan.subdistrict.name, plan.year_start, plan.year_end) == ("塘桥街道", 2024, 2024)
    # 杨浦区 was the district of the unit the document named, not of this one.
    assert plan.subdistrict.district == ""
    assert not Subdistrict.objects.filter(name="江浦路街道").exists()


def test_a_plan_without_a_recognised_title_is_named_after_its_unit_year_and_kind():
    parsed = _anonymous(_plan())
    parsed.title = ""

    plan_import(document=_document(parsed), source_name="x.txt", unit_name="颛桥镇", year=2025)

    assert Plan.objects.get().title == "颛桥镇2025年工作要点"


def test_a_year_given_keeps_the_length_of_a_multi_year_plan():
    parsed = _plan()
    parsed.year_start, parsed.year_end = 2023, 2025

    plan_import(document=_document(parsed), source_name="x.txt", year=2024)

    assert Plan.objects.values_list("year_start", "year_end").get() == (2024, 2026)


def test_a_year_given_dates_the_look_ahead_and_a_look_back_without_a_year_the_year_before():
    review = _anonymous(_plan(is_review=True), unit=False)
    outlook = _anonymous(_plan(), unit=False)

    plan_import(document=_document(review, outlook), source_name="report.txt", year=2025)

    years = dict(Plan.objects.values_list("is_review", "year_start"))
    assert years == {True: 2024, False: 2025}
    assert {r.date for r in IndicatorReading.objects.all()} == {dt.date(2024, 12, 31)}


def test_a_year_given_leaves_the_year_a_look_back_names_alone():
    review = _plan(is_review=True, year=2022)
    outlook = _anonymous(_plan(), unit=False)

    plan_import(document=_document(review, outlook), source_name="report.txt", year=2025)

    assert dict(Plan.objects.values_list("is_review", "year_start")) == {True: 2022, False: 2025}


def test_a_look_back_without_a_year_is_the_year_before_its_documents_look_ahead():
    review = _anonymous(_plan(is_review=True), unit=False)

    plan_import(document=_document(review, _plan(year=2025)), source_name="report.txt")

    assert dict(Plan.objects.values_list("is_review", "year_start")) == {True: 2024, False: 2025}


def test_a_year_given_for_a_document_that_only_looks_back_is_the_year_it_reviews():
    review = _anonymous(_plan(is_review=True), unit=False)

    plan_import(document=_document(review), source_name="summary.txt", year=2024)

    assert Plan.objects.values_list("is_review", "year_start").get() == (True, 2024)


def test_reimporting_with_the_same_unit_and_year_given_changes_nothing():
    def run():
        return plan_import(
            document=_document(_anonymous(_plan())),
            source_name="x.txt",
            unit_name="颛桥镇",
            year=2025,
        )

    run()
    counts = _row_counts()

    result = run()

    assert _row_counts() == counts
    assert result.created_plans == []


@pytest.mark.parametrize(
    ("name", "parsed_level", "level", "district"),
    [
        ("颛桥镇", None, "镇", "闵行区"),
        ("横沙乡", None, "乡", "闵行区"),
        ("嘉定工业区", None, "其他", "闵行区"),
        ("静安区", None, "区县", "静安区"),  # a district body is its own district
        ("虹桥商务区", "其他", "其他", "闵行区"),  # the parser knows better than the suffix
    ],
)
def test_a_unit_the_import_creates_gets_its_level_and_district(name, parsed_level, level, district):
    parsed = _plan()
    parsed.subdistrict, parsed.level = name, parsed_level
    parsed.district = None if level == "区县" else "闵行区"

    plan_import(document=_document(parsed), source_name="x.txt")

    unit = Subdistrict.objects.get()
    assert (unit.name, unit.level, unit.district) == (name, level, district)


def test_an_existing_units_level_changes_only_when_the_person_importing_says_so():
    SubdistrictFactory(name="颛桥镇", district="闵行区")  # created before levels existed
    parsed = _plan()
    parsed.subdistrict, parsed.level = "颛桥镇", "镇"

    plan_import(document=_document(parsed), source_name="a.txt")
    assert Subdistrict.objects.get().level == Subdistrict.Level.STREET

    plan_import(document=_document(parsed, text="另一份"), source_name="b.txt", level="镇")
    assert Subdistrict.objects.get().level == Subdistrict.Level.TOWN


def test_an_unknown_level_is_refused():
    with pytest.raises(DocumentError, match="级别"):
        plan_import(document=_document(_plan()), source_name="x.txt", level="村")

    assert Plan.objects.count() == 0


# --- Leads, partners and deadlines -------------------------------------------------------


def _one_task_plan(**node):
    return _plan(nodes=[ParsedNode(number="1.", title="推进旧改", text="推进旧区改造。", **node)])


def test_a_task_keeps_its_lead_partners_and_deadline_as_written():
    parsed = _one_task_plan(
        lead="区发改委",
        partners=["管理办", " 服务办 ", ""],
        due=dt.date(2023, 6, 30),
        due_text="2023年6月底前",
    )

    plan_import(document=_document(parsed), source_name="x.txt")

    task = Task.objects.get()
    assert (task.lead_text, task.partners_text) == ("区发改委", "管理办、服务办")
    assert (task.due_date, task.due_text) == (dt.date(2023, 6, 30), "2023年6月底前")
    assert task.lead_department is None


def test_a_task_without_lead_or_deadline_leaves_them_empty():
    plan_import(document=_document(_one_task_plan()), source_name="x.txt")

    task = Task.objects.get()
    assert (task.lead_text, task.partners_text, task.due_text, task.due_date) == ("", "", "", None)


@pytest.mark.parametrize(
    ("lead", "department"),
    [
        ("管理办", "管理办"),
        ("街道党政办", "党政办"),
        ("党政办、管理办", "党政办"),
        ("区发改委", None),
        ("平安办", None),  # of another unit
    ],
)
def test_a_lead_that_names_one_of_the_units_departments_is_linked_to_it(lead, department):
    unit = SubdistrictFactory(name="江浦路街道", district="杨浦区")
    DepartmentFactory(subdistrict=unit, name="管理办")
    DepartmentFactory(subdistrict=unit, name="党政办")
    DepartmentFactory(name="平安办")

    plan_import(document=_document(_one_task_plan(lead=lead)), source_name="x.txt")

    task = Task.objects.select_related("lead_department").get()
    assert (task.lead_department.name if task.lead_department else None) == department
    assert task.lead_text == lead


def test_leads_are_matched_with_one_query_of_departments_per_plan():
    unit = SubdistrictFactory(name="江浦路街道", district="杨浦区")
    DepartmentFactory(subdistrict=unit, name="管理办")
    parsed = _plan(
        nodes=[
            ParsedNode(number=f"{n}.", title=f"任务{n}", text="", lead=lead)
            for n, lead in enumerate(["管理办", "社区管理办", "区民政局"] * 10, start=1)
        ]
    )

    with CaptureQueriesContext(connection) as queries:
        plan_import(document=_document(parsed), source_name="x.txt")

    department_reads = [q for q in queries if '"subdistricts_department"' in q["sql"]]
    assert len(department_reads) == 1
    assert Task.objects.filter(lead_department__name="管理办").count() == 20


def test_an_approximate_target_is_stored_as_approximate():
    parsed = _one_task_plan(indicators=[_indicator("常住人口", "5", "万人", "approx")])

    plan_import(document=_document(parsed), source_name="x.txt")

    indicator = Indicator.objects.get()
    assert indicator.comparator == Indicator.Comparator.APPROX
    assert str(indicator) == "常住人口约5万人"


def test_a_progress_table_of_the_same_year_becomes_readings_of_the_plan_not_a_second_plan():
    achieved = ParsedNode(
        number="1.",
        title="加强招商引资",
        text="已新增就业岗位700个。",
        indicators=[_indicator(value="700", comparator="eq")],
    )
    review = dataclasses.replace(
        _plan(
            is_review=True,
            nodes=[ParsedNode(number="(一)", title="优化经济质效", text="", children=[achieved])],
        ),
        published_on=dt.date(2023, 7, 15),
    )
    result = plan_import(document=_document(_plan(), review), source_name="执行情况.txt")

    (plan,) = Plan.objects.all()
    assert not plan.is_review
    (reading,) = IndicatorReading.objects.all()
    assert (reading.indicator.name, reading.value, reading.date) == (
        "新增就业岗位",
        Decimal("700"),
        dt.date(2023, 7, 15),
    )
    assert result.reading_count == 1


# --- The roll-up and the history written with the rows -----------------------------------

DOCUMENTS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "documents").glob("*.txt"))


def _stored_rollup(plan):
    return {
        "progress": progress_values(plan),
        "themes": theme_rows(plan),
        "tasks": list(Task.objects.filter(plan=plan).values_list("pk", "health", "is_overdue")),
        "indicators": list(
            Indicator.objects.filter(task__plan=plan).values_list("pk", *INDICATOR_ROLLUP_FIELDS)
        ),
    }


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_an_imported_plans_rollup_is_the_one_a_recompute_gives(path):
    """The import computes the roll-up before inserting the rows; a recompute from the
    stored rows changes nothing."""
    document = parse_document(read_document(path))
    result = plan_import(document=document, source_name=path.name, unit_name="江浦路街道")

    for plan in result.created_plans:
        imported = _stored_rollup(plan)
        plan_rollup(plan_id=plan.pk)
        assert _stored_rollup(plan) == imported


def test_a_look_backs_rollup_counts_its_figures_as_readings_as_a_recompute_does():
    review = _plan(is_review=True)
    review.nodes[0].children[0].indicators = [_indicator(value="12.345678", unit="%")]
    result = plan_import(document=_document(review), source_name="review.txt")

    plan = result.created_plans[0]
    imported = _stored_rollup(plan)
    assert imported["progress"]["indicator_total"] == 2
    plan_rollup(plan_id=plan.pk)
    assert _stored_rollup(plan) == imported


def test_each_imported_tasks_history_row_holds_its_fields_as_stored():
    plan_import(document=_document(_plan()), source_name="jiangpu.txt")

    fields = [f.attname for f in Task.history.model.tracked_fields]
    for task in Task.objects.values(*fields):
        record = Task.history.filter(id=task["id"]).values(
            *fields, "history_type", "history_user_id", "history_change_reason"
        )
        assert list(record) == [
            {**task, "history_type": "+", "history_user_id": None, "history_change_reason": "导入"}
        ]
    indicator_fields = [f.attname for f in Indicator.history.model.tracked_fields]
    for indicator in Indicator.objects.values(*indicator_fields):
        record = Indicator.history.filter(id=indicator["id"]).values(*indicator_fields)
        assert list(record) == [indicator]
