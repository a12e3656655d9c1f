"""How the pages name a unit that may be a 街道, a 镇, a 乡 or another level.

One wording for every column, filter, chart and export that lists units of mixed levels,
so that two pages never name them differently; a page about a single unit names it by its
own level (`Subdistrict.get_level_display`) instead. Plain Python, so that the charts,
which import no Django models, use it too.
"""

UNIT_LABEL = "街道（镇）"
