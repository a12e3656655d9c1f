import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings

from apps.core.management.commands import serve
from apps.core.management.commands.serve import Command, child_commands

BASE_DIR = Path(settings.BASE_DIR)


def parse(*argv: str) -> dict:
    return vars(Command().create_parser("manage.py", "serve").parse_args(argv))


def test_it_starts_a_solo_worker_and_a_database_beat_by_default():
    children = dict(child_commands(parse()))

    celery = [sys.executable, "-m", "celery", "-A", "apps"]
    assert children["Celery worker"] == [*celery, "worker", "--loglevel=INFO", "--pool=solo"]
    assert children["Celery beat"][:7] == [*celery, "beat", "--loglevel=INFO"]


def test_it_keeps_beat_files_out_of_the_repository():
    beat = dict(child_commands(parse()))["Celery beat"]

    assert beat[7:] == [f"--schedule={BASE_DIR / 'var' / 'celerybeat-schedule'}"]


@pytest.mark.parametrize(
    ("argv", "labels"),
    [
        (["--no-worker"], ["Celery beat"]),
        (["--no-beat"], ["Celery worker"]),
        (["--no-worker", "--no-beat"], []),
    ],
)
def test_it_leaves_out_what_runs_elsewhere(argv, labels):
    assert [label for label, _ in child_commands(parse(*argv))] == labels


def test_it_accepts_runserver_arguments():
    options = parse("127.0.0.1:8765", "--noreload")

    assert options["addrport"] == "127.0.0.1:8765"


def test_it_warns_with_the_exit_code_when_a_child_dies_early():
    command = Command(stdout=StringIO(), stderr=StringIO())
    command.children = [("Celery worker", subprocess.Popen([sys.executable, "-c", "exit(3)"]))]
    command.stopping = threading.Event()
    watcher = threading.Thread(target=command.watch_children)
    watcher.start()
    try:
        deadline = time.monotonic() + 5
        while "警告" not in command.stderr.getvalue() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        command.stopping.set()
        watcher.join()

    assert "Celery worker 已退出（退出码 3）" in command.stderr.getvalue()


def test_it_kills_a_child_that_ignores_sigterm(monkeypatch):
    monkeypatch.setattr(serve, "STOP_TIMEOUT", 0.5)
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ok'); time.sleep(60)"
    stubborn = subprocess.Popen(
        [sys.executable, "-u", "-c", code], stdout=subprocess.PIPE, text=True
    )
    assert stubborn.stdout.readline() == "ok\n"
    command = Command(stdout=StringIO(), stderr=StringIO())
    command.children = [("Celery beat", stubborn)]
    command.stopping = threading.Event()

    command.stop_children()

    stubborn.stdout.close()
    assert stubborn.returncode == -signal.SIGKILL
    assert "强制结束" in command.stderr.getvalue()


# --- The real thing: serve in a subprocess, on a fresh SQLite database and a free port.


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def serve_env(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        # An in-process broker: the worker must not take jobs that a developer's own site
        # queued under var/celery. The file-system broker is checked by hand (see report).
        "CELERY_BROKER_URL": "memory://",
        "PYTHONUNBUFFERED": "1",
        # The key serve makes for itself, kept out of the developer's var/.
        "SECRET_KEY_FILE": str(tmp_path / "secret_key"),
    }
    for name in ("DEBUG", "SECRET_KEY", "CELERY_TASK_ALWAYS_EAGER"):
        env.pop(name, None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True, timeout=120)
    return env


def wait_until(ready, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        if ready():
            return
        time.sleep(0.3)
    pytest.fail(f"serve did not get ready:\n{log.read_text()}")


def start_serve(env: dict, log_path: Path, *argv: str) -> tuple[subprocess.Popen, str]:
    """serve on a free port, without children unless asked; returns it and its address."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", f"127.0.0.1:{port}", *argv],
        cwd=BASE_DIR,
        env=env,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
    )
    return process, f"http://127.0.0.1:{port}"


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=20)
    process.stdout and process.stdout.close()


def fetch(url: str, **headers: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def login_page_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_it_serves_and_stops_its_children_on_sigterm(serve_env, tmp_path):
    # SIGTERM (timeout, systemd, CI) and Ctrl-C's SIGINT go through the same handler; one
    # run is enough, as each takes several seconds (three Django start-ups, a worker stop).
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", f"127.0.0.1:{port}"],
            cwd=BASE_DIR,
            env=serve_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}/accounts/login/"
            wait_until(lambda: login_page_answers(url), process, log)
            # Both children got as far as their main loop, against the same SQLite file.
            wait_until(lambda: re.search(r"celery@\S+ ready", log.read_text()), process, log)
            wait_until(lambda: "beat: Starting" in log.read_text(), process, log)
            pids = [
                int(pid) for pid in re.findall(r"已启动 Celery \w+（进程 (\d+)）", log.read_text())
            ]
            assert len(pids) == 2, log.read_text()
            assert all(alive(pid) for pid in pids)

            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=20) == 0, log.read_text()
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=20)

    assert not [pid for pid in pids if alive(pid)], log.read_text()
    assert "正在停止 Celery worker" in log.read_text()
    assert "警告" not in log.read_text()


def test_it_serves_what_users_get_chinese_error_pages_and_cached_compressed_static_files(
    serve_env, tmp_path
):
    log = tmp_path / "serve.log"
    process, site = start_serve(serve_env, log, "--no-worker", "--no-beat")
    try:
        wait_until(lambda: login_page_answers(f"{site}/accounts/login/"), process, log)

        status, _, body = fetch(f"{site}/no-such-page/")
        assert status == 404
        page = body.decode()
        assert "页面不存在" in page
        assert "Page not found" not in page and "URLconf" not in page

        _, _, login = fetch(f"{site}/accounts/login/")
        stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', login.decode())
        assert stylesheet, "static URLs are not hashed (no manifest storage)"
        status, headers, _ = fetch(site + stylesheet.group(1), **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "max-age=315360000" in headers["Cache-Control"]
        assert "immutable" in headers["Cache-Control"]
    finally:
        stop(process)

    key = (tmp_path / "secret_key").read_text().strip()
    assert len(key) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_dev_mode_shows_the_debug_page(serve_env, tmp_path):
    log = tmp_path / "serve.log"
    process, site = start_serve(serve_env, log, "--no-worker", "--no-beat", "--dev")
    try:
        wait_until(lambda: login_page_answers(f"{site}/accounts/login/"), process, log)

        status, _, body = fetch(f"{site}/no-such-page/")
    finally:
        stop(process)

    assert status == 404
    assert "URLconf" in body.decode()
    assert not (tmp_path / "secret_key").exists()
