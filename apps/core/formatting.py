"""How numbers and texts are written on pages, in exports and in the timeline."""

from __future__ import annotations

from decimal import Decimal


def plain_number(value) -> str:
    """A stored decimal as people write it: 1200.0000 -> "1200", 4.6000 -> "4.6"."""
    return f"{Decimal(str(value)).normalize():f}"
