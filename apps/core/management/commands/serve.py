"""`manage.py serve`: runserver plus a Celery worker and Celery beat, in one terminal.

Overdue flags, progress rollups, snapshots, reminders and Excel exports are Celery jobs, so a
site started with runserver alone looks right but never moves. The README's run command has to
work with no configuration at all (SQLite, the file-system broker under var/celery), so this
command starts the worker and beat as child processes and stops them when it stops.

It is runserver itself (the same arguments and output), with two differences: the autoreloader
is off, because a reload re-executes this command and would start a second pair of children
while orphaning the first; and the children start only once the port is bound, because
runserver leaves with os._exit() when the port is taken, which would skip our clean-up.

It serves what users get: manage.py starts it with DEBUG off (apps/core/embedded.py)
unless run with --dev, so it collects the static files first (hashed and compressed, which
whitenoise then serves with far-future cache headers) on every start, as a fresh clone has
none. One machine and a handful of users: docker-compose.yml runs gunicorn, the worker and
beat as separate services for more.
"""

import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command, get_commands, load_command_class

from apps.core.embedded import DEV_FLAG

# Subclass whichever runserver is in force (whitenoise's, which wraps staticfiles' one).
RunserverCommand = type(load_command_class(get_commands()["runserver"], "runserver"))

# How long a child gets to finish its current job after SIGTERM before it is killed. Jobs
# are acknowledged late and safe to run twice, so a killed job is simply run again later.
STOP_TIMEOUT = 10


def child_commands(options: dict) -> list[tuple[str, list[str]]]:
    """The (label, argv) of each child process to start, from serve's options."""
    var = settings.BASE_DIR / "var"
    celery = [sys.executable, "-m", "celery", "-A", "apps"]
    children = []
    if options["worker"]:
        # The solo pool runs one job at a time in the worker process itself. SQLite lets one
        # connection write at a time, so more concurrency would only queue on the lock; there
        # are no pool processes to orphan; and it works the same on macOS and Windows. (Solo
        # does not enforce CELERY_TASK_TIME_LIMIT; production runs prefork.)
        worker = [*celery, "worker", "--loglevel=INFO", "--pool=solo"]
        children.append(("Celery worker", worker))
    if options["beat"]:
        # The DatabaseScheduler keeps its state in the database, so beat writes no schedule
        # file; --schedule only keeps the repository clean should the scheduler change. No
        # pidfile: one left by a killed beat would have to be cleaned up by hand.
        beat = [*celery, "beat", "--loglevel=INFO", f"--schedule={var / 'celerybeat-schedule'}"]
        children.append(("Celery beat", beat))
    return children


def _interrupt(signum, frame):
    # runserver turns KeyboardInterrupt into a clean exit. Without this, SIGTERM would end
    # the process at once, and SIGINT does nothing when it was ignored at start (a
    # background job of a script), both leaving the children running.
    raise KeyboardInterrupt


class Command(RunserverCommand):
    help = (
        "启动网站，并同时启动 Celery worker 与 Celery beat。默认关闭 DEBUG（中文错误页、"
        "压缩并长期缓存的静态文件）；开发时加 --dev。"
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            DEV_FLAG,
            action="store_true",
            help="开发模式：打开 DEBUG（出错时显示调试页面，静态文件不压缩、不缓存）。",
        )
        parser.add_argument(
            "--no-worker",
            dest="worker",
            action="store_false",
            help="不启动 Celery worker（已在别处运行时）。",
        )
        parser.add_argument(
            "--no-beat",
            dest="beat",
            action="store_false",
            help="不启动 Celery beat（已在别处运行时）。",
        )

    def handle(self, *args, **options):
        options["use_reloader"] = False
        self.serve_options = options
        self.children: list[tuple[str, subprocess.Popen]] = []
        self.stopping = threading.Event()
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        if not settings.DEBUG:
            # Before the server loads whitenoise, which indexes the collected files once.
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write("DEBUG 已关闭（开发模式请加 --dev）；静态文件已收集。")
        try:
            super().handle(*args, **options)
        finally:
            self.stop_children()

    def on_bind(self, server_port):
        super().on_bind(server_port)
        (settings.BASE_DIR / "var").mkdir(exist_ok=True)
        for label, argv in child_commands(self.serve_options):
            process = subprocess.Popen(argv, cwd=settings.BASE_DIR)
            self.children.append((label, process))
            self.stdout.write(f"已启动 {label}（进程 {process.pid}）")
        if self.children:
            threading.Thread(target=self.watch_children, daemon=True).start()

    def watch_children(self):
        """Warn once about each child that exits while the web server is still running."""
        reported = set()
        while not self.stopping.wait(1):
            for label, process in self.children:
                code = process.poll()
                if code is not None and label not in reported and not self.stopping.is_set():
                    reported.add(label)
                    self.stderr.write(
                        f"警告：{label} 已退出（退出码 {code}），网站仍在运行，"
                        f"后台任务暂停；请查看上方日志后重新启动 serve。"
                    )

    def stop_children(self):
        self.stopping.set()
        running = [(label, p) for label, p in self.children if p.poll() is None]
        for label, process in running:
            self.stdout.write(f"正在停止 {label}（进程 {process.pid}）…")
            process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for label, process in running:
            try:
                process.wait(max(0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{label} 在 {STOP_TIMEOUT} 秒内未退出，强制结束。")
                process.kill()
                process.wait()
