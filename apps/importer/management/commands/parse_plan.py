import json

from django.core.management.base import BaseCommand, CommandError

from apps.importer.parser import parse_document
from apps.importer.reading import read_document
from apps.importer.types import DocumentError


class Command(BaseCommand):
    help = "解析一份工作计划文档并以 JSON 输出结果（不访问数据库）。"
    # Parsing is pure: no system checks, so not even the database checks can query it.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="文档路径（.txt 或 .docx）")

    def handle(self, *args, path: str, **options):
        try:
            document = parse_document(read_document(path))
        except DocumentError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(document.to_dict(), ensure_ascii=False, indent=2))
