"""Names as documents write them, matched to units and departments.

Plain Python (no Django), so the rules are tested on strings. The importer uses both: a
unit that an import creates gets its level from its name, and a task's 牵头单位 is linked
to one of the unit's departments only when the name clearly is that department.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process, utils

# Below this a name is too different to be the same department: at 85 two names of three
# or four characters must be equal, while "街道党政办" still finds "党政办" (90).
DEPARTMENT_SCORE_CUTOFF = 85

# Units whose names end in 区 without being a district: zones, parks, communities.
_ZONE_SUFFIXES = (
    "工业区",
    "开发区",
    "园区",
    "保税区",
    "度假区",
    "示范区",
    "合作区",
    "试验区",
    "功能区",
    "风景区",
    "景区",
    "社区",
)


def unit_level_from_name(name: str) -> str:
    """The level (one of `Subdistrict.Level`'s values) a unit's name implies by its suffix:
    …街道 → 街道, …镇 → 镇, …乡 → 乡, …区/县/市 → 区县, anything else (嘉定工业区, 张江科学城) → 其他.
    """
    name = name.strip()
    if name.endswith("街道"):
        return "街道"
    if name.endswith("镇"):
        return "镇"
    if name.endswith("乡"):
        return "乡"
    if name.endswith(_ZONE_SUFFIXES):
        return "其他"
    if name.endswith(("区", "县", "市")):
        return "区县"
    return "其他"


def lead_first(lead: str) -> str:
    """The first of several leads joined with 、 ("党政办、管理办" → "党政办"): the one that
    leads, the others share the work."""
    return lead.split("、", 1)[0].strip()


def department_match(name: str, candidates: Iterable[str]) -> str | None:
    """The department among `candidates` that the lead `name` names, or None.

    Only the first lead counts when several are joined with 、. An exact name wins; else
    the best fuzzy match (rapidfuzz WRatio, which also scores a name inside a longer one, as
    "社区管理办" or "街道党政办" against "管理办" or "党政办") at `DEPARTMENT_SCORE_CUTOFF`
    or above. Two candidates scoring the same best are ambiguous and give None: a wrong
    link would send a task to the wrong people, a missing one only shows the text.
    """
    name = lead_first(name)
    choices = list(dict.fromkeys(c for c in candidates if c and c.strip()))
    if not name or not choices:
        return None
    for candidate in choices:
        if candidate.strip() == name:
            return candidate
    best = process.extract(
        name,
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        score_cutoff=DEPARTMENT_SCORE_CUTOFF,
        limit=2,
    )
    if not best or (len(best) == 2 and best[0][1] == best[1][1]):
        return None
    return best[0][0]
