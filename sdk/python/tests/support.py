"""Shared fixtures: where the repository's conformance vectors are, and real keys to sign with."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
CONFORMANCE = REPO / "conformance"
VECTORS = CONFORMANCE / "vectors"


def vectors(name: str) -> dict[str, Any]:
    """A vector file; skipped with a message locally when absent, a failure under CI=true."""
    path = VECTORS / f"{name}.json"
    if not path.exists():
        skip_or_fail(f"{path} is missing: merge the conformance suite (branch conformance-green)")
    suite = json.loads(path.read_text(encoding="utf-8"))
    # A format this runner does not know must fail, not pass by ignoring what changed.
    assert (
        suite["format_version"] == 1
    ), f"{path}: format_version {suite['format_version']} is unknown"
    return suite


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.timezone.utc)


def license_(
    customer: str = "Acme Corp",
    not_before: dt.datetime = dt.datetime(2026, 11, 22, tzinfo=dt.timezone.utc),
    expires_at: dt.datetime = dt.datetime(2027, 11, 22, tzinfo=dt.timezone.utc),
    issued_at: Any = None,
    preset: str = "appliance",
    grace_days: Any = None,
    limits: Any = None,
    seats: int = 25,
    instance_domain: Any = None,
    features: tuple = ("sso", "notes"),
    license_id: str = "lic-0001",
):
    """A license with sensible defaults; tests change what they are about."""
    from keyturn import License, LicensePolicy, Policy

    policy = Policy.preset(preset)
    return License(
        id=license_id,
        subscription_id="sub-0001",
        customer=customer,
        instance_domain=instance_domain,
        tier="enterprise",
        seats=seats,
        features=features,
        tags=(),
        issued_at=issued_at or not_before,
        not_before=not_before,
        expires_at=expires_at,
        limits={"users": 50} if limits is None else limits,
        policy=LicensePolicy(
            preset, policy.grace_days if grace_days is None else grace_days, policy.grace_mode
        ),
    )


@pytest.fixture
def signing_key():
    from keyturn import SigningKey

    return SigningKey.generate("2026-a")


@pytest.fixture
def ring(signing_key):
    from keyturn import KeyRing

    return KeyRing({"2026-a": signing_key.public_key()})


def skip_or_fail(message: str) -> None:
    """A test that needs an absent program skips locally, and fails under CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
