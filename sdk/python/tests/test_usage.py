"""Issue 18 in the Python client, as dated scenarios on a settable clock in São Paulo: usage the
product reports, the overage banner and refusals, and a downgrade installed by another process
(keyturn install) checked against the recorded usage."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from keyturn import ClientError, VerificationCode
from keyturn.client import LicenseManager, SettableClock, StandingFlag
from keyturn.errors import UsageLimitError
from keyturn.lifecycle import BannerLevel
from support import license_, utc


def overage(lic, **percent):
    return dataclasses.replace(lic, extensions={**lic.extensions, "overage_percent": dict(percent)})


def manager(tmp_path, ring, clock) -> LicenseManager:
    return LicenseManager(
        tmp_path / "state", ring, clock=clock, zone="America/Sao_Paulo", background=False
    )


def test_overage_warns_then_refuses_growth_and_never_locks(tmp_path, ring, signing_key) -> None:
    clock = SettableClock(utc(2027, 1, 10, 12))
    m = manager(tmp_path, ring, clock)
    m.install(signing_key.sign(overage(license_(), users=10)).to_toml())

    assert m.report_usage({"users": 50}).level.value == "WITHIN"
    clock.advance(dt.timedelta(days=10))
    m.report_usage({"users": 53})
    s = m.standing()
    assert s.flags == (StandingFlag.USAGE_OVER_LIMIT,)
    assert s.banner.level is BannerLevel.WARNING
    assert s.banner.text == (
        "users: 53 in use, above the licensed 50; the 10% overage allowance permits up to 55. "
        "Ask your vendor to raise the limit."
    )
    assert m.check_increase("users", 2).allowed
    with pytest.raises(UsageLimitError) as refused:
        m.require_increase("users", 3)
    assert str(refused.value).startswith("Adding 3 to users would bring it to 56")

    m.report_usage({"users": 60})
    assert m.standing().flags == (StandingFlag.USAGE_OVER_ALLOWANCE,)
    assert m.standing().banner.level is BannerLevel.DANGER
    assert m.mode().value == "FULL" and m.allows("sso")
    with pytest.raises(ClientError):
        m.report_usage({"users": -1})


def test_a_downgrade_by_another_process_is_checked_against_the_recorded_usage(
    tmp_path, ring, signing_key
) -> None:
    clock = SettableClock(utc(2027, 1, 10, 12))
    product = manager(tmp_path, ring, clock)
    product.install(signing_key.sign(license_()).to_toml())
    product.report_usage({"users": 40})
    product.close()
    smaller = signing_key.sign(
        license_(license_id="lic-small", limits={"users": 30}, expires_at=utc(2027, 12, 1))
    ).to_toml()

    clock.advance(dt.timedelta(hours=2))
    r = manager(tmp_path, ring, clock).install(smaller)
    assert r.code is VerificationCode.USAGE_EXCEEDS_LIMITS
    assert r.message.endswith("(usage as the product recorded it at 2027-01-10T12:00:00Z)")

    clock.advance(dt.timedelta(hours=23))
    r = manager(tmp_path, ring, clock).install(smaller)
    assert r.code is VerificationCode.USAGE_EXCEEDS_LIMITS
    assert "more than 24 hours ago, too old to trust" in r.message
