import datetime as dt
import json
import shutil
import sys
import types

import pytest
from django.core.management import CommandError, call_command

from apps.importer.types import ParsedDocument, ParsedNode, ParsedPlan
from apps.plans.models import Indicator, IndicatorReading, Plan, Task
from apps.subdistricts.models import Subdistrict

pytestmark = pytest.mark.django_db

PLAN_KEYS = {
    "subdistrict",
    "district",
    "title",
    "kind",
    "year_start",
    "year_end",
    "published_on",
    "doc_number",
    "is_review",
    "nodes",
    "level",
}
NODE_KEYS = {
    "number",
    "title",
    "text",
    "indicators",
    "children",
    "lead",
    "partners",
    "due",
    "due_text",
}


def _row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Subdistrict, Plan, Task, Indicator, IndicatorReading)
    }


def test_import_plan_refuses_an_empty_file_and_creates_no_row(tmp_path, capsys):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")

    with pytest.raises(CommandError):
        call_command("import_plan", str(path))

    assert "文件是空的：empty.txt" in capsys.readouterr().err
    assert Plan.objects.count() == 0


def test_import_plan_refuses_a_binary_file_and_creates_no_row(tmp_path, capsys):
    path = tmp_path / "picture.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)

    with pytest.raises(CommandError):
        call_command("import_plan", str(path))

    assert (
        "文件不是可识别的文本或文档（支持 .txt .docx .pdf .html .xlsx .doc）：picture.png"
        in capsys.readouterr().err
    )
    assert _row_counts() == dict.fromkeys(_row_counts(), 0)


@pytest.mark.needs_parser
def test_import_plan_imports_the_good_files_and_fails_for_the_broken_one(
    tmp_path, capsys, fixture_documents
):
    broken = tmp_path / "empty.txt"
    broken.write_bytes(b"")
    good = fixture_documents / "jiangpu-2023-work-points.txt"

    with pytest.raises(CommandError):
        call_command("import_plan", str(broken), str(good))

    output = capsys.readouterr()
    assert "文件是空的：empty.txt" in output.err
    assert "已导入 江浦路街道2023年工作要点" in output.out
    assert Plan.objects.count() == 1


@pytest.mark.needs_parser
def test_import_plan_reports_a_second_import_as_unchanged(capsys, fixture_documents):
    path = str(fixture_documents / "jiangpu-2023-work-points.txt")
    call_command("import_plan", path)
    counts = _row_counts()
    capsys.readouterr()

    call_command("import_plan", path)

    assert "未变化（已导入过）" in capsys.readouterr().out
    assert _row_counts() == counts


@pytest.mark.needs_parser
def test_demo_setup_twice_leaves_the_same_counts(capsys):
    call_command("demo_setup", "--no-activity")
    counts = _row_counts()

    call_command("demo_setup", "--no-activity")

    assert counts["Plan"] >= 5
    assert _row_counts() == counts
    assert "新导入 0 个计划" in capsys.readouterr().out


@pytest.mark.needs_parser
def test_demo_setup_imports_docx_files_too(tmp_path, settings, capsys, fixture_documents):
    import docx

    from apps.demo.management.commands.demo_setup import demo_documents_import

    source = fixture_documents / "jiangpu-2023-work-points.txt"
    document = docx.Document()
    for line in source.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    document.save(tmp_path / "jiangpu.docx")
    shutil.copy(fixture_documents / "SOURCES.md", tmp_path)

    results = demo_documents_import(tmp_path)

    assert [r.source_name for r in results] == ["jiangpu.docx"]
    assert len(results[0].created_plans) == 1


@pytest.mark.needs_parser
def test_parse_plan_prints_the_contract_as_json_without_querying_the_database(
    capsys, django_assert_num_queries, fixture_documents
):
    path = fixture_documents / "jiangpu-2023-work-points.txt"

    with django_assert_num_queries(0):
        call_command("parse_plan", str(path))

    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"plans"}
    plan = data["plans"][0]
    assert set(plan) == PLAN_KEYS
    assert plan["subdistrict"] == "江浦路街道"
    assert plan["year_start"] == 2023
    assert set(plan["nodes"][0]) == NODE_KEYS


@pytest.mark.needs_parser
def test_parse_plan_fails_with_the_chinese_message_for_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("parse_plan", str(tmp_path / "missing.txt"))


# --- --unit, --year, --level, --district --------------------------------------------------
# The document is built here and handed over in place of the parser's output, so these
# tests check the command and the loader, not what the parser makes of a text.


def _parsed(*, unit=None, year=None, is_review=False):
    return ParsedPlan(
        subdistrict=unit,
        district=None,
        title="2025年工作要点",
        kind="工作要点",
        year_start=year,
        year_end=year,
        published_on=None,
        doc_number="",
        is_review=is_review,
        nodes=[
            ParsedNode(
                number="一、",
                title="推进城市更新",
                text="年底前完成旧改。",
                lead="管理办",
                partners=["服务办"],
                due=dt.date(2025, 12, 31),
                due_text="年底前",
            )
        ],
    )


