"""Settings for 街道工作计划看板, read from environment variables.

With nothing set, the project runs on a developer machine: DEBUG on, SQLite in the project
folder, and a file-system Celery broker that needs no server. Production sets DEBUG=false,
SECRET_KEY, DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis). Every variable is
documented in .env.example.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def env_bool(name: str, default: bool = False) -> bool:
    """A flag: true/false (or 1/0, yes/no, on/off). Anything else is an error at start-up,
    not a silent False: `SECURE_COOKIES=ture` must not quietly send cookies over HTTP."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

# A production deployment must bring its own key; the fallback exists only so that a fresh
# checkout runs with no configuration at all.
SECRET_KEY = env_str("SECRET_KEY")
# The placeholder of .env.example, and anything short enough to guess, is no key.
EXAMPLE_SECRET_KEYS = frozenset({"change-me", "changeme", "secret", "dev"})
MIN_SECRET_KEY_LENGTH = 50
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"
elif not DEBUG and (
    SECRET_KEY.lower() in EXAMPLE_SECRET_KEYS or len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH
):
    raise ImproperlyConfigured(
        f"SECRET_KEY is the example value or shorter than {MIN_SECRET_KEY_LENGTH} characters; "
        'make one with: python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_NAME = env_str("SITE_NAME", "街道工作计划看板")
# The address people open, for links in e-mails sent by jobs (which have no request).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Extra notification channels besides in-app (apps/notifications/channels.py), comma
# separated dotted paths; each user may switch e-mail off at /notifications/.
NOTIFICATION_CHANNELS = [
    path.strip()
    for path in env_str("NOTIFICATION_CHANNELS", "apps.notifications.channels.EmailChannel").split(
        ","
    )
    if path.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles so that runserver serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "django_celery_results",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "csp",
    "apps.core",
    "apps.accounts",
    "apps.subdistricts",
    "apps.evidence",
    "apps.notifications",
    "apps.plans",
    "apps.supervision",
    "apps.importer",
    "apps.imports",
    "apps.dashboard",
    "apps.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise, which answers static files itself (precompressed by collectstatic),
    # so only pages reach it. Why compressing pages is safe from BREACH here: see
    # docs/architecture.md, "Compressed pages".
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside SessionMiddleware, so that a renewal it marks is saved on the way out.
    "apps.core.sessions.SessionRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Default deny: every view needs a login unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "apps.urls"
WSGI_APPLICATION = "apps.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Django's form renderer, with plain inputs, text areas and labels written without a
# template each (apps/core/forms.py): the same markup, a few ms less per form.
FORM_RENDERER = "apps.core.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded setup runs web, worker and beat against one file: WAL lets readers go on
    # while one writes, and IMMEDIATE transactions wait for the lock instead of failing
    # half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes), for the site's login and the admin's alike: after
# AXES_FAILURE_LIMIT wrong passwords for one user name from one address, that pair is
# locked out for AXES_COOLOFF_MINUTES (429 and a Chinese page), even with the right
# password. An administrator unlocks at once by deleting the entry under
# 管理 › Axes › Access attempts (or `manage.py axes_reset_username NAME`).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# The address is REMOTE_ADDR (axes' default; a forwarded header could be forged): behind a
# reverse proxy every login comes from the proxy, and the lockout is then by user name.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded 台账 files and generated reports go to the default storage: a folder under
# MEDIA_ROOT (never served by URL; every download goes through a scoped view), or, when
# S3_BUCKET is set, an S3-compatible bucket (MinIO, OSS, COS…) through django-storages.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            # Private objects; the application reads them with its keys and streams them.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    # The manifest storage needs `collectstatic` first, which a developer or a test run
    # has not done; production (DEBUG off) gets hashed, compressed files.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Generated files (plan reports) and uploaded 台账 files, when no bucket is set. Web and
# worker must share this folder (a volume in docker compose). Nothing serves MEDIA_URL.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# With no mail server configured, e-mails (reminders, 催办) are printed on the console of the
# process that sends them (the worker): a demo shows what would be sent.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")

# Celery. The default broker keeps messages as files under var/celery, so that a worker
# started in another terminal sees the web process's jobs without Redis running.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _celery_dir = BASE_DIR / "var" / "celery"
    # Producer and consumer read the same settings, so "in" and "out" are one folder.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
    }
    for _folder in ("queue", "processed", "control"):
        (_celery_dir / _folder).mkdir(parents=True, exist_ok=True)
else:
    # Redis hands a job that was taken but never acknowledged (its worker died, even by
    # SIGKILL) to another worker only after the visibility timeout; kombu's default is an
    # hour, during which a report stays 排队中. It must outlast the longest job (the hard
    # time limit) or a slow job would be handed out twice while it runs.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int(
            "CELERY_VISIBILITY_TIMEOUT", env_int("CELERY_TASK_TIME_LIMIT", 660) + 60
        ),
        # A worker looks for such jobs every 10 s, but kombu scans Redis only on every 10th
        # look by default: a lost job came back up to 100 s after the timeout (measured,
        # bench/worker_kill.py). Scanning on every look costs one small query per 10 s.
        "unacked_restore_throttle": 1,
    }
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# A job is acknowledged when it has finished, so a worker that dies mid-job leaves it for
# another; every job is written to be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 660)
CELERY_RESULT_EXPIRES = dt.timedelta(days=14)

