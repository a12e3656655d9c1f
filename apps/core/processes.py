"""Running one function over many items in worker processes, each with its own database
connection: for bulk work (a folder of documents to import) whose items are independent
transactions.

Why processes: importing one document spends most of its time waiting on PostgreSQL (its
statements, then the commit's flush to disk) with the other core idle; two processes on
two cores import a folder about twice as fast (bench/bulk_import.py --jobs). Threads would
share the interpreter's lock for the Python half of the work.

Why fork, and what each worker does first: the workers inherit the configured Django
(settings, apps, the parsed input) without setting it up again, but a database connection
inherited across fork would be one socket used by two processes. So each worker sets
aside every connection it inherits, untouched (`_worker_start`), opens its own on first use
and closes it when it exits; this process keeps its own.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from django.db import connections

Item = TypeVar("Item")
Result = TypeVar("Result")


def in_processes(
    function: Callable[..., Result],
    items: Iterable[Item],
    *,
    jobs: int,
    args: tuple = (),
) -> Iterator[Result]:
    """`function(item, *args)` for each item, in the order of `items`. With `jobs` > 1
    and a database that takes several writers at once (PostgreSQL), in `jobs` worker
    processes; otherwise here, one after the other (SQLite lets one writer in at a time,
    and its in-memory test databases are not visible to another process).

    `function` must be a module-level function and its results picklable. An exception
    raised by `function` is raised here, at its item; the items no worker has started by
    then are not done, as one after the other nothing after the error would be (those
    already running finish)."""
    items = list(items)
    if jobs <= 1 or len(items) <= 1 or not _several_writers():
        for item in items:
            yield function(item, *args)
        return
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(items)),
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_start,
    )
    futures = [pool.submit(function, item, *args) for item in items]
    try:
        for future in futures:
            yield future.result()
    finally:
        # Also when the caller stops reading: nothing is left running behind its back.
        pool.shutdown(wait=True, cancel_futures=True)


def _several_writers() -> bool:
    return all(connections[alias].vendor == "postgresql" for alias in connections)


# Connections a worker found open when it started, kept referenced until it exits.
_inherited: list = []


def _worker_start() -> None:
    """A worker's first step: set aside every connection it inherited, so that it opens
    its own.

    Here, not by closing the parent's connections before the fork: the parent can hold
    connections its caller does not see, which the worker then finds as its own. Django
    keeps connections per async context while an event loop runs in the thread
    (asgiref's Local); with Playwright's loop running in the test process, a `close_all()`
    before the fork missed the thread's other connection, and both workers shared that
    one session (one INSERT's RETURNING read by the other worker, then "server closed the
    connection"). Closing an inherited connection would end the parent's session too (the
    socket is the same), so the wrapper is dropped without closing it and its connection
    kept referenced, never freed, until the worker exits."""
    for wrapper in connections.all(initialized_only=True):
        _inherited.append(wrapper.connection)
        del connections[wrapper.alias]
    # Run when the worker exits normally (multiprocessing's exit hooks, not atexit, which
    # a worker process skips): the server then sees a closed session, not a dropped one.
    multiprocessing.util.Finalize(None, connections.close_all, exitpriority=10)
