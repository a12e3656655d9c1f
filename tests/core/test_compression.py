"""Pages go out gzipped to browsers that ask for it (issue 15); see docs/architecture.md,
"Compressed pages", for why that is safe from BREACH here."""

import gzip

import pytest

pytestmark = pytest.mark.django_db


def test_a_page_is_sent_gzipped_to_a_browser_that_accepts_it(client, dora, task_a):
    client.force_login(dora)

    response = client.get("/tasks/", headers={"accept-encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert "加强招商引资谋篇布局" in gzip.decompress(response.content).decode()


def test_a_page_is_sent_plain_to_a_client_that_does_not_ask(client, dora, task_a):
    client.force_login(dora)

    response = client.get("/tasks/")

    assert not response.has_header("Content-Encoding")
