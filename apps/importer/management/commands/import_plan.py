from django.core.management.base import BaseCommand, CommandError

from apps.importer.services import ImportResult, PlanImport, documents_import
from apps.importer.types import UNIT_LEVELS, DocumentError

# Plan years are stored as small positive integers; anything outside is a typo.
YEAR_MIN, YEAR_MAX = 1949, 2100


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
    help = (
        "导入工作计划文档（.txt 或 .docx）。每个文件单独提交，已导入过的内容不会重复导入。"
        "文档中没有写明发文单位或年度时，用 --unit、--year 指定（对本次导入的每个文件都适用）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="文档路径")
        parser.add_argument(
            "--unit", metavar="NAME", help="发文单位名称，覆盖文档中识别出的，如 江浦路街道"
        )
        parser.add_argument(
            "--year", type=int, metavar="YYYY", help="计划年度，覆盖文档中识别出的，如 2025"
        )
        parser.add_argument(
            "--level", choices=UNIT_LEVELS, help="单位级别；不指定时按文档或名称后缀判断"
        )
        parser.add_argument("--district", metavar="NAME", help="上级区/县/市，如 闵行区")
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            metavar="N",
            help="同时导入的进程数（PostgreSQL 下有效；一次导入大量文件时可设为 CPU 核数）",
        )

    def handle(self, *args, paths: list[str], **options):
        year = options.get("year")
        if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
            raise CommandError(f"年度应在 {YEAR_MIN} 到 {YEAR_MAX} 之间：{year}")
        overrides = {
            "unit_name": (options.get("unit") or "").strip() or None,
            "year": year,
            "level": options.get("level"),
            "district": (options.get("district") or "").strip() or None,
        }
        jobs = options.get("jobs", 1)
        if jobs < 1:
            raise CommandError(f"--jobs 至少为 1：{jobs}")
        failures = 0
        for _path, result in documents_import(paths=paths, jobs=jobs, **overrides):
            if isinstance(result, DocumentError):
                failures += 1
                self.stderr.write(str(result))
                continue
            for line in summary_lines(result):
                self.stdout.write(line)
        if failures:
            raise CommandError(f"{failures} 个文件未能导入。")
