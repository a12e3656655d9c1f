"""The import jobs run eagerly here (the real-worker path is covered in tests/plans)."""

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone

from apps.imports import jobs, services
from apps.imports.models import ImportDraft

pytestmark = pytest.mark.django_db


def test_a_slow_upload_is_parsed_by_the_job(ada, sample, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(services, "PARSE_INLINE_MAX_BYTES", 10),
        mock.patch.object(jobs.draft_parse, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        draft = services.draft_create(user=ada, filename="a.txt", content=sample.encode())

    delay.assert_called_once_with(draft.pk)
    # Run it the way a worker does, twice to show it is safe to repeat.
    assert jobs.draft_parse.run(draft.pk) == {"draft_id": draft.pk, "status": "ready"}
    assert jobs.draft_parse.run(draft.pk) == {"draft_id": draft.pk, "status": "ready"}
    draft.refresh_from_db()
    assert draft.data["plans"][0]["title"] == "新港镇2026年工作要点"


def test_the_expiry_job_deletes_stale_drafts(draft_a):
    ImportDraft.objects.update(updated_at=timezone.now() - dt.timedelta(days=40))

    assert jobs.drafts_expire.run() == 1
    assert not ImportDraft.objects.exists()


def test_beat_runs_the_expiry_every_day():
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("drafts_expire")
    )
    assert entry["task"] == "apps.imports.jobs.drafts_expire"
