"""The over-the-network half of `python -m bench.pages`: child processes (Celery worker,
gunicorn), wrk throughput runs, and the "under load, nothing is lost" check.

Only plain `http.client` talks to gunicorn here, so what is measured is the site and not a
client library. The functions that need Django (choosing users and tasks, checking the
database afterwards) import it lazily: the parent process of the benchmark never sets
Django up, only the per-database child processes do.
"""

from __future__ import annotations

import atexit
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
LOG_DIR = ROOT / "var" / "bench"

# What the task page answers to a stale version (apps/plans/services/tasks.py).
CONFLICT_RE = re.compile(r"该任务已被 .+? 于 .+? 修改，请核对最新内容后再保存。")
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_RE = re.compile(r'name="version" value="(\d+)"')

# p95 is not among wrk's --latency percentiles; its Lua `done` hook can print any.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("P95_US %d\\n", latency:percentile(95)))
  io.write(string.format("STATUS_ERRORS %d\\n", summary.errors.status))
end
"""


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile, interpolated between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "max_ms": round(max(ms), 1),
    }


# === Child processes ====================================================================
# Every process the benchmark starts is registered here and stopped on exit, on Ctrl-C and
# on SIGTERM. Each gets its own session, so a Ctrl-C in the terminal reaches only the
# benchmark, which then stops them in reverse order (a worker gets a warm shutdown).

_children: list[subprocess.Popen] = []


def _exit_on_signal(signum: int, _frame: Any) -> None:
    # SystemExit unwinds through every `finally` and then runs atexit.
    raise SystemExit(128 + signum)


def install_cleanup() -> None:
    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)


def spawn(
    argv: list[str], *, env: dict[str, str], log: IO[bytes] | int | None = None
) -> subprocess.Popen:
    proc = subprocess.Popen(
        argv,
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
        start_new_session=True,
    )
    _children.append(proc)
    return proc


def stop(proc: subprocess.Popen, timeout: float = 20) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    if proc in _children:
        _children.remove(proc)


def stop_all() -> None:
    for proc in reversed(list(_children)):
        stop(proc)


def log_file(name: str) -> IO[bytes]:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    # Kept open for the child's lifetime: the child writes to it.
    return open(LOG_DIR / name, "ab")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_start(env: dict[str, str]) -> subprocess.Popen:
    """A Celery worker consuming the roll-up jobs, with the benchmark's database and broker.
    The caller waits for it with `worker_wait_ready` (it needs Django for that)."""
    argv = [str(VENV_BIN / "celery"), "-A", "apps", "worker", "-P", "solo", "--loglevel=WARNING"]
    return spawn(argv, env=env, log=log_file("worker.log"))


def gunicorn_start(env: dict[str, str], port: int, workers: int = 2) -> subprocess.Popen:
    argv = [
        str(VENV_BIN / "gunicorn"),
        "apps.wsgi",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--timeout=120",
    ]
    proc = spawn(argv, env=env, log=log_file("gunicorn.log"))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with {proc.returncode}, see {LOG_DIR}/gunicorn.log"
            )
        try:
            status, _h, _b = request(port, "GET", "/accounts/login/", Cookies())
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 30 s")


# === HTTP with plain http.client ========================================================


@dataclass
class Cookies:
    values: dict[str, str] = field(default_factory=dict)

    def header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.values.items())

    def take(self, set_cookies: list[str]) -> None:
        for line in set_cookies:
            name, _, rest = line.partition("=")
            if name.strip() in {"sessionid", "csrftoken"}:
                self.values[name.strip()] = rest.split(";", 1)[0]


def request(
    port: int, method: str, path: str, cookies: Cookies, body: dict[str, Any] | None = None
) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": cookies.header()} if cookies.values else {}
    data = None
    if body is not None:
        data = urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        cookies.take(response.headers.get_all("Set-Cookie") or [])
        return response.status, dict(response.headers), text
    finally:
        conn.close()


@dataclass
class TaskForm:
    """The fields of a task's update form that the benchmark keeps as they are."""

    task_id: int
    due_date: str
    lead_department: str
    responsible_person: str