# The schedule (Asia/Shanghai). django-celery-beat's DatabaseScheduler copies these entries
# into its tables at start, where an administrator can pause or move them in the admin.
CELERY_BEAT_SCHEDULE = {
    "每日快照": {
        "task": "apps.plans.jobs.snapshots_fill",
        "schedule": crontab(hour=0, minute=30),
    },
    "待重算计划补漏": {
        # A roll-up that could not be queued (broker down) or was lost with its worker.
        "task": "apps.plans.jobs.plans_rollup_pending",
        "schedule": crontab(minute="*/5"),
    },
    "每日逾期标记": {
        "task": "apps.plans.jobs.tasks_flag_overdue",
        "schedule": crontab(hour=0, minute=10),
    },
    "每日进度重算": {
        # Expected progress moves every day even when nobody updates anything.
        "task": "apps.plans.jobs.plans_rollup_all",
        "schedule": crontab(hour=0, minute=15),
    },
    "每日清理过期导入草稿": {
        "task": "apps.imports.jobs.drafts_expire",
        "schedule": crontab(hour=1, minute=0),
    },
    "每周催办提醒": {
        # In-app notifications (and e-mail for those who keep it on), one per week. The
        # entry keeps its old name so that the beat's database row (first created for the
        # e-mail reminders of apps.plans) is updated to this job rather than left behind.
        "task": "apps.supervision.jobs.reminders_send",
        "schedule": crontab(hour=8, minute=30, day_of_week="mon"),
    },
    "催办逾期上报": {
        "task": "apps.supervision.jobs.urges_escalate",
        "schedule": crontab(minute=5),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Only behind HTTPS: secure cookies are never sent over the plain HTTP of docker compose.
# SECURE_COOKIES=true also turns on HSTS (a year by default; SECURE_HSTS_SECONDS=0 to
# stage it) and the redirect to HTTPS. Behind a reverse proxy that terminates TLS, the
# proxy must set X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER below).
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if SESSION_COOKIE_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SESSION_COOKIE_SECURE)
if env_bool("BEHIND_HTTPS_PROXY", SESSION_COOKIE_SECURE):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A session lasts SESSION_HOURS (8: a working day) after its last use and is renewed by
# use (apps/core/sessions.py), so a person at work is not signed out while a forgotten
# browser is.
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 8) * 3600

# The admin's address; a less obvious one keeps scanners off its login.
ADMIN_PATH = env_str("ADMIN_PATH", "admin/").strip("/") + "/"

# Content Security Policy (django-csp): scripts only from this site (plotly.js and the
# page scripts are files under static/; figure data are JSON blocks, not code), no
# plugins, no framing, forms post only here. Styles allow inline: plotly.js writes its
# own <style> rules and the progress bars set their width in a style attribute.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
