"""Who may import where: the one rule the draft queryset, the selectors and the services read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.accounts.models import Membership

if TYPE_CHECKING:
    from apps.accounts.models import User


def import_subdistrict_ids(user: User) -> set[int] | None:
    """The units a user may import into: those where they are 管理员; None means any unit,
    including new ones (superusers)."""
    if getattr(user, "is_superuser", False):
        return None
    return {m.subdistrict_id for m in user.membership_list if m.role == Membership.Role.ADMIN}
