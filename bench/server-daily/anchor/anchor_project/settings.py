"""Settings of the anchor: the same PostgreSQL database Keyturn uses, mail over SMTP (Django's backend)."""
import os

SECRET_KEY = "anchor-benchmark-only"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
INSTALLED_APPS = ["renewals"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("ANCHOR_DB", "dailybench"),
        "USER": os.environ.get("ANCHOR_DB_USER", "postgres"),
        "HOST": "127.0.0.1",
        "PORT": 5432,
    }
}
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("ANCHOR_SMTP_PORT", "3026"))
DEFAULT_FROM_EMAIL = "keyturn@localhost"
PORTAL_URL = "http://localhost:18080/portal"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
