"""Every case of conformance/vectors/verification.json: read the bytes, verify at the instant with
the ring and instance domain, then compare code, message, license JSON, canonical form and token."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from keyturn import KeyRing, LicenseFormatError, LicenseVerifier
from keyturn._time import instant
from keyturn.cli import license_view
from keyturn.reader import LicenseReader

from support import CONFORMANCE, vectors

SUITE = (
    vectors("verification")
    if (CONFORMANCE / "vectors/verification.json").exists()
    else {"cases": []}
)


def key_ring(name: str) -> KeyRing:
    rings = vectors("keys")["key_rings"]
    ring = KeyRing()
    for key_id in rings[name]:
        ring.add_path(CONFORMANCE / "keys" / f"{key_id}.public.pem")
    return ring


def check_message(actual: str, expected: dict[str, Any]) -> None:
    if expected["message_match"] == "exact":
        assert actual == expected["message"]
    else:
        assert actual.startswith(expected["message_prefix"]), actual


def test_the_suite_is_there() -> None:
    assert len(vectors("verification")["cases"]) > 100


@pytest.mark.parametrize("case", SUITE["cases"], ids=lambda c: c["name"])
def test_verification_vector(case: dict[str, Any]) -> None:
    expected = case["expected"]
    verifier = LicenseVerifier(key_ring(case["key_ring"]))
    data = base64.b64decode(case["file_base64"])
    try:
        signed = LicenseReader().read_bytes(data)
    except LicenseFormatError as e:
        assert e.code.value == expected["code"]
        check_message(e.message, expected)
        assert expected["license"] is None
        return
    v = verifier.verify_signed(signed, instant(case["at"]), case["instance_domain"])
    assert v.code.value == expected["code"], v.message
    check_message(v.message, expected)
    assert verifier.verify_signature(signed).code.value == expected["signature_code"]
    assert license_view(signed) == expected["license"]
    assert signed.canonical_bytes().decode("utf-8") == expected["canonical"]
    assert signed.check_in_token() == expected["check_in_token"]


INSTANCE_DOMAINS = SUITE.get("instance_domains", [])


@pytest.mark.parametrize("case", INSTANCE_DOMAINS, ids=lambda c: repr(c["input"]))
def test_instance_domain(case: dict[str, Any]) -> None:
    from keyturn.license import normalize_instance_domain

    if case["error"] is not None:
        with pytest.raises(ValueError) as e:
            normalize_instance_domain(case["input"])
        assert str(e.value) == case["error"]
    else:
        assert normalize_instance_domain(case["input"]) == case["normalized"]


def test_the_writer_writes_a_license_as_the_java_writer_does() -> None:
    """Read the reference's file and write it again: the same bytes."""
    base = next(c for c in vectors("verification")["cases"] if c["name"] == "valid/base")
    text = base64.b64decode(base["file_base64"]).decode("utf-8")
    assert LicenseReader().read(text).to_toml() == text