def post_update(
    port: int, cookies: Cookies, form: TaskForm, *, note: str, percent: int, think: float = 0
) -> tuple[str, int, float, str]:
    """GET the task page (CSRF token and version), wait `think` seconds, POST an update.
    Returns (outcome, HTTP status, seconds the POST took, detail); outcome is "saved"
    (redirect back to the task), "conflict" (409 with the conflict message) or "other"."""
    path = f"/tasks/{form.task_id}/"
    status, _h, page = request(port, "GET", path, cookies)
    token, version = CSRF_RE.search(page), VERSION_RE.search(page)
    if status != 200 or not token or not version:
        return "other", status, 0.0, f"GET {path}: {status}, no update form"
    time.sleep(think)
    body = {
        "csrfmiddlewaretoken": token.group(1),
        "status": "in_progress",
        "percent": percent,
        "due_date": form.due_date,
        "lead_department": form.lead_department,
        "responsible_person": form.responsible_person,
        "note": note,
        "version": version.group(1),
    }
    started = time.perf_counter()
    status, headers, page = request(port, "POST", path, cookies, body)
    took = time.perf_counter() - started
    if status == 302 and headers.get("Location", "").endswith(path):
        return "saved", status, took, ""
    if status == 409 and CONFLICT_RE.search(page):
        return "conflict", status, took, ""
    return "other", status, took, page[:200]


# === wrk ================================================================================


def wrk_available() -> bool:
    return subprocess.run(["which", "wrk"], capture_output=True).returncode == 0


WRK_INSTALL = "apt-get update && apt-get install -y wrk"


def _wrk_ms(value: str) -> float:
    number = float(re.match(r"[\d.]+", value).group(0))
    unit = value[len(re.match(r"[\d.]+", value).group(0)) :]
    return number * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk_run(
    port: int, path: str, sessionid: str, *, connections: int, duration: int, gzip: bool = True
) -> dict:
    """Requests/s and latency percentiles of `path` under `connections` open connections.
    `gzip`: ask for compressed pages, as every browser does (figures before 2026-12-03
    were taken without, so the server never compressed)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    argv = [
        "wrk",
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=30s",
        "--latency",
        f"--script={script.name}",
        f"--header=Cookie: sessionid={sessionid}",
        *(["--header=Accept-Encoding: gzip, deflate"] if gzip else []),
        # wrk wants the URL percent-encoded (a search for 养老 as typed fails to parse).
        f"http://127.0.0.1:{port}{quote(path, safe='/?=&%:')}",
    ]
    try:
        out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    result: dict[str, Any] = {
        "path": path,
        "connections": connections,
        "duration_s": duration,
        "gzip": gzip,
    }
    result["requests_per_s"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    result["requests"] = int(re.search(r"(\d+) requests in", out).group(1))
    for pct in ("50", "75", "90", "99"):
        match = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.MULTILINE)
        result[f"p{pct}_ms"] = round(_wrk_ms(match.group(1)), 1)
    result["p95_ms"] = round(int(re.search(r"P95_US (\d+)", out).group(1)) / 1000, 1)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    socket_errors = re.search(r"Socket errors: (.*)", out)
    result["socket_errors"] = socket_errors.group(1) if socket_errors else ""
    return result


class Background(threading.Thread):
    """A function run in a thread; `result` or the exception it raised is kept."""

    def __init__(self, target, *args: Any, **kwargs: Any) -> None:
        super().__init__(daemon=True)
        self._call = (target, args, kwargs)
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        target, args, kwargs = self._call
        try:
            self.result = target(*args, **kwargs)
        except BaseException as exc:  # reported by the caller
            self.error = exc

    def outcome(self) -> Any:
        self.join()
        if self.error:
            raise self.error
        return self.result


def post_timer(port: int, cookies: Cookies, forms: list[TaskForm], stop_event: threading.Event):
    """Update tasks one after another until told to stop; the POSTs' durations."""
    timings, others, i = [], [], 0
    while not stop_event.is_set():
        form = forms[i % len(forms)]
        outcome, status, took, detail = post_update(
            port, cookies, form, note=f"负载下计时 {time.time_ns()}", percent=1 + i % 99
        )
        if outcome == "saved":
            timings.append(took)
        else:
            others.append(f"{status} {detail[:80]}")
        i += 1
    return {**summary_ms(timings), "not_saved": len(others), "examples": others[:3]}


