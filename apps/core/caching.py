"""Keeping what a page drew until the data it was drawn from changes."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

T = TypeVar("T")

# The drawings this process holds as objects, besides the shared cache: a hit there costs
# unpickling them (a 215-row overview: 2.7 ms, the largest part of a repeat load).
LOCAL_ENTRIES = 64
_local: OrderedDict[str, tuple[str, float, Any]] = OrderedDict()
_local_lock = threading.Lock()


def drawn(key: str, stamp: str, draw: Callable[[], T], *, seconds: int) -> T:
    """What `draw()` returns, kept in the cache under `key` with the `stamp` it was drawn
    at, and drawn again when the caller's stamp differs (or after `seconds`).

    Why a stamp beside the value rather than in the key: one entry per key however often
    the data changes, so the cache holds one drawing per page variant, and a stale one is
    never returned. The stamp is the caller's: a value read cheaply from the data that
    changes whenever the drawing would (e.g. the dashboards' `rollup_stamp`).

    The last `LOCAL_ENTRIES` drawings are also kept in this process as they are, checked
    against the stamp in the same way; callers must not change what they get."""
    now = time.monotonic()
    with _local_lock:
        local = _local.get(key)
        if local is not None and local[0] == stamp and local[1] > now:
            _local.move_to_end(key)
            return local[2]
    found = cache.get(key)
    if found is not None and found[0] == stamp:
        value = found[1]
    else:
        value = draw()
        cache.set(key, (stamp, value), seconds)
    with _local_lock:
        _local[key] = (stamp, now + seconds, value)
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
    return value


def drawn_forget() -> None:
    """Forget what this process holds (the shared cache is cleared with `cache.clear()`)."""
    with _local_lock:
        _local.clear()
