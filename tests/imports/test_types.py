"""ParsedDocument.from_dict: the inverse of to_dict, with errors that name the node."""

import pytest

from apps.importer.parser import parse_document
from apps.importer.types import DocumentError, ParsedDocument
from tests.imports.conftest import SAMPLE


def _data():
    return parse_document(SAMPLE).to_dict()


def test_it_reads_back_what_to_dict_wrote():
    document = parse_document(SAMPLE)

    again = ParsedDocument.from_dict(document.to_dict(), text=document.text)

    assert again.to_dict() == document.to_dict()
    assert again.text == document.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["plans"][0]["nodes"][1]["children"][0].update(title=" "),
            "第1个计划 › 第2项 › 第1项：标题不能为空",
        ),
        (
            lambda d: d["plans"][0]["nodes"][1]["children"][1]["indicators"][0].update(
                value="很多"
            ),
            "第1个计划 › 第2项 › 第2项 › 第1个指标：指标“适老化改造”的目标值“很多”不是数字",
        ),
        (
            lambda d: d["plans"][0]["nodes"][1]["children"][1]["indicators"][0].update(
                comparator="about"
            ),
            "比较方式“about”无效",
        ),
        (
            lambda d: d["plans"][0]["nodes"][0].update(due="6月底"),
            "第1个计划 › 第1项：完成时限“6月底”不是有效日期",
        ),
        (
            lambda d: d["plans"][0].update(year_start=2027, year_end=2026),
            "第1个计划：结束年份不能早于起始年份",
        ),
        (lambda d: d["plans"][0].update(level="省"), "第1个计划：级别“省”无效"),
        (
            lambda d: d["plans"][0]["nodes"][1].update(children="x"),
            "第1个计划 › 第2项：下级任务必须是列表",
        ),
        (lambda d: d.update(plans=[]), "草稿中没有计划"),
    ],
)
def test_it_names_the_offending_node_in_chinese(change, message):
    data = _data()
    change(data)

    with pytest.raises(DocumentError) as error:
        ParsedDocument.from_dict(data)

    assert message in str(error.value)


def test_a_document_that_is_not_an_object_is_refused():
    with pytest.raises(DocumentError, match="格式不正确"):
        ParsedDocument.from_dict(["plans"])
