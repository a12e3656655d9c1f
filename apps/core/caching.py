"""Keeping what a page drew until the data it was drawn from changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")


def drawn(key: str, stamp: str, draw: Callable[[], T], *, seconds: int) -> T:
    """What `draw()` returns, kept in the cache under `key` with the `stamp` it was drawn
    at, and drawn again when the caller's stamp differs (or after `seconds`).

    Why a stamp beside the value rather than in the key: one entry per key however often
    the data changes, so the cache holds one drawing per page variant, and a stale one is
    never returned. The stamp is the caller's: a value read cheaply from the data that
    changes whenever the drawing would (e.g. the dashboards' `rollup_stamp`)."""
    found = cache.get(key)
    if found is not None and found[0] == stamp:
        return found[1]
    value = draw()
    cache.set(key, (stamp, value), seconds)
    return value
