"""The lifecycle engine as dated scenarios; equality with the reference is the vectors' job."""

from __future__ import annotations

import datetime as dt

import pytest

from keyturn import (
    APPLIANCE,
    SUBSCRIPTION,
    BannerLevel,
    Dismissal,
    GraceMode,
    LockAction,
    Mode,
    Phase,
    Policy,
    evaluate,
    notice_due,
)
from support import license_, utc

EXPIRES = utc(2027, 11, 22)


def test_appliance_walks_through_its_stages() -> None:
    lic = license_()
    days = {
        -31: (Phase.ACTIVE, Mode.FULL, ""),
        -30: (Phase.EXPIRING, Mode.FULL, "D-30"),
        -7: (Phase.EXPIRING, Mode.FULL, "D-7"),
        0: (Phase.GRACE, Mode.FULL, "EXPIRY"),
        60: (Phase.LOCKED, Mode.LOCKED, "LOCK"),
    }
    for day, (phase, mode, stage) in days.items():
        s = evaluate(lic, EXPIRES + dt.timedelta(days=day))
        assert (s.phase, s.mode, s.stage_id) == (phase, mode, stage), day


def test_days_left_round_up_and_the_last_day_follows_the_viewer_calendar() -> None:
    s = evaluate(license_(), EXPIRES - dt.timedelta(days=30) + dt.timedelta(hours=1))
    assert s.days_until_expiry == 30
    last = evaluate(license_(), EXPIRES - dt.timedelta(hours=2), zone="America/Sao_Paulo")
    assert last.banner.text == (
        "Your license expires today at 21:00 BRT. Renew it now to keep working without interruption."
    )
    tokyo = evaluate(license_(), EXPIRES - dt.timedelta(hours=2), zone="Asia/Tokyo")
    assert "expires today at 09:00 JST" in tokyo.banner.text


def test_subscription_grace_is_read_only_then_suspended() -> None:
    lic = license_(preset="subscription")
    grace = evaluate(lic, EXPIRES + dt.timedelta(days=1))
    assert grace.mode is Mode.READ_ONLY
    assert "The product is read-only: 6 days remaining before suspension." in grace.banner.text
    assert evaluate(lic, EXPIRES + dt.timedelta(days=7)).banner.text.endswith(
        "the product is suspended. Paste a renewed license to continue; none of your data has been touched."
    )


def test_after_downtime_only_the_most_urgent_notice_is_due() -> None:
    assert notice_due(APPLIANCE, EXPIRES, None, EXPIRES - dt.timedelta(days=6)).id == "D-7"
    assert notice_due(APPLIANCE, EXPIRES, "D-7", EXPIRES - dt.timedelta(days=6)) is None
    assert notice_due(APPLIANCE, EXPIRES, "D-30", EXPIRES + dt.timedelta(days=1)).id == "EXPIRY"
    # A stage of another preset is placed by its name.
    assert notice_due(SUBSCRIPTION, EXPIRES, "D-15", EXPIRES - dt.timedelta(days=10)) is None


def test_custom_policies_only_grow_more_insistent() -> None:
    custom = (
        Policy.builder("custom")
        .reminder(14, BannerLevel.INFO, Dismissal.FOR_24H)
        .reminder(3, BannerLevel.DANGER, Dismissal.NOT_DISMISSIBLE)
        .grace(10, GraceMode.READ_ONLY)
        .lock_action(LockAction.SUSPEND)
        .build()
    )
    assert [s.id for s in custom.stages] == ["D-14", "D-3", "EXPIRY", "LOCK"]
    assert (
        evaluate(license_(), EXPIRES - dt.timedelta(days=3), custom).banner.level
        is BannerLevel.DANGER
    )
    with pytest.raises(ValueError, match="less insistent"):
        Policy.builder("bad").reminder(10, BannerLevel.DANGER, Dismissal.TO_PILL).reminder(
            5, BannerLevel.INFO, Dismissal.TO_PILL
        ).build()


def test_next_change_includes_the_viewer_midnight() -> None:
    now = EXPIRES - dt.timedelta(hours=20)  # 2027-11-21T04:00Z; midnight in Paris is 23:00Z
    s = evaluate(license_(), now, zone="Europe/Paris")
    assert s.next_change_at == utc(2027, 11, 21, 23)
