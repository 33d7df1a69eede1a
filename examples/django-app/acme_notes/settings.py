"""Settings of the Acme Notes example. Where the data lives and whether the demo runs come from the
environment (``ACME_NOTES_DATA``, ``ACME_NOTES_DEMO``, ``ACME_NOTES_PRESET``, ``ACME_NOTES_TRUST``),
which ``manage.py serve`` sets from its options."""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(
    os.environ.get("ACME_NOTES_DATA", BASE_DIR.parent.parent / "keyturn-data" / "django-app")
)

# An example: a per-run secret is fine (sessions are not used); a product keeps its own.
SECRET_KEY = os.environ.get("ACME_NOTES_SECRET_KEY") or secrets.token_urlsafe(32)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    "keyturn.django",
    "notes",
    "acme_notes",  # its management command: serve
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before CSRF: the license routes guard their own POSTs (Origin checks), and a locked or
    # read-only product refuses requests before any view runs.
    "keyturn.django.KeyturnMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "acme_notes.urls"
WSGI_APPLICATION = "acme_notes.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "acme_notes.context.demo",
            ]
        },
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "notes.sqlite3"),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False

STATIC_URL = "/static/"

KEYTURN = {
    "MANAGER": "acme_notes.licensing.manager",
    "PRODUCT_NAME": "Acme Notes",
    "VENDOR_NAME": "Acme Software",
    # The demo controls move the clock while the product is locked, so they are never gated.
    "EXEMPT_PATHS": ["/demo", "/health"],
    "RENEWAL_EMAIL": os.environ.get("ACME_NOTES_RENEWAL_EMAIL") or None,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.server": {"handlers": ["console"], "level": "WARNING"}},
}