# === Under load, nothing is lost ========================================================


@dataclass
class Participant:
    username: str
    sessionid: str
    tasks: list[TaskForm]


@dataclass
class Attempt:
    username: str
    task_id: int
    note: str
    outcome: str = ""
    status: int = 0
    detail: str = ""


def task_forms(tasks) -> list[TaskForm]:
    """The kept fields of these tasks (Task rows or ids) as their update forms hold them."""
    from apps.plans.models import Task

    if tasks and isinstance(tasks[0], int):
        tasks = list(Task.objects.filter(pk__in=tasks).order_by("pk"))
    return [
        TaskForm(
            task_id=task.pk,
            due_date=task.due_date.isoformat() if task.due_date else "",
            lead_department=str(task.lead_department_id or ""),
            responsible_person=task.responsible_person,
        )
        for task in tasks
    ]


def participants_choose(count: int, make_session) -> tuple[list[Participant], dict[int, int]]:
    """Up to `count` users who may write, chosen so that they come in groups sharing the
    same tasks (in the generated city: a 街道's leader and one department's staff member,
    both allowed to update that department's tasks), so that conflicts happen. Returns
    them and the current version of every task they will update."""
    from apps.accounts.models import Membership, User
    from apps.accounts.selectors import user_can_update_task
    from apps.dashboard.selectors import dashboard_default_year
    from apps.plans.models import Plan, Task
    from apps.subdistricts.models import Subdistrict

    years = sorted({y for (y,) in Plan.objects.values_list("year_start").distinct()})
    year = dashboard_default_year(years)
    per_subdistrict = []  # one list of (user set, tasks) groups per 街道
    for subdistrict in Subdistrict.objects.order_by("pk"):
        plan = Plan.objects.filter(
            subdistrict=subdistrict, year_start=year, is_review=False
        ).first()
        if plan is None:
            continue
        writers = list(
            User.objects.filter(
                memberships__subdistrict=subdistrict,
                memberships__role__in=Membership.WRITE_ROLES,
                is_superuser=False,
            )
            .order_by("username")
            .distinct()
        )
        leaves = Task.objects.filter(plan=plan, children__isnull=True).select_related("plan")
        by_group: dict[tuple[str, ...], list[Task]] = defaultdict(list)
        for task in leaves.order_by("path"):
            group = tuple(u.username for u in writers if user_can_update_task(u, task))
            if len(group) >= 2:
                by_group[group].append(task)
        groups = sorted(by_group.items(), key=lambda item: (-len(item[1]), item[0]))
        # One task per group: both of its users keep coming back to it.
        per_subdistrict.append([(group, tasks[:1]) for group, tasks in groups])
        if len(per_subdistrict) >= count:
            break

    chosen: dict[str, list[Task]] = {}
    for round_ in range(max((len(g) for g in per_subdistrict), default=0)):
        for groups in per_subdistrict:
            if round_ >= len(groups) or len(chosen) >= count:
                continue
            group, tasks = groups[round_]
            new = [u for u in group if u not in chosen]
            if len(chosen) + len(new) > count:
                continue
            for username in group:
                chosen.setdefault(username, []).extend(tasks)

    participants, versions = [], {}
    for username, tasks in chosen.items():
        versions.update({task.pk: task.version for task in tasks})
        user = User.objects.get(username=username)
        participants.append(Participant(username, make_session(user), task_forms(tasks)))
    return participants, versions


