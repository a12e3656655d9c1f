import importlib.util
from pathlib import Path

import pytest

FIXTURE_DOCUMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "documents"


def pytest_collection_modifyitems(config, items):
    # The parser is written alongside the loader; until apps/importer/parser.py exists the
    # tests that need it are skipped rather than failing on an ImportError.
    if importlib.util.find_spec("apps.importer.parser") is not None:
        return
    skip = pytest.mark.skip(reason="apps.importer.parser does not exist yet")
    for item in items:
        if "needs_parser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def fixture_documents() -> Path:
    return FIXTURE_DOCUMENTS
