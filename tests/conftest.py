import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DOCUMENTS = ROOT / "fixtures" / "documents"


def _git_status() -> set[str] | None:
    """`git status --porcelain` as a set of lines, or None outside a git checkout."""
    if shutil.which("git") is None:
        return None
    result = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return set(result.stdout.splitlines()) if result.returncode == 0 else None


def pytest_sessionstart(session):
    session.config.stash[GIT_STATUS] = _git_status()


def pytest_sessionfinish(session, exitstatus):
    """Tests never write tracked files (or new unignored ones): screenshots, reports and
    exports go to temporary folders or ignored paths. A run that changed `git status`
    fails, naming what changed."""
    before = session.config.stash.get(GIT_STATUS, None)
    after = _git_status()
    if before is None or after is None or after == before:
        return
    changed = sorted(after ^ before)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"The test run changed git status: {changed}", red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


GIT_STATUS = pytest.StashKey[set[str] | None]()


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


# --- Personas (STYLE.md): alice staff of 街道 A, bob leader of A, charlie staff of B,
# dora a city-level viewer of A and B. task_a belongs to alice's department.


@pytest.fixture
def subdistrict_a(db):
    from tests.factories import SubdistrictFactory

    return SubdistrictFactory(name="江浦路街道", district="杨浦区")


@pytest.fixture
def subdistrict_b(db):
    from tests.factories import SubdistrictFactory

    return SubdistrictFactory(name="塘桥街道", district="浦东新区")


@pytest.fixture
def department_a(subdistrict_a):
    from tests.factories import DepartmentFactory

    return DepartmentFactory(subdistrict=subdistrict_a, name="管理办")


def _member(username, subdistricts, role, department=None):
    from apps.accounts.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username=username, display_name=username.title())
    for subdistrict in subdistricts:
        MembershipFactory(
            user=user,
            subdistrict=subdistrict,
            role=getattr(Membership.Role, role),
            department=department,
        )
    return user


@pytest.fixture
def alice(subdistrict_a, department_a):
    return _member("alice", [subdistrict_a], "STAFF", department_a)


@pytest.fixture
def bob(subdistrict_a):
    return _member("bob", [subdistrict_a], "LEADER")


@pytest.fixture
def charlie(subdistrict_b):
    return _member("charlie", [subdistrict_b], "STAFF")


@pytest.fixture
def dora(subdistrict_a, subdistrict_b):
    return _member("dora", [subdistrict_a, subdistrict_b], "VIEWER")


@pytest.fixture
def plan_a(subdistrict_a):
    from tests.factories import PlanFactory

    return PlanFactory(subdistrict=subdistrict_a, title="江浦路街道2026年工作要点")


@pytest.fixture
def task_a(plan_a, department_a):
    from tests.factories import IndicatorFactory, TaskFactory

    section = TaskFactory(plan=plan_a, number="(一)", title="优化经济质效")
    task = TaskFactory(
        plan=plan_a,
        parent=section,
        number="1.",
        title="加强招商引资谋篇布局",
        text="全年走访企业不少于200家次。",
        lead_department=department_a,
    )
    IndicatorFactory(task=task, name="走访企业", target_value=200, unit="家次", comparator="gte")
    return task


@pytest.fixture
def task_b(subdistrict_b):
    from tests.factories import PlanFactory, TaskFactory

    plan = PlanFactory(subdistrict=subdistrict_b, title="塘桥街道2026年工作思路")
    return TaskFactory(plan=plan, number="1.", title="打造烟火街区品牌")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every test: personas, factory and demo users get their password hashed with MD5: PBKDF2 costs about
    0.7 s per user, which the tests that create many users do not need to pay. PBKDF2
    stays second, so hashes made before the switch still verify."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: the in-process cache outlives a test's
    database, and what one test drew (the overview, say) must not be shown in the next
    one, whose rows may reuse the same ids."""
    from django.core.cache import cache

    from apps.core.caching import drawn_forget

    cache.clear()
    drawn_forget()
    yield
    cache.clear()
    drawn_forget()
