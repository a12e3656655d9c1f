"""Peak memory of the plan report job (issue 14): a plan of N tasks (default 9,000, each
with an indicator and a progress note) in a scratch SQLite database, its report made by
`plan_report_generate` in a fresh process, as the worker would.

    python -m bench.report_memory [--tasks 9000]

Prints the process's resident memory before the job, its peak (VmHWM) during it, and the
Python allocations' peak (tracemalloc, a second run), with the time taken.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apps.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def big_plan(tasks: int) -> int:
    """A plan of `tasks` tasks (sections of 30 items), one indicator and one note each, and
    a pending report of it; returns the report's id. Django must be set up."""
    import datetime as dt
    from decimal import Decimal

    from django.core.management import call_command

    from apps.accounts.models import User
    from apps.plans.models import Indicator, Plan, PlanReport, Task, TaskUpdate
    from apps.subdistricts.models import Department, Subdistrict

    call_command("migrate", verbosity=0)
    unit = Subdistrict.objects.create(name="基准街道")
    office = Department.objects.create(subdistrict=unit, name="服务办")
    plan = Plan.objects.create(
        subdistrict=unit,
        title="基准街道2026年工作要点",
        kind=Plan.Kind.WORK_POINTS,
        year_start=2026,
        year_end=2026,
        source_text="基准",
        content_hash="0" * 64,
    )
    rows = []
    for index in range(tasks):
        section, item = divmod(index, 30)
        is_section = item == 0
        rows.append(
            Task(
                plan=plan,
                number=f"({section + 1})" if is_section else f"{item}.",
                title="" if not is_section else f"第{section + 1}部分",
                text="推进重点工作，落实各项任务，确保按期完成。" * 4,
                order=index + 1,
                depth=0 if is_section else 1,
                path=f"{section:04d}" if is_section else f"{section:04d}.{item:04d}",
                lead_department=office,
                responsible_person="张三",
                due_date=dt.date(2026, 12, 31),
                percent=40,
                status="in_progress",
            )
        )
    created = Task.objects.bulk_create(rows, batch_size=1000)
    Indicator.objects.bulk_create(
        [
            Indicator(
                task=task,
                name="新增就业岗位",
                target_value=Decimal("1200"),
                unit="个",
                comparator=Indicator.Comparator.GTE,
                source_text="新增就业岗位不少于1200个。",
                order=1,
                latest_value=Decimal("800"),
            )
            for task in created
        ],
        batch_size=1000,
    )
    author = User.objects.create(username="bench")
    TaskUpdate.objects.bulk_create(
        [
            TaskUpdate(task=task, user=author, note="已召开推进会，完成阶段目标。" * 3)
            for task in created
        ],
        batch_size=1000,
    )
    return PlanReport.objects.create(plan=plan, requested_by=author).pk


def vm(field: str) -> int:
    """A /proc/self/status figure in kB (VmRSS now, VmHWM the peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def measure(database: Path, report_id: int, trace: bool) -> None:
    setup_django(database)
    import tracemalloc

    from apps.plans.models import PlanReport
    from apps.plans.services import plan_report_generate

    PlanReport.objects.filter(pk=report_id).update(status=PlanReport.Status.PENDING)
    before = vm("VmRSS")
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    report = plan_report_generate(report_id=report_id)
    elapsed = time.perf_counter() - started
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        print(f"tracemalloc peak {peak / 2**20:.1f} MiB ({elapsed:.1f} s traced)")
        return
    print(
        f"RSS before {before / 1024:.0f} MiB, peak {vm('VmHWM') / 1024:.0f} MiB "
        f"(+{(vm('VmHWM') - before) / 1024:.0f} MiB), {elapsed:.1f} s, "
        f"file {report.file.size / 1024:.0f} KiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=9000)
    parser.add_argument("--measure", nargs=2, metavar=("DATABASE", "REPORT_ID"))
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.measure:
        measure(Path(args.measure[0]), int(args.measure[1]), args.trace)
        return
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        os.environ["MEDIA_ROOT"] = folder
        setup_django(database)
        report_id = big_plan(args.tasks)
        print(f"{args.tasks} tasks")
        for extra in ([], ["--trace"]):
            command = [sys.executable, "-m", "bench.report_memory", "--measure"]
            subprocess.run([*command, str(database), str(report_id), *extra], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
