"""Keyturn for Python: verify license files, evaluate their lifecycle and enforce them in a product.

The Java core is the reference; every function here answers as it does (same codes, same messages),
which the conformance vectors in ``conformance/`` check.
"""

from .codes import VerificationCode
from .errors import ClientError, InvalidKeyError, KeyturnError, LicenseFormatError
from .keys import KeyRing, SigningKey
from .license import GraceMode, License, LicensePolicy, SignedLicense
from .lifecycle import (
    APPLIANCE,
    SUBSCRIPTION,
    BannerLevel,
    Dismissal,
    LockAction,
    Mode,
    Phase,
    Policy,
    Recipient,
    Stage,
    Standing,
    evaluate,
    notice_due,
)
from .reader import ReadLimits, read_license
from .verify import LicenseVerifier, Verification, verify

__version__ = "0.1.0"

__all__ = [
    "APPLIANCE",
    "SUBSCRIPTION",
    "BannerLevel",
    "ClientError",
    "Dismissal",
    "GraceMode",
    "InvalidKeyError",
    "KeyRing",
    "KeyturnError",
    "License",
    "LicenseFormatError",
    "LicenseManager",
    "LicensePolicy",
    "LicenseVerifier",
    "LockAction",
    "Mode",
    "Phase",
    "Policy",
    "Recipient",
    "ReadLimits",
    "SignedLicense",
    "SigningKey",
    "Stage",
    "Standing",
    "Verification",
    "VerificationCode",
    "evaluate",
    "notice_due",
    "read_license",
    "verify",
]


def __getattr__(name: str):
    # The client pulls in threads and files; load it only when a product asks for it.
    if name == "LicenseManager":
        from .client import LicenseManager

        return LicenseManager
    raise AttributeError(name)
