"""Settings for every environment: SQLite and local files by default, PostgreSQL by DATABASE_URL.

Only environment variables change between the demo, the tests and production; there are no
production-only settings files.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("ZC_DATA_DIR", Path.cwd() / "var"))

SECRET_KEY = os.environ.get("ZC_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = os.environ.get("ZC_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("ZC_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "zhongchuang.web",
    "zhongchuang.accounts",
    "zhongchuang.audit",
    "zhongchuang.spaces",
    "zhongchuang.evidence",
    "zhongchuang.bridge",
    "zhongchuang.applications",
    "zhongchuang.checks",
    "zhongchuang.packet",
    "zhongchuang.transfer",
    "zhongchuang.workflow",
    "zhongchuang.notifications",
    "zhongchuang.review",
    "zhongchuang.inspection",
    "zhongchuang.decisions",
    "zhongchuang.notice",
    "zhongchuang.certificates",
    "zhongchuang.dashboard",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhongchuang.web.middleware.ExplicitLanguageOnly",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "zhongchuang.web.urls"
WSGI_APPLICATION = "zhongchuang.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "zhongchuang.accounts.context.current_membership",
                "zhongchuang.dashboard.context.unread_messages",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'zhongchuang.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker share the file: wait for the lock instead of failing,
    # and take it at the start of a write transaction so two writers never deadlock.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"  # never served directly: evidence goes through a permission check
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Background work (imports, exports, packets) through the Django tasks API (the `django-tasks` backport).
# Default: the database backend; `zc demo` starts its worker (`python -m django db_worker`). Tests set
# ZC_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend to run tasks inline. To scale out,
# swap in django-tasks-rq ("django_tasks_rq.RQBackend" over Redis, with `rqworker`): only this setting
# changes, the tasks stay the same.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("ZC_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
TRANSFER_MAX_BYTES = int(os.environ.get("ZC_TRANSFER_MAX_BYTES", 20 * 1024 * 1024))
EVIDENCE_MAX_BYTES = int(os.environ.get("ZC_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("ZC_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
ZC_SITE_URL = os.environ.get("ZC_SITE_URL", "http://127.0.0.1:8000")  # links in e-mails and QR codes
DEFAULT_FROM_EMAIL = os.environ.get("ZC_FROM_EMAIL", "noreply@zhongchuang.local")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = (
    False  # htmx reads the token from the cookie-less meta tag; the cookie may stay readable
)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZC_LOG_LEVEL", "WARNING")},
}