def concurrent_updates(
    port: int, participants: list[Participant], *, attempts: int, spread: float, seed: int
) -> list[Attempt]:
    """`attempts` updates shared out among the participants, each in its own thread with its
    own session: every few seconds a user opens one of their tasks, takes a moment (the
    think time during which someone else may save) and submits with a unique note."""
    run = f"并发检查 {time.strftime('%H%M%S')}-{seed}"
    per_user = [attempts // len(participants)] * len(participants)
    for i in range(attempts - sum(per_user)):
        per_user[i] += 1
    plan: list[list[Attempt]] = []
    rng = random.Random(seed)
    for p, n in zip(participants, per_user, strict=True):
        plan.append(
            [
                Attempt(p.username, rng.choice(p.tasks).task_id, f"{run} {p.username} #{i}")
                for i in range(n)
            ]
        )
    started = time.monotonic()

    def user_thread(p: Participant, mine: list[Attempt], user_seed: int) -> None:
        rng = random.Random(user_seed)
        cookies = Cookies({"sessionid": p.sessionid})
        forms = {f.task_id: f for f in p.tasks}
        interval = spread / max(1, len(mine))
        for i, attempt in enumerate(mine):
            # Everyone's i-th attempt falls in the same window of about a second.
            delay = started + i * interval + rng.uniform(0, 1.0) - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            try:
                attempt.outcome, attempt.status, _took, attempt.detail = post_update(
                    port,
                    cookies,
                    forms[attempt.task_id],
                    note=attempt.note,
                    percent=rng.randint(1, 99),
                    think=rng.uniform(0.2, 1.2),
                )
            except OSError as exc:
                attempt.outcome, attempt.detail = "other", repr(exc)

    threads = [
        threading.Thread(target=user_thread, args=(p, mine, seed * 1000 + k))
        for k, (p, mine) in enumerate(zip(participants, plan, strict=True))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [a for mine in plan for a in mine]


def concurrent_updates_check(attempts: list[Attempt], versions_before: dict[int, int]) -> dict:
    """Compare what the users were told with what the database holds."""
    from apps.plans.models import Task, TaskUpdate

    prefix = attempts[0].note.rsplit(" ", 2)[0]
    rows = list(
        TaskUpdate.objects.filter(note__startswith=prefix).values_list(
            "note", "task_id", "user__username"
        )
    )
    recorded = Counter(note for note, _t, _u in rows)
    where = {note: (task_id, username) for note, task_id, username in rows}
    problems: list[str] = []
    outcomes = Counter(a.outcome for a in attempts)
    for a in attempts:
        n = recorded.get(a.note, 0)
        if a.outcome == "saved" and (n != 1 or where[a.note] != (a.task_id, a.username)):
            problems.append(f"saved but recorded {n} times: {a.note}")
        elif a.outcome == "conflict" and n:
            problems.append(f"refused as conflict but recorded: {a.note}")
        elif a.outcome == "other":
            problems.append(f"neither saved nor conflict ({a.status} {a.detail[:80]}): {a.note}")
    extra = set(recorded) - {a.note for a in attempts}
    problems += [f"recorded but never sent: {note}" for note in sorted(extra)]
    # Leaf tasks change version only through a saved update: no save may be lost.
    saved_per_task = Counter(a.task_id for a in attempts if a.outcome == "saved")
    for task_id, version in Task.objects.filter(pk__in=versions_before).values_list(
        "pk", "version"
    ):
        if version - versions_before[task_id] != saved_per_task[task_id]:
            problems.append(
                f"task {task_id}: version moved by {version - versions_before[task_id]}, "
                f"{saved_per_task[task_id]} updates saved"
            )
    if not outcomes["conflict"]:
        problems.append("no conflict happened: the check did not exercise the lock")
    return {
        "attempts": len(attempts),
        "users": len({a.username for a in attempts}),
        "tasks": len(versions_before),
        "saved": outcomes["saved"],
        "conflict": outcomes["conflict"],
        "other": outcomes["other"],
        "task_updates_recorded": sum(recorded.values()),
        "problems": problems[:20],
        "passed": not problems,
    }


def as_dicts(items: list[Any]) -> list[dict]:
    return [asdict(i) for i in items]
