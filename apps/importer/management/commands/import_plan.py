from django.core.management.base import BaseCommand, CommandError

from apps.importer.services import ImportResult, PlanImport, document_import
from apps.importer.types import DocumentError


def summary_lines(result: ImportResult) -> list[str]:
    """One Chinese line per plan of an imported document."""
    if not result.plans:
        return [f"{result.source_name}：没有可导入的计划"]
    return [_plan_line(item) for item in result.plans]


def _plan_line(item: PlanImport) -> str:
    if not item.created:
        return f"未变化（已导入过）{item.plan.title}"
    line = (
        f"已导入 {item.plan.title}：{item.sections} 个章节，"
        f"{item.tasks} 项任务，{item.indicators} 个指标"
    )
    if item.readings:
        line += f"，{item.readings} 条完成值"
    return line


class Command(BaseCommand):
    help = "导入工作计划文档（.txt 或 .docx）。每个文件单独提交，已导入过的内容不会重复导入。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="文档路径")

    def handle(self, *args, paths: list[str], **options):
        failures = 0
        for path in paths:
            try:
                result = document_import(path=path)
            except DocumentError as exc:
                failures += 1
                self.stderr.write(str(exc))
                continue
            for line in summary_lines(result):
                self.stdout.write(line)
        if failures:
            raise CommandError(f"{failures} 个文件未能导入。")
