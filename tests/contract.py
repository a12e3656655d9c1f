"""The five checks every view gets, from one helper (after netbox's ViewTestCases):

1. it works for a member of the unit the object belongs to;
2. an anonymous visitor is sent to the login page;
3. another unit's member gets 404 for the object (or, on a list, does not see it);
4. a read-only user's write is refused with 403 (a page without a write answers 405);
5. the number of queries is pinned.

A view is registered as a `ViewCase` in tests/test_view_contract.py, and a test there
fails when a URL of the project has no case, so a new view cannot skip the checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

# Who is who in the checks (tests/conftest.py): a member of unit A who may do what the
# view does, another unit's member, and the read-only viewer of A and B.
OTHER_UNIT = "charlie"
READ_ONLY = "dora"


@dataclass
class ViewCase:
    """One view under the contract.

    `url` builds the path from the world (a dict of the objects the contract fixture made).
    `owner` is the persona for whom it works. `scoped`: True when the URL names one
    object (another unit's member gets 404); False for a list, where `marker` (text of
    unit A's data) must not appear for another unit's member. `read_only_post` is what a
    POST by the viewer answers: 403 for a write, 405 for a page that has no write.
    `queries` is the pinned count for the owner's request.
    """

    name: str
    url: Callable[[dict], str]
    owner: str
    queries: int
    method: str = "get"
    data: Callable[[dict], dict] = field(default=lambda world: {})
    status: int = 200
    scoped: bool = True
    marker: Callable[[dict], str] | None = None
    read_only_post: int = 405
    # Why a viewer may POST here, for the one view where that is by design.
    read_only_post_reason: str = ""
    # The other unit's persona: a member of unit B who could use the view for their own unit
    # (for the import pages, B's 管理员; elsewhere B's staff).
    other_unit: str = OTHER_UNIT

    def __str__(self) -> str:
        return self.name


def _request(client: Client, case: ViewCase, world: dict):
    method = getattr(client, case.method)
    if case.method == "post":
        return method(case.url(world), case.data(world))
    return method(case.url(world))


def check_it_works(client: Client, case: ViewCase, world: dict) -> None:
    client.force_login(world[case.owner])
    response = _request(client, case, world)
    assert response.status_code == case.status, (case.name, response.status_code)


def check_anonymous_is_sent_to_login(client: Client, case: ViewCase, world: dict) -> None:
    response = _request(client, case, world)
    assert response.status_code == 302, case.name
    assert response["Location"].startswith(reverse(settings.LOGIN_URL)), case.name


def check_another_unit_cannot_see_it(client: Client, case: ViewCase, world: dict) -> None:
    client.force_login(world[case.other_unit])
    response = _request(client, case, world)
    if case.scoped:
        assert response.status_code == 404, case.name
        return
    assert response.status_code in (200, 302), case.name
    if case.marker is not None:
        assert case.marker(world) not in response.content.decode(), case.name


def check_a_read_only_write_is_refused(client: Client, case: ViewCase, world: dict) -> None:
    client.force_login(world[READ_ONLY])
    response = client.post(case.url(world), case.data(world))
    assert response.status_code == case.read_only_post, (case.name, response.status_code)
    if case.read_only_post not in (403, 405):
        assert case.read_only_post_reason, f"{case.name}: say why a viewer may POST here"


def check_the_query_count(client: Client, case: ViewCase, world: dict) -> None:
    client.force_login(world[case.owner])
    with CaptureQueriesContext(connection) as queries:
        _request(client, case, world)
    sql = [q["sql"][:120] for q in queries]
    assert len(queries) == case.queries, (case.name, len(queries), sql)


CHECKS: dict[str, Callable[[Client, ViewCase, dict], Any]] = {
    "works": check_it_works,
    "anonymous": check_anonymous_is_sent_to_login,
    "other_unit": check_another_unit_cannot_see_it,
    "read_only_write": check_a_read_only_write_is_refused,
    "queries": check_the_query_count,
}
