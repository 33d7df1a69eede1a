"""verify(): the reference's codes and messages on licenses signed here with real Ed25519 keys."""

from __future__ import annotations

import dataclasses

from keyturn import KeyRing, SigningKey, VerificationCode, read_license, verify
from keyturn.reader import ReadLimits, LicenseReader
from support import license_, utc

import pytest

from keyturn import LicenseFormatError


def test_a_signed_license_verifies_and_survives_mail(signing_key, ring) -> None:
    text = signing_key.sign(license_()).to_toml()
    mailed = "\ufeff" + text.replace("\n", "\r\n").replace(
        "seats = 25", "  seats   =   25  # seats"
    )
    for t in (text, mailed):
        v = verify(t, ring, at=utc(2027, 6, 1))
        assert v.code is VerificationCode.VALID
        assert v.message == "valid for Acme Corp until 2027-11-22T00:00:00Z"


def test_changing_a_value_breaks_the_signature(signing_key, ring) -> None:
    text = signing_key.sign(license_()).to_toml().replace("seats = 25", "seats = 26")
    assert verify(text, ring, at=utc(2027, 6, 1)).code is VerificationCode.SIGNATURE_MISMATCH


def test_checks_run_from_the_most_fundamental(signing_key, ring) -> None:
    text = signing_key.sign(license_(instance_domain="tools.acme.example")).to_toml()
    assert verify(text, ring, at=utc(2030, 1, 1), instance_domain="other.example").code is (
        VerificationCode.INSTANCE_MISMATCH
    )
    assert verify(
        text, ring, at=utc(2030, 1, 1), instance_domain="HTTPS://Tools.Acme.Example./x"
    ).code is (VerificationCode.EXPIRED)
    assert verify(text, ring, at=utc(2026, 1, 1)).code is VerificationCode.NOT_YET_VALID
    assert verify(
        text, KeyRing({"other": SigningKey.generate("other").public_key()}), at=utc(2027, 1, 1)
    ).message == (
        "the license is signed with key '2026-a', which is not among the trusted keys [other]; "
        "add the vendor's public key 2026-a.public.pem"
    )


def test_unknown_license_keys_are_signed_and_kept(signing_key, ring) -> None:
    lic = dataclasses.replace(license_(), extensions={"support": {"level": "gold"}})
    text = signing_key.sign(lic).to_toml()
    assert read_license(text).license.extensions == {"support": {"level": "gold"}}
    dropped = text.replace('support = { level = "gold" }\n', "")
    assert verify(dropped, ring, at=utc(2027, 1, 1)).code is VerificationCode.SIGNATURE_MISMATCH


def test_read_limits_are_enforced_before_parsing() -> None:
    with pytest.raises(LicenseFormatError) as e:
        LicenseReader(ReadLimits(max_file_bytes=100)).read("x" * 101)
    assert e.value.code is VerificationCode.MALFORMED
    assert "(ReadLimits.maxFileBytes)" in e.value.message
    with pytest.raises(LicenseFormatError) as e:
        read_license("a = " + "[" * 50 + "]" * 50)
    assert "nested more than 8 levels" in e.value.message


def test_read_limits_validate_themselves() -> None:
    with pytest.raises(ValueError, match="maxNestingDepth must be at least 3"):
        ReadLimits(max_nesting_depth=2)
