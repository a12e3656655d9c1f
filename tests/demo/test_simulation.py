"""The one simulator: plausible, deterministic, and never contradictory."""

import datetime as dt
import random

from apps.demo.services.simulation import PlanSimulation, SimIndicator, SimTask, simulated_value
from apps.plans.rules.progress import target_met


def _simulation(seed=1):
    tasks = [SimTask(0, None), SimTask(1, 0), SimTask(2, 0), SimTask(3, None), SimTask(4, 3)]
    indicators = [
        SimIndicator(0, tasks[1], "新增就业岗位", "个", "gte", 1200),
        SimIndicator(1, tasks[2], "失业率", "%", "lt", 4),
        SimIndicator(2, tasks[4], "安全检查", "家次", "gt", 100),
        SimIndicator(3, tasks[4], "垃圾分类达标率", "%", "gte", 95),
    ]
    simulation = PlanSimulation(
        year_start=2025, year_end=2025, tasks=tasks, indicators=indicators, rng=random.Random(seed)
    )
    simulation.run(until=dt.date(2026, 1, 1))
    return simulation


def test_a_task_is_done_only_at_100_percent_and_then_its_indicators_are_met():
    simulation = _simulation()

    for task in simulation.tasks:
        assert (task.status == "done") == (task.percent == 100) or task.children
        assert not (task.children and task.status == "not_started" and task.percent > 0)
    for indicator in simulation.indicators:
        if indicator.task.status == "done":
            _day, value = indicator.readings[-1]
            assert target_met(value, indicator.target, indicator.comparator), indicator.name


def test_every_update_is_on_the_timeline_with_its_status_and_percent():
    simulation = _simulation()

    for task in simulation.leaves:
        assert len(task.updates) == sum(by_person for *_s, by_person in task.states)
        for _when, changes, note in task.updates:
            assert {c["field"] for c in changes} <= {"status", "percent"}
            assert note


def test_one_seed_gives_one_history():
    first, second = _simulation(seed=3), _simulation(seed=3)

    assert [t.states for t in first.tasks] == [t.states for t in second.tasks]
    assert [i.readings for i in first.indicators] == [i.readings for i in second.indicators]


def test_a_count_of_a_few_whole_things_is_reported_in_whole_numbers():
    task = SimTask(0, None)
    carports = SimIndicator(0, task, "非机动车棚改造", "个", "eq", 3)
    rng = random.Random(7)

    values = [
        simulated_value(carports, share=share / 10, done=False, rng=rng) for share in range(11)
    ]

    assert all(value == int(value) for value in values), values
    assert values[-1] == 3
