"""The task page's timeline entries (apps/plans/html.py), as a person reading the page
sees them: who, when (Shanghai time), what changed, the note, the 台账 files and the
review."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from apps.evidence.models import Evidence
from apps.plans.html import timeline_entries_html
from apps.plans.models import TaskUpdate
from apps.plans.selectors import task_update_list
from tests.factories import TaskUpdateFactory, UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def entries(task) -> str:
    return str(timeline_entries_html(task_update_list(task)))


def test_an_entry_says_who_and_when_in_shanghai_time(task_a):
    update = TaskUpdateFactory(task=task_a, user=UserFactory(display_name="张三"))
    TaskUpdate.objects.filter(pk=update.pk).update(
        created_at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    )

    html = entries(task_a)

    assert "<strong>张三</strong>" in html
    assert '<time datetime="2026-03-02T07:30:00+08:00">2026-03-02 07:30</time>' in html


def test_a_user_without_a_display_name_is_shown_by_username_and_a_deleted_one_as_such(task_a):
    TaskUpdateFactory(task=task_a, user=UserFactory(username="lisi", display_name=""))
    TaskUpdateFactory(task=task_a, user=None)

    html = entries(task_a)

    assert "<strong>lisi</strong>" in html
    assert "<strong>已删除用户</strong>" in html


def test_changes_show_old_and_new_values_and_a_first_value_alone(task_a):
    TaskUpdateFactory(
        task=task_a,
        changes=[
            {"field": "percent", "label": "完成百分比", "old": "20%", "new": "40%"},
            {"field": "responsible_person", "label": "责任人", "old": "", "new": "王五"},
        ],
    )

    html = entries(task_a)

    assert "<li>完成百分比：20% → 40%</li>" in html
    assert "<li>责任人：王五</li>" in html


def test_the_note_keeps_its_line_breaks_and_nothing_written_is_taken_as_html(task_a):
    TaskUpdateFactory(task=task_a, note='走访<b>12</b>户\n发放"告知书"')

    html = entries(task_a)

    assert '<p class="note">走访&lt;b&gt;12&lt;/b&gt;户<br>发放&quot;告知书&quot;</p>' in html
    assert "<b>" not in html


def test_names_and_changed_values_are_printed_as_text(task_a):
    TaskUpdateFactory(
        task=task_a,
        user=UserFactory(display_name="<i>王</i>"),
        changes=[
            {"field": "responsible_person", "label": "责任人", "old": "<u>甲</u>", "new": "乙&丙"}
        ],
    )

    html = entries(task_a)

    assert "<strong>&lt;i&gt;王&lt;/i&gt;</strong>" in html
    assert "<li>责任人：&lt;u&gt;甲&lt;/u&gt; → 乙&amp;丙</li>" in html


def test_files_link_to_the_scoped_download_an_image_by_its_thumbnail(task_a):
    update = TaskUpdateFactory(task=task_a)
    photo = Evidence.objects.create(
        update=update,
        file="evidence/a.jpg",
        thumbnail="evidence/thumbnails/a.jpg",
        original_name='入户"照片".jpg',
        kind="jpeg",
        size=1,
    )
    sheet = Evidence.objects.create(
        update=update, file="evidence/b.xlsx", original_name="台账.xlsx", kind="xlsx", size=1
    )

    html = entries(task_a)

    assert f'href="{reverse("evidence:evidence_download", args=[photo.pk])}"' in html
    assert f'src="{reverse("evidence:evidence_thumbnail", args=[photo.pk])}"' in html
    assert 'alt="入户&quot;照片&quot;.jpg"' in html
    assert f'href="{reverse("evidence:evidence_download", args=[sheet.pk])}"' in html
    assert '<span class="evidence-kind">Excel 表格</span>' in html
    assert html.count('<ul class="evidence-list"') == 1


def test_an_applied_update_shows_no_review_and_a_returned_one_its_reviewer_and_comment(task_a):
    TaskUpdateFactory(task=task_a, note="直接生效")
    TaskUpdateFactory(
        task=task_a,
        note="被退回",
        state=TaskUpdate.State.RETURNED,
        reviewed_by=UserFactory(display_name="李科长"),
        reviewed_at=dt.datetime(2026, 5, 6, 1, 0, tzinfo=dt.UTC),
        review_comment="请补充<照片>\n并注明日期",
    )
    TaskUpdateFactory(task=task_a, note="等待审核", state=TaskUpdate.State.PENDING)

    html = entries(task_a)

    assert html.count('class="review-state') == 2
    assert (
        '<p class="review-state review-returned">已退回 · 审核人 李科长 2026-05-06 09:00</p>'
        in (html)
    )
    assert '<p class="review-comment">审核意见：请补充&lt;照片&gt;<br>并注明日期</p>' in html
    assert '<p class="review-state review-pending">待审核</p>' in html


def test_the_task_page_shows_the_entries_and_says_when_there_are_none(client, alice, task_a):
    client.force_login(alice)
    empty = client.get(f"/tasks/{task_a.pk}/").content.decode()
    TaskUpdateFactory(task=task_a, note="第一次进展")

    page = client.get(f"/tasks/{task_a.pk}/").content.decode()

    assert "暂无更新记录。" in empty
    assert "第一次进展" in page and "暂无更新记录。" not in page
