"""Model choices from a plain vocabulary table (code enum -> Chinese label)."""

from __future__ import annotations

from enum import StrEnum

from django.db import models


def text_choices(name: str, labels: dict[StrEnum, str]) -> type[models.TextChoices]:
    """A `TextChoices` class with the table's members, codes and labels, so that a model
    says `class Task: Status = text_choices("Status", STATUS_LABELS)` and keeps
    `Task.Status.DONE`, `.label` and `.choices` without writing the labels a second time."""
    return models.TextChoices(
        name, [(code.name, (code.value, text)) for code, text in labels.items()]
    )
