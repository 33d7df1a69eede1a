"""The license runtime a product embeds (Java's keyturn-client)."""

from .audit import AuditLog, AuditVerification
from .checkin import CheckInSettings
from .clock import Clock, SettableClock, SystemClock
from .manager import LicenseManager, verify_audit_log
from .results import (
    CheckInOutcome,
    CheckInResult,
    DismissOutcome,
    DismissResult,
    InstallResult,
)
from .standing import (
    UNLIMITED,
    BannerDisplay,
    BannerView,
    ClientStanding,
    LimitExcess,
    StandingFlag,
)

__all__ = [
    "UNLIMITED",
    "AuditLog",
    "AuditVerification",
    "BannerDisplay",
    "BannerView",
    "CheckInOutcome",
    "CheckInResult",
    "CheckInSettings",
    "ClientStanding",
    "Clock",
    "DismissOutcome",
    "DismissResult",
    "InstallResult",
    "LicenseManager",
    "LimitExcess",
    "SettableClock",
    "StandingFlag",
    "SystemClock",
    "verify_audit_log",
]
