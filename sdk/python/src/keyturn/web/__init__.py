"""The web module (Java's keyturn-client-web) without a framework; ``keyturn.django`` adapts it."""

from .core import KeyturnWeb
from .http import PayloadTooLarge, WebErrorCode, WebRequest, WebResponse
from .settings import WebError, WebSettings

__all__ = [
    "KeyturnWeb",
    "PayloadTooLarge",
    "WebError",
    "WebErrorCode",
    "WebRequest",
    "WebResponse",
    "WebSettings",
]
