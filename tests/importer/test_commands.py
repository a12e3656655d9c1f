import json
import shutil

import pytest
from django.core.management import CommandError, call_command

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
}
NODE_KEYS = {"number", "title", "text", "indicators", "children"}


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

    assert "文件不是可识别的文本或 .docx 文档：picture.png" in capsys.readouterr().err
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

    from apps.core.management.commands.demo_setup import demo_documents_import

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
