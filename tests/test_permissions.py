"""Every route × every persona (issue 14): anonymous, staff, another unit's staff, leader,
viewer and the unit's admin. The routes come from the contract's cases, which a test keeps
in step with the URL patterns, so a view is covered here the day it is added.

Rules: an anonymous visitor is sent to the login page; another unit's member gets 404 for
unit A's objects; the viewer's POST is refused (or is the one reasoned exception); nobody
ever gets a 500.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.contract import READ_ONLY
from tests.test_view_contract import CASES, world  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

PERSONAS = [None, "alice", "charlie", "bob", "dora", "ada"]
ALLOWED = {200, 302, 403, 404, 405, 409}


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p or "anonymous")
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_route_answers_every_persona_within_the_rules(client, world, case, persona):  # noqa: F811
    if persona is not None:
        client.force_login(world[persona])
    url = case.url(world)
    method = getattr(client, case.method)
    response = method(url, case.data(world)) if case.method == "post" else method(url)

    if persona is None:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))
        return
    assert response.status_code in ALLOWED, (case.name, persona, response.status_code)
    if persona == case.other_unit and case.scoped:
        assert response.status_code == 404
    if persona == READ_ONLY and case.method == "post":
        assert response.status_code == case.read_only_post
