"""Two confirms of one draft at the same moment (a double click, two tabs) import once:
the second waits on the draft's row lock and then finds it confirmed."""

import threading

from django.db import connection, connections

from apps.imports import services
from apps.plans.models import Plan, Task
from tests.imports.conftest import SAMPLE


def _in_thread(target, errors):
    def run():
        try:
            target()
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_simultaneous_confirms_import_the_plan_once(transactional_db, ada):
    draft = services.draft_create(user=ada, filename="a.txt", content=SAMPLE.encode())
    start, errors = threading.Barrier(2), []

    def confirm():
        start.wait(10)
        services.draft_confirm(draft_id=draft.pk, user=ada)

    threads = [_in_thread(confirm, errors) for _ in range(2)]
    for thread in threads:
        thread.join(30)

    if connection.vendor == "sqlite":
        # The in-memory test database shares one cache between threads, where a writer
        # that finds the table locked fails at once instead of waiting (a file database
        # in IMMEDIATE mode waits). The loser then imports nothing, which is the point.
        assert all("locked" in str(exc) for exc in errors) and len(errors) <= 1
    else:
        assert errors == []
    assert Plan.objects.count() == 1
    assert Task.objects.count() == 5
