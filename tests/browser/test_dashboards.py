"""The dashboards in a real browser: every chart drawn by the vendored plotly.js, nothing
fetched from outside the site, each user kept to their own 街道, and the drill-down clicks."""

import pytest
from django.utils import timezone

from apps.demo.services import demo_password
from apps.plans.models import Indicator, Plan
from apps.subdistricts.models import Subdistrict
from tests.browser.conftest import (
    SCREENSHOTS,
    charts_wait,
    login,
    offsite_urls,
    requests_record,
    screenshot,
)

pytestmark = [pytest.mark.needs_parser]

OTHER_SUBDISTRICTS = ("塘桥", "古美", "吴淞", "潍坊")


def _jiangpu_2023() -> tuple[Subdistrict, Plan, Indicator]:
    """江浦路, its 2023 plan and one of its indicators, one with readings when there is one."""
    jiangpu = Subdistrict.objects.get(name="江浦路街道")
    plan = Plan.objects.get(subdistrict=jiangpu, year_start=2023)
    indicators = Indicator.objects.filter(task__plan=plan).order_by("pk")
    indicator = indicators.filter(readings__isnull=False).first() or indicators.first()
    return jiangpu, plan, indicator


def _jiangpu_pages() -> list[str]:
    """Every dashboard page, on 江浦路's 2023 objects (which both users may see)."""
    jiangpu, plan, indicator = _jiangpu_2023()
    return [
        "/dashboard/",
        "/dashboard/?year=2023",
        f"/subdistricts/{jiangpu.pk}/",
        f"/plans/{plan.pk}/",
        f"/indicators/{indicator.pk}/",
        "/dashboard/themes/?year=2023&theme=livelihood",
    ]


@pytest.mark.parametrize("username", ["leader_city", "jiangpu_staff"])
def test_every_dashboard_draws_all_its_charts_without_leaving_the_site(
    demo_plans, new_page, live_server, username
):
    page = new_page()
    urls = requests_record(page)
    login(page, live_server, username, password=demo_password())
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    for path in _jiangpu_pages():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        charts, drawn = charts_wait(page)
        assert charts >= 1 and drawn == charts, path

    assert errors == []
    assert any("/static/vendor/plotly/" in url for url in urls)
    assert offsite_urls(urls, live_server) == []


def test_jiangpu_staff_sees_only_jiangpu_and_gets_404_for_a_tangqiao_plan(
    demo_plans, new_page, live_server
):
    tangqiao_plan = Plan.objects.filter(subdistrict__name="塘桥街道").first()
    page = new_page()
    login(page, live_server, "jiangpu_staff", password=demo_password())

    page.goto(f"{live_server.url}/dashboard/")
    charts_wait(page)
    # The seed's year and the demonstration plan's (the current year).
    years = page.locator("#id_year option").all_inner_texts()
    assert sorted(years) == sorted([f"{timezone.localdate().year} 年", "2023 年"])
    rows = page.locator(".table-wrap tbody tr")
    assert rows.count() == 1 and "江浦路街道" in rows.inner_text()
    html = page.content()  # the charts' JSON included
    assert [name for name in OTHER_SUBDISTRICTS if name in html] == []

    response = page.goto(f"{live_server.url}/plans/{tangqiao_plan.pk}/")
    assert response.status == 404
    assert tangqiao_plan.title not in page.content()


def test_leader_city_picks_a_year_and_drills_down_to_a_plan_and_an_indicator(
    demo_data, new_page, live_server
):
    jiangpu, plan, indicator = _jiangpu_2023()
    page = new_page()
    login(page, live_server, "leader_city", password=demo_password())

    page.goto(f"{live_server.url}/dashboard/")
    charts_wait(page)
    screenshot(page, "dashboard_overview.png")

    page.select_option("#id_year", "2023")
    page.click("form[aria-label='选择年度'] button:has-text('查看')")
    page.wait_for_url("**/dashboard/?year=2023")
    charts_wait(page)
    names = page.locator(".table-wrap tbody tr td:first-child").all_inner_texts()
    assert sorted(names) == ["江浦路街道", "潍坊新村街道"]

    page.locator(".table-wrap tbody tr", has_text="江浦路街道").get_by_role("link").click()
    page.wait_for_url(f"**/subdistricts/{jiangpu.pk}/")
    charts_wait(page)
    assert page.locator("h1").inner_text() == "江浦路街道"
    assert "级别：街道" in page.locator("p.meta").first.inner_text()

    page.get_by_role("link", name=plan.title).click()
    page.wait_for_url(f"**/plans/{plan.pk}/")
    charts, drawn = charts_wait(page)
    assert drawn == charts == 3
    screenshot(page, "plan_detail.png")

    page.get_by_role("link", name=indicator.name, exact=True).first.click()
    page.wait_for_url(f"**/indicators/{indicator.pk}/")
    charts_wait(page)
    assert page.locator("h1").inner_text() == indicator.name
    screenshot(page, "indicator_detail.png")


def _transfer_record(page) -> list[dict]:
    """One entry per response seen by the DevTools protocol, with the bytes it took."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.clearBrowserCache")
    entries: dict[str, dict] = {}

    def received(event):
        response = event["response"]
        entries[event["requestId"]] = {
            "url": response["url"],
            "status": response["status"],
            "cache": response.get("fromDiskCache") or response.get("fromMemoryCache"),
            "headers": {k.lower(): v for k, v in response["headers"].items()},
            "bytes": 0,
        }

    def finished(event):
        if event["requestId"] in entries:
            entries[event["requestId"]]["bytes"] = event["encodedDataLength"]

    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", finished)
    return entries


def _load(page, url, entries) -> list[dict]:
    entries.clear()
    page.goto(url)
    charts_wait(page)
    page.wait_for_load_state("networkidle")
    return list(entries.values())


def test_the_overview_page_weight_on_a_first_and_a_repeat_load(demo_plans, new_page, live_server):
    page = new_page()
    login(page, live_server, "leader_city", password=demo_password())
    entries = _transfer_record(page)  # clears the cache the login filled
    url = f"{live_server.url}/dashboard/"

    first = _load(page, url, entries)
    page.goto("about:blank")  # so that the next visit is a navigation, not a reload
    repeat = _load(page, url, entries)

    cached = [e for e in repeat if e["cache"]]
    revalidated = [e for e in repeat if e["status"] == 304]
    lines = [
        "/dashboard/ as leader_city on pytest's live_server (static files from Django's",
        "StaticFilesHandler, uncompressed, not the hashed whitenoise files of production);",
        "bytes = Chrome's encodedDataLength (headers + body on the wire).",
        f"first load (empty cache): {sum(e['bytes'] for e in first)} bytes, {len(first)} responses",
        f"repeat load (same context): {sum(e['bytes'] for e in repeat)} bytes, "
        f"{len(repeat)} responses: {len(cached)} from the browser cache, "
        f"{len(revalidated)} revalidated (304), "
        f"{len(repeat) - len(cached) - len(revalidated)} downloaded",
        "",
    ]
    for label, loaded in (("first", first), ("repeat", repeat)):
        for e in loaded:
            headers = e["headers"]
            lines.append(
                f"{label}: {e['status']} {e['bytes']:>8} B cache={bool(e['cache'])} "
                f"{e['url'].removeprefix(live_server.url)} "
                f"cache-control={headers.get('cache-control', '-')!r} "
                f"last-modified={headers.get('last-modified', '-')!r} "
                f"etag={headers.get('etag', '-')!r}"
            )
    print("\n".join(lines))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "dashboard_weight.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert sum(e["bytes"] for e in first) > sum(e["bytes"] for e in repeat) > 0
