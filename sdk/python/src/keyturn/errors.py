"""The exceptions Keyturn raises on purpose, under one root (as ``KeyturnException`` in Java)."""

from __future__ import annotations

from .codes import VerificationCode


class KeyturnError(Exception):
    """The root of every exception Keyturn raises on purpose."""


class LicenseFormatError(KeyturnError):
    """A license file that cannot be read: ``MALFORMED`` or ``UNSUPPORTED_FORMAT``."""

    def __init__(self, code: VerificationCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @classmethod
    def malformed(cls, message: str) -> "LicenseFormatError":
        return cls(VerificationCode.MALFORMED, message)


class InvalidKeyError(KeyturnError):
    """A key that cannot be read, generated or used (Java's ``KeyException``)."""


class ClientError(KeyturnError):
    """Configuration that does not hold, or a state directory that cannot be read or written.

    A license that is merely bad is never an exception: ``LicenseManager.install`` returns a typed
    ``InstallResult`` instead.
    """


class UsageLimitError(ClientError):
    """The product asked to raise usage past the limit plus its overage allowance (Java's
    ``UsageLimitException``); nothing was changed, and the message is the sentence to show."""

    code = "USAGE_OVER_ALLOWANCE"

    def __init__(self, decision: object) -> None:
        super().__init__(getattr(decision, "message", ""))
        self.decision = decision
