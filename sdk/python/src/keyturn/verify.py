"""Verification of license files against a key ring, in the reference's order: readable, known
format, trusted key, good signature, right instance, then the validity window, so the code names
what must be fixed first."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Mapping, Optional

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ._time import iso
from .codes import VerificationCode
from .errors import LicenseFormatError
from .license import SignedLicense, normalize_instance_domain
from .reader import DEFAULT_LIMITS, LicenseReader, ReadLimits


@dataclass(frozen=True)
class Verification:
    """A stable code, a message a person can act on, and the license when the file could be read
    (present for every code but MALFORMED and UNSUPPORTED_FORMAT)."""

    code: VerificationCode
    message: str
    signed: Optional[SignedLicense] = None

    @property
    def valid(self) -> bool:
        return self.code is VerificationCode.VALID

    @property
    def license(self):  # -> Optional[License]
        return self.signed.license if self.signed is not None else None


class LicenseVerifier:
    def __init__(
        self, keys: Mapping[str, Ed25519PublicKey], limits: ReadLimits = DEFAULT_LIMITS
    ) -> None:
        self.keys = keys
        self.reader = LicenseReader(limits)

    def verify(
        self, text: str, at: _dt.datetime, instance_domain: Optional[str] = None
    ) -> Verification:
        """Full verification of a file's text at an instant.

        ``instance_domain`` is the product's own, or None when it has none to check.
        """
        try:
            signed = self.reader.read(text)
        except LicenseFormatError as e:
            return Verification(e.code, e.message)
        return self.verify_signed(signed, at, instance_domain)

    def verify_signed(
        self, signed: SignedLicense, at: _dt.datetime, instance_domain: Optional[str] = None
    ) -> Verification:
        authentic = self.verify_signature(signed)
        if not authentic.valid:
            return authentic
        lic = signed.license
        if lic.instance_domain is not None and instance_domain is not None:
            actual = normalize_instance_domain(instance_domain)
            if lic.instance_domain != actual:
                return Verification(
                    VerificationCode.INSTANCE_MISMATCH,
                    f"this license is for the instance '{lic.instance_domain}', not '{actual}'; "
                    "ask your vendor for a license issued to this instance",
                    signed,
                )
        if at < lic.not_before:
            return Verification(
                VerificationCode.NOT_YET_VALID,
                f"this license becomes valid at {iso(lic.not_before)}; it is now {iso(at)}",
                signed,
            )
        if not at < lic.expires_at:
            return Verification(
                VerificationCode.EXPIRED,
                f"this license expired at {iso(lic.expires_at)}; it is now {iso(at)}. "
                "Install the renewed license",
                signed,
            )
        return Verification(
            VerificationCode.VALID,
            f"valid for {lic.customer} until {iso(lic.expires_at)}",
            signed,
        )

    def verify_signature(self, signed: SignedLicense) -> Verification:
        """Only the authenticity checks, whatever the time: an installed license that has expired
        is still authentic and still gets its grace period from the lifecycle."""
        key_id = signed.signature.key_id
        key = self.keys.get(key_id)
        if key is None:
            trusted = "[" + ", ".join(self.keys) + "]"
            return Verification(
                VerificationCode.UNKNOWN_KEY_ID,
                f"the license is signed with key '{key_id}', which is not among the trusted keys "
                f"{trusted}; add the vendor's public key {key_id}.public.pem",
                signed,
            )
        try:
            key.verify(signed.signature.bytes, signed.canonical_bytes())
        except InvalidSignature:
            return Verification(
                VerificationCode.SIGNATURE_MISMATCH,
                "the signature does not match the contents: the [license] section was changed "
                "after signing, or the file was damaged. Use the file exactly as the vendor sent it",
                signed,
            )
        return Verification(VerificationCode.VALID, f"signature valid (key '{key_id}')", signed)


def verify(
    text: str,
    keys: Mapping[str, Ed25519PublicKey],
    at: _dt.datetime,
    instance_domain: Optional[str] = None,
) -> Verification:
    """Verifies a license file's text with the trusted ``keys`` at the instant ``at``."""
    return LicenseVerifier(keys).verify(text, at, instance_domain)
