"""The import history table: who brought which file in, when, and what became of it."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from apps.imports.models import ImportDraft


class ImportDraftTable(tables.Table):
    source_name = tables.Column(
        verbose_name="文件", linkify=lambda record: record.get_absolute_url()
    )
    download = tables.Column(verbose_name="原始文件", empty_values=(), orderable=False)
    subdistrict = tables.Column(verbose_name="单位")
    created_by = tables.Column(verbose_name="导入人")
    created_at = tables.DateTimeColumn(verbose_name="上传时间", format="Y-m-d H:i")
    status = tables.Column(verbose_name="状态")
    plans = tables.Column(verbose_name="导入或修订的计划", empty_values=(), orderable=False)

    class Meta:
        model = ImportDraft
        fields = ["source_name", "download", "subdistrict", "created_by", "created_at", "status"]
        attrs = {"class": "table"}

    def render_download(self, record):
        return format_html('<a href="{}">下载</a>', reverse("imports:draft_file", args=[record.pk]))

    def render_plans(self, record):
        plans = record.plans.all()  # prefetched
        if not plans:
            return "—"
        return format_html_join(
            "、",
            '<a href="{}">{}</a>',
            ((reverse("dashboard:plan_detail", args=[p.pk]), p.title) for p in plans),
        )
