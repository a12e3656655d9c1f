"""Browser tests: Playwright's Python package driving Debian's chromium against live_server.

The browser is the system's /usr/bin/chromium (installed by .ci/run), never a downloaded
build. Outside CI the tests skip when it is missing; on CI a missing browser fails.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
# Screenshots go to var/screenshots/ (ignored by git), so a test run changes no tracked
# file. The README's images are refreshed on purpose:
#   SCREENSHOTS_DIR=docs/screenshots python -m pytest tests/browser
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR") or ROOT / "var" / "screenshots")
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# for setup and assertions are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="Debian chromium is not installed (apt-get install chromium)")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_data(transactional_db):
    call_command("demo_setup", stdout=open(os.devnull, "w"))


LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def new_page(browser, live_server):
    """A factory of pages in fresh contexts (separate cookies), sized like a 1366×768 laptop
    unless another viewport is given; one narrower than 600 px is a phone (touch, 2× pixels)."""
    contexts = []

    def make(viewport=LAPTOP):
        phone = viewport["width"] < 600
        context = browser.new_context(
            viewport=viewport,
            locale="zh-CN",
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=2 if phone else 1,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def login(page, live_server, username, password="demo-pass-2024"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state("networkidle")


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


# --- Dashboards: charts drawn by static/js/charts.js, and requests that stay on the site.


@pytest.fixture
def demo_plans(transactional_db):
    """The seed documents and demo accounts without the made-up activity: a few seconds
    instead of `demo_data`'s fifteen, for tests that need no history or readings."""
    call_command("demo_setup", "--no-activity", stdout=open(os.devnull, "w"))


CHARTS_DRAWN = """() => {
    const charts = document.querySelectorAll(".chart");
    return charts.length > 0 && [...charts].every((div) => div.querySelector(".main-svg"));
}"""


def charts_wait(page) -> tuple[int, int]:
    """Wait until Plotly has drawn into every `.chart` div; returns (charts, drawn)."""
    page.wait_for_function(CHARTS_DRAWN)
    return page.locator(".chart").count(), page.locator(".chart:has(.main-svg)").count()


def requests_record(page) -> list[str]:
    """Every URL the page requests from now on (the list grows as the page runs)."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def offsite_urls(urls: list[str], live_server) -> list[str]:
    """The URLs that would leave the test server; data: and blob: stay in the browser."""
    from urllib.parse import urlsplit

    home = urlsplit(live_server.url)
    return [
        url
        for url in urls
        if urlsplit(url).scheme not in ("data", "blob")
        and (urlsplit(url).scheme, urlsplit(url).netloc) != (home.scheme, home.netloc)
    ]


@pytest.fixture(autouse=True)
def jobs_run_inline():
    """Jobs queued by the live server (roll-ups after an update) run in place: no worker
    consumes the broker here, and the dashboards under test then show the update at once."""
    from apps.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
