"""apps/core/processes.py: work spread over worker processes (PostgreSQL), or done here
one item after the other (SQLite)."""

import time

import pytest

from apps.core.processes import in_processes
from apps.subdistricts.models import Subdistrict

pytestmark = pytest.mark.django_db(transaction=True)


def _unit_create(name: str, district: str) -> int:
    return Subdistrict.objects.create(name=name, district=district).pk


def _unit_create_or_fail(name: str) -> int:
    if name == "坏":
        raise ValueError(name)
    time.sleep(0.1)
    return Subdistrict.objects.create(name=name).pk


def test_each_item_is_done_once_and_its_result_comes_back_in_order():
    names = [f"{n}号街道" for n in range(6)]

    ids = list(in_processes(_unit_create, names, jobs=3, args=("浦东新区",)))

    units = Subdistrict.objects.in_bulk(ids)
    assert [units[pk].name for pk in ids] == names
    assert {u.district for u in units.values()} == {"浦东新区"}
    # This process still reads through its own connection.
    assert Subdistrict.objects.count() == 6


def test_an_error_of_one_item_is_raised_at_that_item_and_the_items_not_started_are_not_done():
    names = ["甲", "坏", *(f"{n}号街道" for n in range(28))]
    results = in_processes(_unit_create_or_fail, names, jobs=2)

    assert isinstance(next(results), int)
    with pytest.raises(ValueError, match="坏"):
        next(results)

    # Only the few items already handed to the two workers were done besides 甲.
    assert Subdistrict.objects.count() < 15
