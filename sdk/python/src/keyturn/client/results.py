"""What install, dismiss and check-in did: typed results, never exceptions for a bad license."""

from __future__ import annotations

import datetime as _dt
import enum
from dataclasses import dataclass, field
from typing import Optional

from ..codes import VerificationCode
from ..license import License
from .standing import BannerView, LimitExcess


@dataclass(frozen=True)
class InstallResult:
    """VALID means installed; every other code means rejected with nothing changed.

    ``in_force``: whether the license is now the one in force (False when an installed license
    expires later, or for a rejection).
    """

    code: VerificationCode
    message: str
    license: Optional[License] = None
    excesses: tuple[LimitExcess, ...] = ()
    in_force: bool = False

    @property
    def installed(self) -> bool:
        return self.code is VerificationCode.VALID


class DismissOutcome(enum.StrEnum):
    HIDDEN = "HIDDEN"
    COLLAPSED_TO_PILL = "COLLAPSED_TO_PILL"
    NOT_DISMISSIBLE = "NOT_DISMISSIBLE"
    NOTHING_TO_DISMISS = "NOTHING_TO_DISMISS"


@dataclass(frozen=True)
class DismissResult:
    outcome: DismissOutcome
    banner: BannerView


class CheckInOutcome(enum.StrEnum):
    OK = "OK"
    RENEWED = "RENEWED"
    LICENSE_REJECTED = "LICENSE_REJECTED"
    REVOKED = "REVOKED"
    UNKNOWN_LICENSE = "UNKNOWN_LICENSE"
    INSTANCE_CONFLICT = "INSTANCE_CONFLICT"
    NETWORK_FAILURE = "NETWORK_FAILURE"
    SERVER_ERROR = "SERVER_ERROR"
    NO_LICENSE = "NO_LICENSE"
    NOT_CONFIGURED = "NOT_CONFIGURED"


@dataclass(frozen=True)
class CheckInResult:
    outcome: CheckInOutcome
    message: str
    install: Optional[InstallResult] = None
    next_check_in: _dt.timedelta = field(default=_dt.timedelta(0))
