"""The task search (`task_search`): what a query finds, and which index serves it."""

import pytest
from django.db import connection
from django.db.models import Q

from apps.plans.models import Task
from apps.plans.selectors import task_search
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

ROWS = [
    ("推进社区养老服务", "新建长者照护之家。"),
    ("稳定就业", "开展养老护理员培训。"),
    ("AB 岗位", "完善 50%_比例 的考核。"),
    ("优化营商环境", "走访企业，ab 类项目。"),
    ("城市更新", "旧区改造。"),
    ("两行", "第一行写到养\n老第二行"),
]


@pytest.fixture
def tasks():
    return [TaskFactory(title=title, text=text) for title, text in ROWS]


@pytest.mark.parametrize(
    "query", ["养老", "就业", "ab", "Ab", "%_", "0%", "更新", "无关", "行写", "造。"]
)
def test_a_two_character_search_finds_what_icontains_finds(tasks, query):
    """On PostgreSQL two characters go through the bigram indexes; the rows are those of
    the title or text containing them, ignoring case, as for longer queries."""
    everything = Task.objects.all()
    expected = everything.filter(Q(title__icontains=query) | Q(text__icontains=query))

    assert set(task_search(everything, query)) == set(expected)


def test_a_two_character_search_finds_rows_in_titles_and_texts(tasks):
    titles = sorted(t.title for t in task_search(Task.objects.all(), "养老"))

    assert titles == ["推进社区养老服务", "稳定就业"]


@pytest.mark.parametrize(
    "query",
    [
        "养老服",
        "养老服务",
        "AB 岗",
        "aB 岗",
        "Ab 类",
        "50%_比",
        "改造。",
        "照护之家",
        "照护之",
        "护之",
    ],
)
def test_a_longer_search_finds_what_icontains_finds(tasks, query):
    """Through the bigram indexes a longer query needs all its pairs, and the rows holding
    them all yet not the query itself (养老 and 老服 apart) are left out."""
    TaskFactory(title="分开的字", text="养老院里，老服务员。")
    TaskFactory(title="标题末尾是照护", text="之家在正文开头")
    everything = Task.objects.all()
    expected = everything.filter(Q(title__icontains=query) | Q(text__icontains=query))

    assert set(task_search(everything, query)) == set(expected)
    found = {t.title for t in task_search(everything, query)}
    assert "分开的字" not in found
    assert "标题末尾是照护" not in found


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the search indexes exist on PostgreSQL only"
)
@pytest.mark.parametrize(
    ("query", "indexes"),
    [
        ("养老", ["plans_task_search_bigrams"]),
        ("养老服务", ["plans_task_search_bigrams"]),
    ],
)
def test_each_search_of_two_characters_or_more_can_use_an_index(tasks, query, indexes):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = task_search(Task.objects.order_by(), query).explain()

    for index in indexes:
        assert index in plan
