"""Fill the database with a synthetic city for the benchmarks (see apps/demo/services/city.py)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.demo.services import CityGenerator, city_viewer_create, demo_password


class Command(BaseCommand):
    help = "生成模拟的全市数据（街道、科室、人员、计划、任务、指标及其历史），用于性能测试。"

    def add_arguments(self, parser):
        parser.add_argument("--subdistricts", type=int, required=True, help="街道数")
        parser.add_argument("--years", type=int, default=5, help="年数（到今年为止）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子，相同种子生成相同数据")
        parser.add_argument("--batch", type=int, default=10, help="每个事务写入的街道数")

    def handle(self, *args, **options):
        if options["subdistricts"] < 1 or not 1 <= options["years"] <= 20:
            raise CommandError("街道数必须至少为 1，年数必须在 1 到 20 之间。")
        started = time.perf_counter()
        generator = CityGenerator(
            seed=options["seed"], today=timezone.localdate(), log=self.stdout.write
        )
        counts = generator.generate(
            subdistricts=options["subdistricts"], years=options["years"], batch=options["batch"]
        )
        viewer = city_viewer_create()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {counts.subdistricts} 个街道、{counts.users} 个用户、{counts.plans} 个计划、"
                f"{counts.tasks} 项任务、{counts.indicators} 个指标、{counts.updates} 条更新、"
                f"{counts.readings} 条指标读数、{counts.snapshots} 个计划快照，用时 {seconds:.1f} 秒。"
            )
        )
        self.stdout.write(
            f"全市查看账号：{viewer.username}；街道账号如 s001_leader、s001_staff1；"
            f"密码：{demo_password()}"
        )
