"""The stable outcome codes: the same names in Java, the CLI's JSON and HTTP problem responses."""

from __future__ import annotations

import enum


class VerificationCode(enum.StrEnum):
    VALID = "VALID"
    MALFORMED = "MALFORMED"
    UNSUPPORTED_FORMAT = "UNSUPPORTED_FORMAT"
    UNKNOWN_KEY_ID = "UNKNOWN_KEY_ID"
    SIGNATURE_MISMATCH = "SIGNATURE_MISMATCH"
    NOT_YET_VALID = "NOT_YET_VALID"
    EXPIRED = "EXPIRED"
    INSTANCE_MISMATCH = "INSTANCE_MISMATCH"
    USAGE_EXCEEDS_LIMITS = "USAGE_EXCEEDS_LIMITS"
    REVOKED = "REVOKED"
