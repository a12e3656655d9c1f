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
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Membership, User
from apps.core.demo import DEPARTMENT_RULES, _department_for, demo_password
from apps.core.synthetic import (
    NOTES,
    dated_in_the_past,
    simulated_percent,
    simulated_value,
)
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
from apps.plans.rules import progress
from apps.plans.rules.rollup import (
    IndicatorState,
    PlanNumbers,
    TaskState,
    indicator_rollup_values,
    plan_numbers,
    plan_totals,
)
from apps.plans.rules.themes import theme_for
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
ACTIVE_SHARE = 0.25
WEEK = dt.timedelta(days=7)
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
class SimTask:
    """A task as simulated before it is written; `index` stands in for its id."""

    row: Task
    index: int
    parent: SimTask | None
    children: list[SimTask] = field(default_factory=list)
    pace: float = 1.0
    delay: float = 0.0
    active: bool = False
    events: list[tuple[dt.datetime, int, int, str, str]] = field(default_factory=list)


@dataclass
class SimIndicator:
    row: Indicator
    task: SimTask
    index: int
    pace: float
    readings: list[tuple[dt.date, float]] = field(default_factory=list)


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

    def _tree(self, plan: Plan, departments, staff_of) -> list[SimTask]:
        tasks: list[SimTask] = []
        chosen = self.rng.sample(self.sections, k=min(len(self.sections), self.rng.randint(6, 8)))

        def add(node: ParsedNode, parent: SimTask | None, order: int, department: str):
            number = f"{CN_NUMBERS[order - 1]}、" if parent is None and order <= 10 else node.number
            path = f"{parent.row.path}.{order:04d}" if parent else f"{order:04d}"
            row = Task(
                plan=plan,
                number=number,
                title=node.title[:500],
                text=node.text,
                order=order,
                depth=0 if parent is None else parent.row.depth + 1,
                path=path,
                theme=theme_for(node.title, node.text, parent.row.theme if parent else None),
                lead_department=departments[department],
                responsible_person=staff_of[department].display_name,
            )
            sim = SimTask(row=row, index=len(tasks), parent=parent)
            tasks.append(sim)
            if parent:
                parent.children.append(sim)
            for child_order, child in enumerate(node.children, start=1):
                add(child, sim, child_order, department)

        for order, node in enumerate(chosen, start=1):
            add(node, None, order, _department_for(node.title))
        for sim in tasks:
            if not sim.children:
                sim.pace = self.rng.uniform(0.7, 1.35)
                sim.delay = self.rng.uniform(0.0, 0.15)
                sim.active = self.rng.random() < ACTIVE_SHARE
        return tasks

    def _indicators(self, tasks: list[SimTask]) -> list[SimIndicator]:
        indicators = []
        for sim in tasks:
            if sim.children or self.rng.random() >= 0.4:
                continue
            sentences = []
            for order in range(1, self.rng.randint(1, 3) + 1):
                base = self.rng.choice(self.indicator_pool)
                factor = Decimal(str(round(self.rng.uniform(0.5, 2.0), 2)))
                value = base.value * factor
                value = value.quantize(Decimal(1)) if base.value == int(base.value) else value
                value = max(value, Decimal(1)).normalize()
                comparator_text = {"gte": "不少于", "lte": "不超过", "gt": "超过", "lt": "低于"}
                sentence = f"全年{base.name}{comparator_text.get(base.comparator, '')}{value:f}{base.unit}。"
                sentences.append(sentence)
                row = Indicator(
                    name=base.name[:255],
                    target_value=value,
                    unit=base.unit,
                    comparator=base.comparator,
                    source_text=sentence,
                    order=order,
                )
                indicators.append(
                    SimIndicator(row, sim, len(indicators), self.rng.uniform(0.55, 1.15))
                )
            sim.row.text = (sim.row.text + "".join(sentences)).strip()
        return indicators

    def _simulate(self, plan: Plan, tasks, indicators, user) -> list[PlanSnapshot]:
        """Walk the plan's year week by week: leaves move at their pace, parents follow by
        the roll-up rule, readings every four weeks, a snapshot at each week's end."""
        start, end = progress.plan_period(plan.year_start, plan.year_end)
        last = min(end, self.today - dt.timedelta(days=1))
        snapshots = []
        week, day = 0, start + WEEK
        bottom_up = sorted(tasks, key=lambda t: -t.row.depth)
        while day <= last:
            week += 1
            when = _aware(day, 9 + week % 9)
            for sim in tasks:
                if sim.children or not (sim.active or week % 4 == 0):
                    continue
                t_start, t_end = progress.task_period(plan.year_start, plan.year_end, None)
                share = progress.elapsed_share(t_start, t_end, day) - sim.delay
                percent = simulated_percent(sim.row.percent, sim.pace, share)
                if percent != sim.row.percent:
                    status = Task.Status.DONE if percent == 100 else Task.Status.IN_PROGRESS
                    sim.events.append((when, sim.row.percent, percent, sim.row.status, status))
                    sim.row.percent, sim.row.status = percent, status
            for sim in bottom_up:
                if not sim.children:
                    continue
                sim.row.percent, sim.row.status = progress.parent_progress(
                    [(c.row.percent, c.row.status) for c in sim.children], sim.row.status
                )
            if week % 4 == 0:
                for ind in indicators:
                    share = progress.elapsed_share(start, end, day)
                    value = simulated_value(ind.row, pace=ind.pace, share=share, rng=self.rng)
                    ind.readings.append((day, round(value, 2)))
            numbers = self._numbers(plan, tasks, indicators, day)
            snapshots.append(self._snapshot(plan, day, numbers))
            day += WEEK
        for sim in tasks:
            sim.row.version = 1 + len(sim.events)
            sim.row.last_update_at = sim.events[-1][0] if sim.events else None
        return snapshots

    def _numbers(self, plan, tasks, indicators, day) -> PlanNumbers:
        states = [
            TaskState(
                t.index,
                t.parent.index if t.parent else None,
                t.row.status,
                t.row.percent,
                None,
                t.row.theme,
            )
            for t in tasks
        ]
        ind_states = [
            IndicatorState(
                i.index,
                i.task.index,
                i.row.name,
                i.row.unit,
                i.row.comparator,
                float(i.row.target_value),
                list(i.readings),
            )
            for i in indicators
        ]
        return plan_numbers(
            year_start=plan.year_start,
            year_end=plan.year_end,
            tasks=states,
            indicators=ind_states,
            today=day,
        )

    @staticmethod
    def _snapshot(plan, day, n: PlanNumbers) -> PlanSnapshot:
        return PlanSnapshot(plan=plan, date=day, **plan_totals(n))

    # --- Writing -------------------------------------------------------------------------

    def _write_plans(self, plans_data, user_of_plan) -> None:
        """Insert the simulated plans' rows, parents before children."""
        progress_rows, theme_rows = self._rollups(plans_data)
        all_tasks = [t for _p, tasks, _i, _s in plans_data for t in tasks]
        for depth in sorted({t.row.depth for t in all_tasks}):
            level = [t for t in all_tasks if t.row.depth == depth]
            for t in level:
                if t.parent:
                    t.row.parent = t.parent.row
            with dated_in_the_past(Task):
                Task.objects.bulk_create([t.row for t in level], batch_size=BATCH)
        indicators = [i for _p, _t, inds, _s in plans_data for i in inds]
        for i in indicators:
            i.row.task = i.task.row
        Indicator.objects.bulk_create([i.row for i in indicators], batch_size=BATCH)

        updates, readings = [], []
        for plan, tasks, inds, _s in plans_data:
            user = user_of_plan[plan.pk]
            for t in tasks:
                for when, old_p, new_p, old_s, new_s in t.events:
                    changes = [
                        {
                            "field": "percent",
                            "label": "完成百分比",
                            "old": f"{old_p}%",
                            "new": f"{new_p}%",
                        }
                    ]
                    if old_s != new_s:
                        changes.append(
                            {
                                "field": "status",
                                "label": "状态",
                                "old": Task.Status(old_s).label,
                                "new": Task.Status(new_s).label,
                            }
                        )
                    note = NOTES[(t.index + len(updates)) % len(NOTES)]
                    updates.append(
                        TaskUpdate(
                            task=t.row, user=user, created_at=when, changes=changes, note=note
                        )
                    )
            for i in inds:
                for day, value in i.readings:
                    readings.append(
                        IndicatorReading(
                            indicator=i.row,
                            date=day,
                            value=Decimal(str(value)),
                            recorded_by=user,
                            created_at=_aware(day, 17),
                        )
                    )
        with dated_in_the_past(TaskUpdate, IndicatorReading):
            TaskUpdate.objects.bulk_create(updates, batch_size=BATCH)
            IndicatorReading.objects.bulk_create(readings, batch_size=BATCH)
        snapshots = [s for _p, _t, _i, snaps in plans_data for s in snaps]
        PlanSnapshot.objects.bulk_create(snapshots, batch_size=BATCH)
        PlanProgress.objects.bulk_create(progress_rows, batch_size=BATCH)
        PlanThemeProgress.objects.bulk_create(theme_rows, batch_size=BATCH)
        self.counts.tasks += len(all_tasks)
        self.counts.indicators += len(indicators)
        self.counts.updates += len(updates)
        self.counts.readings += len(readings)
        self.counts.snapshots += len(snapshots)

    def _rollups(self, plans_data) -> tuple[list[PlanProgress], list[PlanThemeProgress]]:
        """What plan_rollup would store today, set on the rows before they are written."""
        progress_rows, theme_rows = [], []
        for plan, tasks, inds, _s in plans_data:
            n = self._numbers(plan, tasks, inds, self.today)
            for t in tasks:
                t.row.health = n.task_health[t.index].value
                t.row.is_overdue = n.task_overdue[t.index]
            for i in inds:
                values = indicator_rollup_values(n.indicators[i.index], i.row.target_value)
                for field_name, value in values.items():
                    setattr(i.row, field_name, value)
            last_update = max(
                (t.row.last_update_at for t in tasks if t.row.last_update_at), default=None
            )
            progress_rows.append(
                PlanProgress(
                    plan=plan,
                    **plan_totals(n),
                    last_update_at=last_update,
                    computed_at=timezone.now(),
                )
            )
            theme_rows.extend(theme_progress_rows(plan.pk, n))
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
        plans_data, user_of_plan, people = [], {}, []
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
        for index, plan in enumerate(plan_rows):
            departments, staff_of = people[index // len(year_list)]
            tasks = self._tree(plan, departments, staff_of)
            inds = self._indicators(tasks)
            user = next(iter(staff_of.values()))
            for t in tasks:
                t.row.created_at = plan.created_at
            snapshots = self._simulate(plan, tasks, inds, user)
            user_of_plan[plan.pk] = user
            plans_data.append((plan, tasks, inds, snapshots))
        self._write_plans(plans_data, user_of_plan)


def city_viewer_create(username: str = "city_viewer") -> User:
    """A viewer of every 街道, the benchmark's (and a demo's) city-level login."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": "市级查看（模拟数据）"}
    )
    if created:
        user.set_password(demo_password())
        user.save()
    existing = set(Membership.objects.filter(user=user).values_list("subdistrict_id", flat=True))
    Membership.objects.bulk_create(
        Membership(user=user, subdistrict_id=pk, role=Membership.Role.VIEWER)
        for pk in Subdistrict.objects.exclude(pk__in=existing).values_list("pk", flat=True)
    )
    return user
