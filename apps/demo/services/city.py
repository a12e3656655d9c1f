"""A synthetic city for measuring the pages at Shanghai's scale (`generate_city`).

N 街道 spread over the 16 districts, each with its departments and staff, one 工作要点 a
year built from the sections of the seed documents (so the trees, titles, texts and
indicator sentences have the real shapes), indicators on about a third of the tasks, and a
history: weekly updates of the active tasks and four-weekly ones of the others, four-weekly
indicator readings, weekly plan snapshots, and the roll-ups the jobs would have left.

Everything is simulated in memory and written with bulk inserts, a few 街道 per
transaction. Deterministic for a given seed and `today`. Simple-history rows and indicator
snapshots are not written for synthetic history (they are audit and nightly by-products,
not what the pages read).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Membership, User
from apps.demo.services.accounts import DEPARTMENT_RULES, demo_password, department_for
from apps.demo.services.activity import dated_in_the_past
from apps.demo.services.simulation import PlanSimulation, SimIndicator, SimTask
from apps.importer.parser import parse_document
from apps.importer.reading import read_document
from apps.importer.types import ParsedIndicator, ParsedNode
from apps.plans.models import (
    Indicator,
    IndicatorReading,
    Plan,
    PlanProgress,
    PlanSnapshot,
    PlanThemeProgress,
    Task,
    TaskUpdate,
)
from apps.plans.rules.rollup import indicator_rollup_values, plan_totals
from apps.plans.rules.themes import theme_for
from apps.plans.rules.vocabulary import COMPARATOR_LABELS, Comparator
from apps.plans.services.rollups import theme_progress_rows
from apps.subdistricts.models import Department, Subdistrict

DISTRICTS = [
    "黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区",
    "宝山区", "嘉定区", "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区",
]  # fmt: skip
STEMS = (
    "江宁 南京 淮海 瑞金 打浦 外滩 豫园 五里 天平 湖南 枫林 田林 虹梅 康健 华泾 凌云 "
    "华阳 江苏 新华 周家 天山 仙霞 虹桥 北新 程家 静安 曹家 石门 南西 彭浦 临汾 芷江 "
    "宝山 大宁 长寿 甘泉 石泉 宜川 真如 长风 曹杨 万里 欧阳 曲阳 广中 嘉兴 提篮 四川 "
    "平凉 定海 殷行 五角 新江 控江 延吉 长白 大桥 江浦 古美 莘庄 江川 吴泾 浦锦 友谊 "
    "吴淞 张庙 淞南 高境 庙行 罗店 新成 真新 菊园 潍坊 塘桥 陆家 洋泾 金杨 花木 周浦 "
    "石化 山阳 岳阳 永丰 方松 中山 夏阳 盈浦 香花 西渡 南桥 奉浦 城桥 堡镇"
).split()
SUFFIXES = ("路街道", "街道", "新村街道", "镇")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建文玲红"
CN_NUMBERS = "一二三四五六七八九十"
BATCH = 5000
DOCUMENTS = Path(settings.BASE_DIR) / "fixtures" / "documents"


@dataclass
class CityCounts:
    subdistricts: int = 0
    users: int = 0
    plans: int = 0
    tasks: int = 0
    indicators: int = 0
    updates: int = 0
    readings: int = 0
    snapshots: int = 0


@dataclass
class SimPlan:
    """A plan being generated: its row, its task rows (index = SimTask.key) and the
    simulation that moves them."""

    row: Plan
    tasks: list[Task]
    indicators: list[Indicator]
    simulation: PlanSimulation
    snapshots: list[PlanSnapshot]


def seed_sections() -> tuple[list[ParsedNode], list[ParsedIndicator]]:
    """The sections of the seed documents' plans (not the look-backs) and every indicator
    found in them: the material the synthetic plans are assembled from."""
    sections, indicators = [], []

    def walk(node: ParsedNode) -> None:
        indicators.extend(node.indicators)
        for child in node.children:
            walk(child)

    for path in sorted(DOCUMENTS.glob("*.txt")):
        for plan in parse_document(read_document(path)).plans:
            if plan.is_review:
                continue
            for node in plan.nodes:
                walk(node)
                if node.children:
                    sections.append(node)
    return sections, indicators


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class CityGenerator:
    def __init__(self, *, seed: int, today: dt.date, log: Callable[[str], None] = print):
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = today
        self.log = log
        self.sections, self.indicator_pool = seed_sections()
        self.password = make_password(demo_password())
        self.counts = CityCounts()

    # --- People --------------------------------------------------------------------------

    def _subdistricts(self, n: int) -> list[Subdistrict]:
        names, rows = set(), []
        existing = set(Subdistrict.objects.values_list("name", flat=True))
        for i in range(n):
            while True:
                name = self.rng.choice(STEMS) + self.rng.choice(SUFFIXES)
                if name not in names and name not in existing:
                    break
                name = f"{self.rng.choice(STEMS)}{i}{self.rng.choice(SUFFIXES)}"
                if name not in names and name not in existing:
                    break
            names.add(name)
            rows.append(Subdistrict(name=name, district=DISTRICTS[i % len(DISTRICTS)]))
        return Subdistrict.objects.bulk_create(rows)

    def _people(self, number: int, subdistrict: Subdistrict):
        """Departments, one leader and one staff member per department."""
        departments = Department.objects.bulk_create(
            Department(subdistrict=subdistrict, name=name) for name, _words in DEPARTMENT_RULES
        )
        prefix = f"s{number:03d}"
        users = [User(username=f"{prefix}_leader", display_name=_name(self.rng))]
        users += [
            User(username=f"{prefix}_staff{j}", display_name=_name(self.rng))
            for j in range(1, len(departments) + 1)
        ]
        for user in users:
            user.password = self.password
            user.email = f"{user.username}@example.org"
        User.objects.bulk_create(users)
        memberships = [
            Membership(user=users[0], subdistrict=subdistrict, role=Membership.Role.LEADER)
        ]
        memberships += [
            Membership(user=u, subdistrict=subdistrict, role=Membership.Role.STAFF, department=d)
            for u, d in zip(users[1:], departments, strict=True)
        ]
        Membership.objects.bulk_create(memberships)
        self.counts.users += len(users)
        staff_of = {d.name: u for d, u in zip(departments, users[1:], strict=True)}
        return {d.name: d for d in departments}, staff_of

    # --- One plan ------------------------------------------------------------------------

    def _plan(self, plan: Plan, departments, staff_of) -> SimPlan:
        """A plan's tree from seed sections, its indicators and its simulated year."""
        tasks: list[Task] = []
        sims: list[SimTask] = []
        chosen = self.rng.sample(self.sections, k=min(len(self.sections), self.rng.randint(6, 8)))

        def add(node: ParsedNode, parent: int | None, order: int, department: str):
            above = tasks[parent] if parent is not None else None
            number = f"{CN_NUMBERS[order - 1]}、" if above is None and order <= 10 else node.number
            row = Task(
                plan=plan,
                number=number,
                title=node.title[:500],
                text=node.text,
                order=order,
                depth=0 if above is None else above.depth + 1,
                path=f"{above.path}.{order:04d}" if above else f"{order:04d}",
                theme=theme_for(node.title, node.text, above.theme if above else None),
                lead_department=departments[department],
                responsible_person=staff_of[department].display_name,
                created_at=plan.created_at,
            )
            index = len(tasks)
            tasks.append(row)
            sims.append(SimTask(key=index, parent_key=parent, theme=row.theme))
            for child_order, child in enumerate(node.children, start=1):
                add(child, index, child_order, department)

        for order, node in enumerate(chosen, start=1):
            add(node, None, order, department_for(node.title))
        indicators, sim_indicators = self._indicators(tasks, sims)
        simulation = PlanSimulation(
            year_start=plan.year_start,
            year_end=plan.year_end,
            tasks=sims,
            indicators=sim_indicators,
            rng=self.rng,
        )
        return SimPlan(plan, tasks, indicators, simulation, snapshots=[])

    def _indicators(self, tasks: list[Task], sims: list[SimTask]):
        """About 40 % of the leaf tasks get 1–3 indicators, from the seed documents' ones."""
        parents = {s.parent_key for s in sims}
        rows, states = [], []
        for index, task in enumerate(tasks):
            if index in parents or self.rng.random() >= 0.4:
                continue
            sentences = []
            for order in range(1, self.rng.randint(1, 3) + 1):
                base = self.rng.choice(self.indicator_pool)
                factor = Decimal(str(round(self.rng.uniform(0.5, 2.0), 2)))
                value = base.value * factor
                value = value.quantize(Decimal(1)) if base.value == int(base.value) else value
                value = max(value, Decimal(1)).normalize()
                # 等于 and 约 read as the bare number ("新增就业岗位1200个").
                word = (
                    ""
                    if base.comparator in (Comparator.EQ, Comparator.APPROX)
                    else COMPARATOR_LABELS[Comparator(base.comparator)]
                )
                sentence = f"全年{base.name}{word}{value:f}{base.unit}。"
                sentences.append(sentence)
                row = Indicator(
                    name=base.name[:255],
                    target_value=value,
                    unit=base.unit,
                    comparator=base.comparator,
                    source_text=sentence,
                    order=order,
                )
                row.task_index = index
                states.append(
                    SimIndicator(
                        len(rows), sims[index], row.name, row.unit, row.comparator, float(value)
                    )
                )
                rows.append(row)
            task.text = (task.text + "".join(sentences)).strip()
        return rows, states

    def _simulate(self, plan: SimPlan) -> None:
        """The plan's year, with a snapshot at the end of each week."""

        def snapshot(day: dt.date) -> None:
            numbers = plan.simulation.numbers(day)
            plan.snapshots.append(PlanSnapshot(plan=plan.row, date=day, **plan_totals(numbers)))

        plan.simulation.run(until=self.today, on_week=snapshot)
        for row, sim in zip(plan.tasks, plan.simulation.tasks, strict=True):
            row.percent, row.status = sim.percent, sim.status
            row.version, row.last_update_at = sim.version, sim.last_update_at

    # --- Writing -------------------------------------------------------------------------

    def _write_plans(self, plans: list[SimPlan], user_of_plan) -> None:
        """Insert the simulated plans' rows, parents before children."""
        progress_rows, theme_rows = self._rollups(plans)
        for plan in plans:
            for row, sim in zip(plan.tasks, plan.simulation.tasks, strict=True):
                if sim.parent_key is not None:
                    row.parent = plan.tasks[sim.parent_key]
        all_tasks = [t for p in plans for t in p.tasks]
        for depth in sorted({t.depth for t in all_tasks}):
            with dated_in_the_past(Task):
                Task.objects.bulk_create(
                    [t for t in all_tasks if t.depth == depth], batch_size=BATCH
                )
        for plan in plans:
            for row in plan.indicators:
                row.task = plan.tasks[row.task_index]
        indicators = [i for p in plans for i in p.indicators]
        Indicator.objects.bulk_create(indicators, batch_size=BATCH)

        updates, readings = [], []
        for plan in plans:
            user = user_of_plan[plan.row.pk]
            for row, sim in zip(plan.tasks, plan.simulation.tasks, strict=True):
                updates += [
                    TaskUpdate(task=row, user=user, created_at=when, changes=changes, note=note)
                    for when, changes, note in sim.updates
                ]
            for row, sim in zip(plan.indicators, plan.simulation.indicators, strict=True):
                readings += [
                    IndicatorReading(
                        indicator=row,
                        date=day,
                        value=Decimal(str(value)),
                        recorded_by=user,
                        created_at=_aware(day, 17),
                    )
                    for day, value in sim.readings
                ]
        with dated_in_the_past(TaskUpdate, IndicatorReading):
            TaskUpdate.objects.bulk_create(updates, batch_size=BATCH)
            IndicatorReading.objects.bulk_create(readings, batch_size=BATCH)
        snapshots = [s for p in plans for s in p.snapshots]
        PlanSnapshot.objects.bulk_create(snapshots, batch_size=BATCH)
        PlanProgress.objects.bulk_create(progress_rows, batch_size=BATCH)
        PlanThemeProgress.objects.bulk_create(theme_rows, batch_size=BATCH)
        self.counts.tasks += len(all_tasks)
        self.counts.indicators += len(indicators)
        self.counts.updates += len(updates)
        self.counts.readings += len(readings)
        self.counts.snapshots += len(snapshots)

    def _rollups(self, plans: list[SimPlan]) -> tuple[list[PlanProgress], list[PlanThemeProgress]]:
        """What plan_rollup would store today, set on the rows before they are written."""
        progress_rows, theme_rows = [], []
        for plan in plans:
            n = plan.simulation.numbers(self.today)
            for index, row in enumerate(plan.tasks):
                row.health = n.task_health[index].value
                row.is_overdue = n.task_overdue[index]
            for index, row in enumerate(plan.indicators):
                for field_name, value in indicator_rollup_values(
                    n.indicators[index], row.target_value
                ).items():
                    setattr(row, field_name, value)
            last_update = max(
                (t.last_update_at for t in plan.tasks if t.last_update_at), default=None
            )
            progress_rows.append(
                PlanProgress(
                    plan=plan.row,
                    **plan_totals(n),
                    last_update_at=last_update,
                    computed_at=timezone.now(),
                )
            )
            theme_rows.extend(theme_progress_rows(plan.row.pk, n))
        return progress_rows, theme_rows

    # --- The whole city ------------------------------------------------------------------

    def generate(self, *, subdistricts: int, years: int, batch: int = 10) -> CityCounts:
        year_list = list(range(self.today.year - years + 1, self.today.year + 1))
        # Numbers continue after the 街道 already there, so usernames stay unique when the
        # command runs again.
        self.number_base = Subdistrict.objects.count()
        with transaction.atomic():
            created = self._subdistricts(subdistricts)
        self.counts.subdistricts = len(created)
        for first in range(0, len(created), batch):
            with transaction.atomic():
                self._generate_batch(created[first : first + batch], first, year_list)
            self.log(
                f"  {min(first + batch, len(created))}/{len(created)} 个街道："
                f"{self.counts.tasks} 项任务，{self.counts.updates} 条更新，"
                f"{self.counts.readings} 条指标读数"
            )
        return self.counts

    def _generate_batch(self, subdistricts, offset: int, year_list: list[int]) -> None:
        plans, user_of_plan, people = [], {}, []
        for k, subdistrict in enumerate(subdistricts):
            people.append(self._people(self.number_base + offset + k + 1, subdistrict))
        plan_rows = []
        for subdistrict in subdistricts:
            for year in year_list:
                key = f"synthetic:{self.seed}:{subdistrict.name}:{year}"
                plan_rows.append(
                    Plan(
                        subdistrict=subdistrict,
                        title=f"{subdistrict.name}{year}年工作要点",
                        kind=Plan.Kind.WORK_POINTS,
                        year_start=year,
                        year_end=year,
                        source_name="generate_city",
                        content_hash=hashlib.sha256(key.encode()).hexdigest(),
                        created_at=_aware(dt.date(year, 1, 1), 9),
                    )
                )
        with dated_in_the_past(Plan):
            Plan.objects.bulk_create(plan_rows)
        self.counts.plans += len(plan_rows)
        for index, row in enumerate(plan_rows):
            departments, staff_of = people[index // len(year_list)]
            plan = self._plan(row, departments, staff_of)
            self._simulate(plan)
            user_of_plan[row.pk] = next(iter(staff_of.values()))
            plans.append(plan)
        self._write_plans(plans, user_of_plan)
