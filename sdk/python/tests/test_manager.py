"""LicenseManager as dated scenarios on a settable clock, with real files in a temporary state
directory: install, newest in force, downgrades, the clock guard, the signed state, the audit log."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from keyturn import ClientError, Mode, VerificationCode
from keyturn.client import (
    UNLIMITED,
    DismissOutcome,
    LicenseManager,
    SettableClock,
    StandingFlag,
    verify_audit_log,
)
from keyturn.client.state import STATE_FILE
from support import license_, utc

START = utc(2027, 1, 1)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START)


def manager(tmp_path, ring, clock, **kwargs) -> LicenseManager:
    return LicenseManager(
        tmp_path / "state", ring, clock=clock, zone="UTC", background=False, **kwargs
    )


def test_without_a_license_the_product_is_locked(tmp_path, ring, clock) -> None:
    m = manager(tmp_path, ring, clock)
    s = m.standing()
    assert (m.mode(), m.allows("sso"), m.limit("users")) == (Mode.LOCKED, False, 0)
    assert s.flags == (StandingFlag.NO_LICENSE,)
    assert s.banner.text.startswith("No license is installed.")


def test_install_unlocks_and_is_written_atomically_and_audited(
    tmp_path, ring, clock, signing_key
) -> None:
    m = manager(tmp_path, ring, clock)
    text = signing_key.sign(license_()).to_toml()
    r = m.install(text)
    assert r.installed and r.in_force
    assert r.message == "installed license lic-0001 for Acme Corp, valid until 2027-11-22T00:00:00Z"
    assert (m.mode(), m.allows("sso"), m.allows("other")) == (Mode.FULL, True, False)
    assert (m.limit("users"), m.limit("seats"), m.limit("projects")) == (50, 25, UNLIMITED)
    stored = list((tmp_path / "state" / "licenses").iterdir())
    assert [f.read_text() for f in stored] == [text]
    assert not [f for f in stored if ".tmp-" in f.name]
    assert m.install(text).message == "license lic-0001 is already installed and in force"
    events = [e.event for e in m.audit_log.entries()]
    assert events == ["installed"]
    assert verify_audit_log(tmp_path / "state").intact


def test_a_rejected_install_changes_nothing_but_the_audit_log(
    tmp_path, ring, clock, signing_key
) -> None:
    m = manager(tmp_path, ring, clock)
    tampered = signing_key.sign(license_()).to_toml().replace("Acme Corp", "Evil Corp")
    r = m.install(tampered)
    assert r.code is VerificationCode.SIGNATURE_MISMATCH and not r.installed
    assert m.mode() is Mode.LOCKED
    assert not list((tmp_path / "state" / "licenses").iterdir())
    assert [e.event for e in m.audit_log.entries()] == ["install_rejected"]


def test_the_newest_license_is_in_force_and_an_older_one_is_kept(
    tmp_path, ring, clock, signing_key
) -> None:
    m = manager(tmp_path, ring, clock)
    newer = license_(license_id="lic-new", expires_at=utc(2028, 11, 22))
    older = license_(license_id="lic-old")
    assert m.install(signing_key.sign(newer).to_toml()).in_force
    r = m.install(signing_key.sign(older).to_toml())
    assert r.installed and not r.in_force
    assert (
        r.message
        == "installed license lic-old, but license lic-new expires later and stays in force"
    )
    assert m.standing().license.id == "lic-new"


def test_a_downgrade_below_usage_is_refused(tmp_path, ring, clock, signing_key) -> None:
    m = manager(tmp_path, ring, clock, usage=lambda: {"users": 40})
    m.install(signing_key.sign(license_()).to_toml())
    smaller = license_(license_id="lic-small", expires_at=utc(2028, 1, 1), limits={"users": 30})
    r = m.install(signing_key.sign(smaller).to_toml())
    assert r.code is VerificationCode.USAGE_EXCEEDS_LIMITS
    assert [(e.limit, e.usage, e.new_value) for e in r.excesses] == [("users", 40, 30)]
    assert "users: 40 in use, the new license allows 30" in r.message
    bigger = license_(license_id="lic-big", expires_at=utc(2028, 1, 1), limits={"users": 100})
    assert m.install(signing_key.sign(bigger).to_toml()).in_force


def test_a_failing_usage_probe_is_a_client_error(tmp_path, ring, clock, signing_key) -> None:
    def broken() -> dict:
        raise RuntimeError("database down")

    m = manager(tmp_path, ring, clock, usage=broken)
    with pytest.raises(ClientError, match="usage probe failed"):
        m.install(signing_key.sign(license_()).to_toml())


def test_dated_scenario_through_grace_to_lock_and_a_renewal(
    tmp_path, ring, clock, signing_key
) -> None:
    m = manager(tmp_path, ring, clock)
    m.install(signing_key.sign(license_()).to_toml())
    clock.set(utc(2027, 10, 23, 1))  # D-30
    assert m.standing().summary == "expires in 30 days"
    assert m.dismiss().outcome is DismissOutcome.HIDDEN
    assert m.standing().banner.display.value == "HIDDEN"
    clock.advance(dt.timedelta(days=90))  # 60 days of grace are over
    m.refresh()
    assert m.mode() is Mode.LOCKED and not m.allows("sso")
    renewal = license_(
        license_id="lic-2028", not_before=utc(2027, 11, 22), expires_at=utc(2028, 11, 22)
    )
    assert m.install(signing_key.sign(renewal).to_toml()).in_force
    assert m.mode() is Mode.FULL and m.allows("sso")
    stages = [e.data["stage"] for e in m.audit_log.entries() if e.event == "stage_entered"]
    assert stages == ["D-30", "LOCK"]


def test_turning_the_clock_back_never_grants_time(tmp_path, ring, clock, signing_key) -> None:
    m = manager(tmp_path, ring, clock)
    m.install(signing_key.sign(license_()).to_toml())
    clock.advance(dt.timedelta(days=400))
    m.refresh()
    assert m.mode() is Mode.LOCKED
    clock.set(utc(2027, 6, 1))
    s = m.standing()
    assert m.mode() is Mode.LOCKED
    assert StandingFlag.CLOCK_ROLLBACK in s.flags
    assert s.summary == "locked, clock rollback"
    # A restart does not forget: the mark is in the signed state file.
    again = manager(tmp_path, ring, clock)
    assert again.mode() is Mode.LOCKED
    assert again.standing().has(StandingFlag.CLOCK_ROLLBACK)


def test_a_forged_state_file_is_rebuilt_from_evidence(tmp_path, ring, clock, signing_key) -> None:
    m = manager(tmp_path, ring, clock)
    m.install(signing_key.sign(license_()).to_toml())
    clock.advance(dt.timedelta(days=400))
    m.refresh()
    state_file = tmp_path / "state" / STATE_FILE
    document = json.loads(state_file.read_text())
    document["state"]["high_water"] = "2027-01-01T00:00:00Z"
    state_file.write_text(json.dumps(document))
    clock.set(utc(2027, 2, 1))
    again = manager(tmp_path, ring, clock)
    s = again.standing()
    assert StandingFlag.STATE_RESET in s.flags
    # The audit log's latest entry is evidence of time: the product stays locked.
    assert again.mode() is Mode.LOCKED
    events = [e.event for e in again.audit_log.entries()]
    assert events[events.index("state_reset") :] == [
        "state_reset",
        "clock_rollback",
        "stage_entered",
    ]


def test_an_edited_audit_line_breaks_the_chain(tmp_path, ring, clock, signing_key) -> None:
    m = manager(tmp_path, ring, clock)
    m.install(signing_key.sign(license_()).to_toml())
    m.install("not a license")
    log = tmp_path / "state" / "audit.log"
    lines = log.read_text().splitlines()
    lines[0] = lines[0].replace("enterprise", "basic")
    log.write_text("\n".join(lines) + "\n")
    result = verify_audit_log(tmp_path / "state")
    assert result.broken_line == 1
    assert (
        result.message
        == "line 1 was changed after it was written: line 2 records a different hash for it"
    )


def test_read_only_managers_write_nothing(tmp_path, ring, clock, signing_key) -> None:
    manager(tmp_path, ring, clock).install(signing_key.sign(license_()).to_toml())
    before = sorted(os.listdir(tmp_path / "state"))
    mtime = (tmp_path / "state" / STATE_FILE).stat().st_mtime_ns
    ro = manager(tmp_path, ring, clock, read_only=True)
    assert ro.standing().license.id == "lic-0001"
    with pytest.raises(ClientError, match="read-only"):
        ro.install("x")
    assert sorted(os.listdir(tmp_path / "state")) == before
    assert (tmp_path / "state" / STATE_FILE).stat().st_mtime_ns == mtime


def test_the_background_thread_picks_up_a_license_installed_by_another_process(
    tmp_path, ring, signing_key
) -> None:
    from keyturn.client import SystemClock

    product = LicenseManager(tmp_path / "state", ring, clock=SystemClock(), zone="UTC")
    try:
        assert product.mode() is Mode.LOCKED
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        lic = license_(
            not_before=now - dt.timedelta(days=1), expires_at=now + dt.timedelta(days=365)
        )
        other = LicenseManager(tmp_path / "state", ring, clock=SystemClock(), background=False)
        assert other.install(signing_key.sign(lic).to_toml()).installed
        product.refresh()  # what the thread does at least once a minute
        assert product.mode() is Mode.FULL
    finally:
        product.close()