@pytest.fixture
def document_of(monkeypatch, tmp_path):
    """`document_of(*plans)`: a file whose parse gives those plans; returns its path."""

    def make(*plans):
        document = ParsedDocument(text="2025年工作要点 全文", plans=list(plans))
        parser = types.ModuleType("apps.importer.parser")
        parser.parse_document = lambda text: document
        # In place of the parser module, so that these tests need not even import it.
        monkeypatch.setitem(sys.modules, "apps.importer.parser", parser)
        path = tmp_path / "plan.txt"
        path.write_text(document.text, encoding="utf-8")
        return str(path)

    return make


def test_import_plan_asks_for_the_unit_when_the_document_names_none(document_of, capsys):
    path = document_of(_parsed(year=2025))

    with pytest.raises(CommandError):
        call_command("import_plan", path)

    assert "请用 --unit 指定，例如 --unit 江浦路街道" in capsys.readouterr().err
    assert _row_counts() == dict.fromkeys(_row_counts(), 0)


def test_import_plan_asks_for_the_year_when_the_document_names_none(document_of, capsys):
    path = document_of(_parsed(unit="江浦路街道"))

    with pytest.raises(CommandError):
        call_command("import_plan", path)

    assert "请用 --year 指定，例如 --year 2025" in capsys.readouterr().err
    assert _row_counts() == dict.fromkeys(_row_counts(), 0)


def test_import_plan_imports_a_document_that_names_neither_with_the_unit_and_year_given(
    document_of, capsys
):
    path = document_of(_parsed())

    call_command("import_plan", path, "--unit", "颛桥镇", "--year", "2025", "--district", "闵行区")

    assert "已导入 2025年工作要点" in capsys.readouterr().out
    plan = Plan.objects.select_related("subdistrict").get()
    unit = plan.subdistrict
    assert (unit.name, unit.level, unit.district) == ("颛桥镇", "镇", "闵行区")
    assert (plan.year_start, plan.year_end) == (2025, 2025)
    task = Task.objects.get()
    assert (task.lead_text, task.partners_text, task.due_text) == ("管理办", "服务办", "年底前")


def test_import_plan_gives_the_unit_the_level_asked_for(document_of):
    path = document_of(_parsed(year=2025))

    call_command("import_plan", path, "--unit", "虹桥商务区", "--level", "其他")

    assert Subdistrict.objects.values_list("name", "level").get() == ("虹桥商务区", "其他")


def test_import_plan_refuses_a_level_it_does_not_know(document_of):
    path = document_of(_parsed(unit="江浦路街道", year=2025))

    with pytest.raises(CommandError, match="--level"):
        call_command("import_plan", path, "--level", "村")

    assert Plan.objects.count() == 0


def test_import_plan_refuses_an_implausible_year(document_of):
    path = document_of(_parsed(unit="江浦路街道"))

    with pytest.raises(CommandError, match="年度应在 1949 到 2100 之间：25"):
        call_command("import_plan", path, "--year", "25")

    assert Plan.objects.count() == 0


@pytest.mark.needs_parser
@pytest.mark.django_db(transaction=True)
def test_import_plan_with_several_jobs_imports_each_file_once_and_reports_in_order(
    tmp_path, capsys, fixture_documents
):
    """`--jobs 2` (worker processes on PostgreSQL, one after the other on SQLite): the
    same lines as one by one, in the order of the files, a broken file refused alone, and
    a file given twice imported once whichever process reaches it first."""
    broken = tmp_path / "empty.txt"
    broken.write_bytes(b"")
    jiangpu = str(fixture_documents / "jiangpu-2023-work-points.txt")
    gumei = str(fixture_documents / "gumei-2020-work-points.txt")

    with pytest.raises(CommandError, match="1 个文件未能导入"):
        call_command("import_plan", "--jobs", "2", jiangpu, str(broken), gumei, jiangpu)

    output = capsys.readouterr()
    lines = output.out.splitlines()
    assert "文件是空的：empty.txt" in output.err
    assert len(lines) == 3
    assert "江浦路街道" in lines[0]
    assert "古美路街道" in lines[1]
    assert "江浦路街道" in lines[2]
    assert {lines[0][:3], lines[2][:3]} == {"已导入", "未变化"}
    assert Plan.objects.count() == 2
    assert Subdistrict.objects.filter(name__in=["江浦路街道", "古美路街道"]).count() == 2


def test_import_plan_refuses_zero_jobs(fixture_documents):
    with pytest.raises(CommandError, match="--jobs 至少为 1"):
        call_command(
            "import_plan", "--jobs", "0", str(fixture_documents / "gumei-2020-work-points.txt")
        )
    assert Plan.objects.count() == 0
