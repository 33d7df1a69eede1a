"""The lifecycle engine: a pure function of (license, instant, policy). Server reminders, client
banners and the CLI all follow it, so they cannot disagree."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Optional

from .._time import DAY, epoch_seconds
from ..license import GraceMode, License
from . import zones
from .model import (
    NO_BANNER,
    Banner,
    BannerLevel,
    Dismissal,
    LockAction,
    Mode,
    Phase,
    Stage,
    Standing,
)
from .policy import Policy

_DAY_SECONDS = 86400


def evaluate(
    license_: License,
    now: _dt.datetime,
    policy: Optional[Policy] = None,
    zone: zones.ZoneLike = None,
) -> Standing:
    """The standing of ``license_`` at ``now``; banner texts written for a viewer in ``zone``.

    ``policy`` defaults to the one the license carries (its preset with its signed grace, or the
    whole custom policy of a format-2 file).
    """
    if policy is None:
        policy = Policy.for_license(license_.policy)
    return evaluate_window(license_.not_before, license_.expires_at, now, policy, zone)


def evaluate_window(
    not_before: _dt.datetime,
    expires_at: _dt.datetime,
    now: _dt.datetime,
    policy: Policy,
    zone: zones.ZoneLike = None,
) -> Standing:
    """The same for a bare validity window, e.g. to preview a license before it is issued."""
    z = zones.zone(zone)
    locks_at = expires_at + policy.grace_period
    days_until_expiry = _days_until(now, expires_at)
    days_until_lock = _days_until(now, locks_at)
    if now < not_before:
        banner = Banner(
            BannerLevel.LOCK,
            Dismissal.NOT_DISMISSIBLE,
            f"This license becomes valid on {zones.date_time_text(not_before, z)}.",
        )
        return Standing(
            Phase.NOT_YET_VALID,
            None,
            days_until_expiry,
            days_until_lock,
            banner,
            Mode.LOCKED,
            expires_at,
            locks_at,
            not_before,
            not_before,
        )
    stage = _current_stage(policy, expires_at, now)
    next_transition = _next_transition(policy, expires_at, now)
    phase = stage.phase if stage is not None else Phase.ACTIVE
    mode = _mode(phase, policy)
    if stage is None:
        banner = NO_BANNER
    else:
        text = _text(stage, now, expires_at, days_until_expiry, days_until_lock, policy, z)
        banner = Banner(stage.level, stage.dismissal, text)
    next_change = (
        None
        if phase is Phase.LOCKED
        else _next_change(now, expires_at, next_transition, days_until_expiry, z)
    )
    return Standing(
        phase,
        stage,
        days_until_expiry,
        days_until_lock,
        banner,
        mode,
        expires_at,
        locks_at,
        next_change,
        next_transition,
    )


def notice_due(
    policy: Policy,
    expires_at: _dt.datetime,
    last_notified: Optional[str],
    now: _dt.datetime,
) -> Optional[Stage]:
    """The single most urgent stage crossed and not yet notified. After downtime across several
    stages only the latest one, so a customer never gets a burst of stale reminders.

    ``last_notified`` is the id of the last stage already notified for this license, if any.
    """
    due: Optional[Stage] = None
    for s in policy.stages:
        if s.notice and not s.starts_at(expires_at) > now:
            due = s
    if due is None or last_notified is None:
        return due
    sent_offset = _offset_of(policy, last_notified)
    if due.offset < sent_offset:
        return None
    if due.offset == sent_offset and policy.stages.index(due) <= _index_of(policy, last_notified):
        return None
    return due


def _mode(phase: Phase, policy: Policy) -> Mode:
    if phase in (Phase.NOT_YET_VALID, Phase.LOCKED):
        return Mode.LOCKED
    if phase is Phase.GRACE and policy.grace_mode is GraceMode.READ_ONLY:
        return Mode.READ_ONLY
    return Mode.FULL


def _current_stage(policy: Policy, expires_at: _dt.datetime, now: _dt.datetime) -> Optional[Stage]:
    current = None
    for s in policy.stages:
        # Stages are in order; with no grace, LOCK follows EXPIRY at the same instant and wins.
        if not s.starts_at(expires_at) > now:
            current = s
    return current


def _next_transition(
    policy: Policy, expires_at: _dt.datetime, now: _dt.datetime
) -> Optional[_dt.datetime]:
    for s in policy.stages:
        t = s.starts_at(expires_at)
        if t > now:
            return t
    return None


def _text(
    stage: Stage,
    now: _dt.datetime,
    expires_at: _dt.datetime,
    days_until_expiry: int,
    days_until_lock: int,
    policy: Policy,
    z: zones.Zone,
) -> str:
    if stage.phase is Phase.EXPIRING:
        return _expiring(now, expires_at, days_until_expiry, z)
    if stage.phase is Phase.GRACE:
        return _grace(expires_at, days_until_lock, policy, z)
    if stage.phase is Phase.LOCKED:
        return (
            f"Your license expired on {zones.date_time_text(expires_at, z)} and the grace period "
            f"has ended: the product is {policy.lock_action.past_tense}. Paste a renewed license "
            "to continue; none of your data has been touched."
        )
    return ""


def _expiring(now: _dt.datetime, expires_at: _dt.datetime, days: int, z: zones.Zone) -> str:
    if days > 1:
        return (
            f"Your license expires in {days} days, on {zones.date_time_text(expires_at, z)}. "
            "Renew it to keep working without interruption."
        )
    # The last 24 hours: "today" or "tomorrow" as the viewer's own calendar has it.
    when = "today" if z.local(expires_at).date() == z.local(now).date() else "tomorrow"
    return (
        f"Your license expires {when} at {zones.time_text(expires_at, z)}. "
        "Renew it now to keep working without interruption."
    )


def _grace(expires_at: _dt.datetime, days_until_lock: int, policy: Policy, z: zones.Zone) -> str:
    expired = f"Your license expired on {zones.date_time_text(expires_at, z)}. "
    remaining = f"{days_until_lock}{' day' if days_until_lock == 1 else ' days'} remaining before "
    action = "lock" if policy.lock_action is LockAction.LOCK else "suspension"
    if policy.grace_mode is GraceMode.FULL:
        return f"{expired}{remaining}{action}. Renew to keep working."
    return f"{expired}The product is read-only: {remaining}{action}. Renew to resume full use."


def _next_change(
    now: _dt.datetime,
    expires_at: _dt.datetime,
    next_transition: Optional[_dt.datetime],
    days_until_expiry: int,
    z: zones.Zone,
) -> _dt.datetime:
    """Day counts change on the 24-hour grid anchored at expiry; in the last day the text also
    changes at the viewer's midnight."""
    since_expiry = epoch_seconds(now) - epoch_seconds(expires_at)
    nxt = expires_at + _dt.timedelta(seconds=(since_expiry // _DAY_SECONDS + 1) * _DAY_SECONDS)
    if next_transition is not None and next_transition < nxt:
        nxt = next_transition
    if days_until_expiry == 1:
        midnight = _next_midnight(now, z)
        if midnight < nxt:
            nxt = midnight
    return nxt


def _next_midnight(now: _dt.datetime, z: zones.Zone) -> _dt.datetime:
    """Java's ``toLocalDate().plusDays(1).atStartOfDay(zone)``: in a gap, the first valid instant."""
    tomorrow = z.local(now).date() + DAY
    naive = _dt.datetime.combine(tomorrow, _dt.time(0))
    local = naive.replace(tzinfo=z.tz)
    utc = local.astimezone(_dt.timezone.utc)
    if utc.astimezone(z.tz).replace(tzinfo=None) != naive:
        # Midnight does not exist that day (a DST gap): the day starts at the end of the gap.
        probe = naive
        while True:
            probe += _dt.timedelta(minutes=1)
            candidate = probe.replace(tzinfo=z.tz).astimezone(_dt.timezone.utc)
            if candidate.astimezone(z.tz).replace(tzinfo=None) == probe:
                return candidate
    # In an overlap, the earlier offset (fold=0) is what Java picks too.
    return utc


def _days_until(now: _dt.datetime, then: _dt.datetime) -> int:
    seconds = epoch_seconds(then) - epoch_seconds(now)
    return 0 if seconds <= 0 else (seconds + _DAY_SECONDS - 1) // _DAY_SECONDS


def _offset_of(policy: Policy, stage_id: str) -> _dt.timedelta:
    known = policy.stage(stage_id)
    if known is not None:
        return known.offset
    # A stage of an earlier policy (the subscription changed preset): place it by its name.
    if re.fullmatch(r"D-[0-9]{1,3}", stage_id):
        return _dt.timedelta(days=-int(stage_id[2:]))
    raise ValueError(f"unknown notice stage '{stage_id}'")


def _index_of(policy: Policy, stage_id: str) -> int:
    for i, s in enumerate(policy.stages):
        if s.id == stage_id:
            return i
    return -1
