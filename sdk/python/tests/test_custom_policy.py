"""A license carrying a whole custom policy (format 2): signed, written, read back, followed."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from keyturn import (
    BannerLevel,
    Dismissal,
    GraceMode,
    LicenseFormatError,
    LockAction,
    Mode,
    Policy,
    Recipient,
    VerificationCode,
    evaluate,
    read_license,
    verify,
)
from support import license_, utc

EXPIRES = utc(2027, 11, 22)

PARTNER = (
    Policy.builder("partner")
    .reminder(30, BannerLevel.INFO, Dismissal.UNTIL_NEXT_STAGE, (Recipient.CUSTOMER,))
    .reminder(
        15, BannerLevel.WARNING, Dismissal.FOR_24H, (Recipient.WEBHOOK, Recipient.ACCOUNT_TEAM)
    )
    .grace(90, GraceMode.READ_ONLY)
    .lock_action(LockAction.LOCK)
    .lock_notify(())
    .build()
)


def test_a_custom_policy_is_signed_as_format_2_and_reads_back_to_the_same_policy(
    signing_key, ring
) -> None:
    lic = dataclasses.replace(license_(), policy=PARTNER.to_license_policy())
    text = signing_key.sign(lic).to_toml()

    assert "format = 2\n" in text
    assert 'notify = ["account-team", "webhook"]' in text
    v = verify(text, ring, at=utc(2027, 6, 1))
    assert v.code is VerificationCode.VALID, v.message
    assert Policy.for_license(v.license.policy) == PARTNER
    assert PARTNER.stage("LOCK").notice is False


def test_the_product_follows_the_signed_policy_into_read_only_grace_and_the_lock(
    signing_key,
) -> None:
    lic = dataclasses.replace(license_(), policy=PARTNER.to_license_policy())
    read = read_license(signing_key.sign(lic).to_toml()).license

    d15 = evaluate(read, EXPIRES - dt.timedelta(days=15))
    assert (d15.stage_id, d15.banner.level) == ("D-15", BannerLevel.WARNING)
    assert evaluate(read, EXPIRES + dt.timedelta(days=89)).mode is Mode.READ_ONLY
    assert evaluate(read, EXPIRES + dt.timedelta(days=90)).mode is Mode.LOCKED


def test_a_preset_with_its_own_grace_stays_format_1(signing_key) -> None:
    policy = Policy.preset("appliance").with_grace(30, GraceMode.READ_ONLY)
    lic = dataclasses.replace(license_(), policy=policy.to_license_policy())

    assert signing_key.sign(lic).format == 1


def test_a_newer_format_says_to_update_the_product(signing_key) -> None:
    text = signing_key.sign(license_()).to_toml().replace("format = 1", "format = 3")

    with pytest.raises(LicenseFormatError) as e:
        read_license(text)
    assert e.value.code is VerificationCode.UNSUPPORTED_FORMAT
    assert str(e.value) == (
        "license format 3 is newer than this product understands (format 2); "
        "update the product to use this license"
    )
