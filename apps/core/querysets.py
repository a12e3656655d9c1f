"""Row scoping: the one queryset every scoped model uses.

What a user may see is a set of units (街道, 镇…), read once per request by
`User.subdistrict_ids()` (apps/accounts/models.py) and cached on the user. Core knows
only that method, not the accounts app, so that it stays the ground floor.
"""

from __future__ import annotations

from django.db import models


def subdistrict_ids_of(user) -> set[int] | None:
    """The ids of the units `user` may see; None means every unit. Anonymous users (and
    a missing user) see none."""
    method = getattr(user, "subdistrict_ids", None)
    if method is None or not getattr(user, "is_authenticated", False):
        return set()
    return method()


# Up to this many units, a scope is written into the SQL as its ids.
INLINE_IDS_MAX = 20


class ScopedQuerySet(models.QuerySet):
    """Rows narrowed to the units a user may see; `subdistrict_lookup` names the path
    from the row to its unit (Subdistrict, Department, Plan, Task and Indicator set it)."""

    subdistrict_lookup = "subdistrict_id"

    def for_user(self, user):
        ids = subdistrict_ids_of(user)
        if ids is None:
            return self
        # A user who sees many units (a city's viewer: 215) is scoped by a subquery the user
        # provides (their memberships), not by the ids themselves: every scoped query of a
        # page would otherwise be built, sent and parsed with hundreds of parameters.
        scope = getattr(user, "subdistrict_scope", None)
        if len(ids) > INLINE_IDS_MAX and scope is not None:
            ids = scope()
        return self.filter(**{f"{self.subdistrict_lookup}__in": ids})
