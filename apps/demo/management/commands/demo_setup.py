"""Prepare a demo: import the documents shipped in fixtures/documents, and a demonstration
plan of the current year made from one of them (marked 演示).

Safe to run again: documents already imported are left as they are; departments, lead
departments and demo accounts are only added where missing.
"""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.demo.services import (
    demo_accounts_create,
    demo_activity_create,
    demo_current_plan_create,
    demo_departments_assign,
    demo_password,
    demo_supervision_create,
)
from apps.importer.management.commands.import_plan import summary_lines
from apps.importer.services import ImportResult, document_import
from apps.importer.types import DocumentError

DOCUMENTS_DIR = Path(settings.BASE_DIR) / "fixtures" / "documents"
DOCUMENT_SUFFIXES = {".txt", ".docx"}


def demo_documents(folder: Path = DOCUMENTS_DIR) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES)


def demo_documents_import(folder: Path = DOCUMENTS_DIR) -> list[ImportResult]:
    results = []
    for path in demo_documents(folder):
        try:
            results.append(document_import(path=path))
        except DocumentError as exc:
            raise CommandError(f"{path.name}：{exc}") from exc
    return results


class Command(BaseCommand):
    help = "导入 fixtures/documents 中的示例文档（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-activity",
            action="store_true",
            help="不生成虚构的演示进度（只导入文档并创建账号）。",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="演示数据的“今天”（YYYY-MM-DD，默认今天）：同一天生成的演示数据完全相同。",
        )

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        results = demo_documents_import()
        for result in results:
            for line in summary_lines(result):
                self.stdout.write(f"{result.source_name}：{line}")
        current, _created = demo_current_plan_create(folder=DOCUMENTS_DIR, today=today)
        self.stdout.write(f"演示计划（{today.year} 年，据示例文档虚构）：{current.title}")
        created = sum(len(r.created_plans) for r in results)
        skipped = sum(len(r.skipped_plans) for r in results)
        self.stdout.write(
            self.style.SUCCESS(f"示例数据已就绪：新导入 {created} 个计划，{skipped} 个计划未变化。")
        )
        assigned = demo_departments_assign()
        if assigned:
            self.stdout.write(f"已按章节为 {assigned} 项任务指定牵头科室。")
        accounts = demo_accounts_create()
        self.stdout.write("演示账号（密码：环境变量 DEMO_PASSWORD，默认 demo-pass-2024）：")
        for account, was_created in accounts:
            scope = account.subdistrict or "全部街道"
            state = "新建" if was_created else "已存在"
            self.stdout.write(
                f"  {account.username:<15} {account.display_name}（{scope}，{state}）{account.email}"
            )
        if any(created for _, created in accounts):
            self.stdout.write(f"新建账号的密码：{demo_password()}")
        if not options["no_activity"]:
            simulated = demo_activity_create(today=today)
            if simulated:
                self.stdout.write(
                    f"已为 {simulated} 个计划生成虚构的演示进度（每周或每四周的更新、每四周的指标填报和每周快照）。"
                )
        self.stdout.write(
            "演示账号的邮箱是虚构的；未配置 EMAIL_HOST 时，催办等邮件只打印在运行 worker 的控制台上。"
        )
        supervision = demo_supervision_create(today=today)
        if supervision["owned"] or supervision["urges"]:
            self.stdout.write(
                f"督办演示：jiangpu_staff 负责 {supervision['owned']} 项任务，"
                f"jiangpu_leader 已催办 {supervision['urges']} 项。"
            )
        self.stdout.write("登录：http://127.0.0.1:8000/accounts/login/")
