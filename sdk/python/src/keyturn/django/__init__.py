"""Keyturn for Django: a middleware serving the ``/license/*`` routes of the Java web module (so the
same banner.js works), enforcing read-only grace and the lock screen, and a ``{% keyturn_banner %}``
template tag.

Settings::

    INSTALLED_APPS = [..., "keyturn.django"]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "keyturn.django.KeyturnMiddleware",      # before CsrfViewMiddleware: it guards its own
        ...                                     # POSTs with Origin checks
    ]
    KEYTURN = {
        "MANAGER": "notes.licensing.manager",   # a LicenseManager, or a callable returning one
        "PRODUCT_NAME": "Acme Notes",
        "VENDOR_NAME": "Acme Software",
        "EXEMPT_PATHS": ["/health"],            # never gated; STATIC_URL and MEDIA_URL never are
    }
"""

from .middleware import KeyturnMiddleware, get_manager, get_web

__all__ = ["KeyturnMiddleware", "get_manager", "get_web"]
