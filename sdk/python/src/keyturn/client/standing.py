"""What the client says about the license in force: the lifecycle standing at the guarded time,
the client's flags, and the banner after dismissals; plus the snapshot the hot path reads."""

from __future__ import annotations

import datetime as _dt
import enum
from dataclasses import dataclass, field
from typing import Mapping, Optional

from ..license import License
from ..lifecycle import BannerLevel, Dismissal, Mode, Phase, Policy, Standing, evaluate, zones
from ..lifecycle.usage import NO_USAGE, UsageLevel, UsageStanding, evaluate_usage, licensed
from .guard import GuardedTime
from .history import InstalledLicense
from .state import PersistentState

UNLIMITED = 2**63 - 1
DISMISS_FOR = _dt.timedelta(hours=24)
NO_LICENSE_TEXT = "No license is installed. Paste the license file from your vendor to start."
DEFAULT_PAYMENT_TEXT = (
    "Your last payment failed: update your payment details to keep the subscription active."
)
SEATS = "seats"


class StandingFlag(enum.StrEnum):
    """Conditions the client adds to the lifecycle standing, most serious first."""

    NO_LICENSE = "NO_LICENSE"
    REVOKED = "REVOKED"
    CLOCK_ROLLBACK = "CLOCK_ROLLBACK"
    PAYMENT_FAILING = "PAYMENT_FAILING"
    INSTANCE_CONFLICT = "INSTANCE_CONFLICT"
    STATE_RESET = "STATE_RESET"
    USAGE_OVER_LIMIT = "USAGE_OVER_LIMIT"
    USAGE_OVER_ALLOWANCE = "USAGE_OVER_ALLOWANCE"


class BannerDisplay(enum.StrEnum):
    NONE = "NONE"
    SHOWN = "SHOWN"
    HIDDEN = "HIDDEN"
    PILL = "PILL"


@dataclass(frozen=True)
class BannerView:
    """The banner as the product should render it, after the user's dismissal."""

    level: BannerLevel
    dismissal: Dismissal
    text: str
    display: BannerDisplay
    hidden_until: Optional[_dt.datetime] = None
    pill_text: str = ""
    stage_id: str = ""

    @property
    def visible(self) -> bool:
        return self.display is BannerDisplay.SHOWN


NO_BANNER_VIEW = BannerView(BannerLevel.NONE, Dismissal.NONE, "", BannerDisplay.NONE)


@dataclass(frozen=True)
class ClientStanding:
    """Everything ``keyturn status`` or a license page shows. ``phase`` and ``mode`` are the final
    word, flags included: a revoked license or none at all is LOCKED."""

    license: Optional[License]
    lifecycle: Optional[Standing]
    phase: Phase
    mode: Mode
    summary: str
    days_until_expiry: int
    days_until_lock: int
    flags: tuple[StandingFlag, ...]
    notices: tuple[str, ...]
    banner: BannerView
    evaluated_at: _dt.datetime
    clock_time: _dt.datetime
    next_change_at: Optional[_dt.datetime]
    usage: UsageStanding = NO_USAGE

    def has(self, flag: StandingFlag) -> bool:
        return flag in self.flags

    @property
    def expires_at(self) -> Optional[_dt.datetime]:
        return self.license.expires_at if self.license is not None else None

    @property
    def locks_at(self) -> Optional[_dt.datetime]:
        return self.lifecycle.locks_at if self.lifecycle is not None else None

    @property
    def stage_id(self) -> str:
        return self.lifecycle.stage_id if self.lifecycle is not None else ""


@dataclass(frozen=True)
class Snapshot:
    """What the hot path reads: built once per change, never modified, swapped in one assignment
    (atomic in CPython), so ``allows``/``limit``/``mode`` take no lock and read no clock."""

    mode: Mode
    features: frozenset[str]
    limits: Mapping[str, int]
    absent_limit: int
    valid_until: Optional[_dt.datetime] = field(default=None)

    @staticmethod
    def of(
        mode: Mode,
        features: tuple[str, ...],
        limits: Mapping[str, int],
        absent_limit: int,
        valid_until: Optional[_dt.datetime],
    ) -> "Snapshot":
        # A locked product grants no feature, whatever the license lists.
        granted = frozenset() if mode is Mode.LOCKED else frozenset(features)
        return Snapshot(mode, granted, dict(limits), absent_limit, valid_until)


NOTHING = Snapshot(Mode.LOCKED, frozenset(), {}, 0, None)


def limit_of(lic: License, name: str) -> int:
    """A named limit; for ``seats`` when not named, the license's seats (0 = unlimited)."""
    value = licensed(lic, name)
    return UNLIMITED if value is None else value


def all_limits(lic: License) -> dict[str, int]:
    out = dict(sorted(lic.limits.items()))
    out.setdefault(SEATS, limit_of(lic, SEATS))
    return out


@dataclass(frozen=True)
class LimitExcess:
    """One limit a license would lower below what is in use."""

    limit: str
    usage: int
    new_value: int

    def __str__(self) -> str:
        return f"{self.limit}: {self.usage} in use, the new license allows {self.new_value}"


def excesses(
    current: Optional[License], nxt: License, usage: Mapping[str, int]
) -> list[LimitExcess]:
    """Limits the new license would lower below usage. A limit that stays or rises never counts,
    even if usage is already above it: upgrades always install."""
    out = []
    for name in sorted(k for k in usage if k is not None):
        used = usage[name]
        if used is None:
            continue
        new_value = limit_of(nxt, name)
        old_value = limit_of(current, name) if current is not None else UNLIMITED
        if new_value < old_value and used > new_value:
            out.append(LimitExcess(name, used, new_value))
    return out


def evaluate_client(
    shown: Optional[InstalledLicense],
    next_activation: Optional[_dt.datetime],
    time: GuardedTime,
    state: PersistentState,
    session_flags: set[StandingFlag],
    zone: zones.Zone,
    usage: Mapping[str, int] = {},
) -> tuple[ClientStanding, Snapshot]:
    """A pure function: the standing and the snapshot from the license in force (or, when none is
    yet, the next to start), the guarded time and the persisted state."""
    at = time.effective
    flags = set(session_flags)
    if time.rollback:
        flags.add(StandingFlag.CLOCK_ROLLBACK)
    if shown is None:
        flags.add(StandingFlag.NO_LICENSE)
        notices = _notices(flags, time, state, zone, None)
        banner = BannerView(
            BannerLevel.LOCK, Dismissal.NOT_DISMISSIBLE, " ".join(notices), BannerDisplay.SHOWN
        )
        standing = ClientStanding(
            None,
            None,
            Phase.LOCKED,
            Mode.LOCKED,
            _summary(flags, Phase.LOCKED, None, at, zone),
            0,
            0,
            _ordered(flags),
            tuple(notices),
            banner,
            at,
            time.clock,
            next_activation,
        )
        return standing, Snapshot.of(Mode.LOCKED, (), {}, 0, next_activation)

    lic = shown.license
    lifecycle = evaluate(lic, at, Policy.for_license(lic.policy), zone)
    revocation = state.revocation_reason(lic.id)
    if revocation is not None:
        flags.add(StandingFlag.REVOKED)
    if state.payment_failing is not None:
        flags.add(StandingFlag.PAYMENT_FAILING)
    if state.instance_conflict:
        flags.add(StandingFlag.INSTANCE_CONFLICT)
    usage_standing = NO_USAGE if revocation is not None else evaluate_usage(lic, usage)
    if usage_standing.level is UsageLevel.OVER_LIMIT:
        flags.add(StandingFlag.USAGE_OVER_LIMIT)
    elif usage_standing.level is UsageLevel.OVER_ALLOWANCE:
        flags.add(StandingFlag.USAGE_OVER_ALLOWANCE)
    notices = _notices(flags, time, state, zone, lic)
    notices.extend(lu.text for lu in usage_standing.exceeded())
    phase = Phase.LOCKED if revocation is not None else lifecycle.phase
    mode = Mode.LOCKED if revocation is not None else lifecycle.mode
    if revocation is not None:
        banner = BannerView(
            BannerLevel.LOCK,
            Dismissal.NOT_DISMISSIBLE,
            " ".join(notices),
            BannerDisplay.SHOWN,
            None,
            "",
            lifecycle.stage_id,
        )
    else:
        floor = (
            BannerLevel.DANGER
            if usage_standing.level is UsageLevel.OVER_ALLOWANCE
            else BannerLevel.WARNING
        )
        banner = _with_notices(_lifecycle_banner(lic, lifecycle, state, at), notices, floor)
    candidates = [
        None if revocation is not None else lifecycle.next_change_at,
        banner.hidden_until if banner.display is BannerDisplay.HIDDEN else None,
        next_activation,
    ]
    next_change = min((c for c in candidates if c is not None), default=None)
    standing = ClientStanding(
        lic,
        lifecycle,
        phase,
        mode,
        _summary(flags, phase, lifecycle, at, zone),
        lifecycle.days_until_expiry,
        lifecycle.days_until_lock,
        _ordered(flags),
        tuple(notices),
        banner,
        at,
        time.clock,
        next_change,
        usage_standing,
    )
    return standing, Snapshot.of(mode, lic.features, all_limits(lic), UNLIMITED, next_change)


def _ordered(flags: set[StandingFlag]) -> tuple[StandingFlag, ...]:
    return tuple(f for f in StandingFlag if f in flags)


def _lifecycle_banner(
    lic: License, lifecycle: Standing, state: PersistentState, at: _dt.datetime
) -> BannerView:
    banner = lifecycle.banner
    if banner.level is BannerLevel.NONE:
        return NO_BANNER_VIEW
    stage_id = lifecycle.stage_id
    dismissed_at = state.dismissed_at(lic.id, stage_id)
    display = BannerDisplay.SHOWN
    hidden_until = None
    pill = ""
    if dismissed_at is not None:
        if banner.dismissal is Dismissal.UNTIL_NEXT_STAGE:
            display = BannerDisplay.HIDDEN
            hidden_until = lifecycle.next_transition_at
        elif banner.dismissal is Dismissal.FOR_24H:
            until = dismissed_at + DISMISS_FOR
            if at < until:
                display = BannerDisplay.HIDDEN
                hidden_until = until
        elif banner.dismissal is Dismissal.TO_PILL:
            display = BannerDisplay.PILL
            days = lifecycle.days_until_expiry
            pill = "Expires in 1 day" if days == 1 else f"Expires in {days} days"
    return BannerView(
        banner.level, banner.dismissal, banner.text, display, hidden_until, pill, stage_id
    )


def _with_notices(
    banner: BannerView, notices: list[str], floor: BannerLevel = BannerLevel.WARNING
) -> BannerView:
    """Flags speak over the stage banner, at least at ``floor`` (danger for usage over its
    allowance), and cannot be dismissed."""
    if not notices:
        return banner
    level = banner.level if banner.level >= floor else floor
    text = " ".join(notices) + ("" if not banner.text else " " + banner.text)
    return BannerView(
        level, Dismissal.NOT_DISMISSIBLE, text, BannerDisplay.SHOWN, None, "", banner.stage_id
    )


def _notices(
    flags: set[StandingFlag],
    time: GuardedTime,
    state: PersistentState,
    zone: zones.Zone,
    lic: Optional[License],
) -> list[str]:
    out = []
    if StandingFlag.NO_LICENSE in flags:
        out.append(NO_LICENSE_TEXT)
    if StandingFlag.REVOKED in flags:
        license_id = lic.id if lic is not None else ""
        reason = state.revocation_reason(license_id) or "no reason given"
        out.append(
            f"The vendor revoked license {license_id} ({reason}). Paste a new license to continue; "
            "none of your data has been touched."
        )
    if StandingFlag.CLOCK_ROLLBACK in flags:
        out.append(
            f"The system clock says {zones.date_time_text(time.clock, zone)}, "
            f"{humanize(time.behind)} behind the latest time this product has seen "
            f"({zones.date_time_text(time.effective, zone)}). Licensing continues from that time; "
            "please correct the system clock."
        )
    if StandingFlag.PAYMENT_FAILING in flags:
        out.append(state.payment_failing or DEFAULT_PAYMENT_TEXT)
    if StandingFlag.INSTANCE_CONFLICT in flags:
        out.append(
            "The vendor's server reports that another installation uses this license; contact "
            "your vendor if that is unexpected."
        )
    return out


def _summary(
    flags: set[StandingFlag],
    phase: Phase,
    lifecycle: Optional[Standing],
    at: _dt.datetime,
    zone: zones.Zone,
) -> str:
    if StandingFlag.NO_LICENSE in flags:
        base = "no license"
    elif StandingFlag.REVOKED in flags:
        base = "locked: license revoked"
    elif phase is Phase.NOT_YET_VALID:
        base = "not yet valid"
    elif phase is Phase.ACTIVE:
        base = "active"
    elif phase is Phase.EXPIRING:
        assert lifecycle is not None
        if lifecycle.days_until_expiry > 1:
            base = "expires in " + _days(lifecycle.days_until_expiry)
        else:
            # The last 24 hours: by the viewer's calendar, as the banner says it.
            same_day = zone.local(lifecycle.expires_at).date() == zone.local(at).date()
            base = "expires today" if same_day else "expires tomorrow"
    elif phase is Phase.GRACE:
        assert lifecycle is not None
        base = f"grace: {_days(lifecycle.days_until_lock)} before lock"
    else:
        base = "locked"
    return base + ", clock rollback" if StandingFlag.CLOCK_ROLLBACK in flags else base


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def humanize(d: _dt.timedelta) -> str:
    seconds = int(d.total_seconds())
    days = seconds // 86400
    if days >= 2:
        return f"{days} days"
    hours = seconds // 3600
    if hours >= 2:
        return f"{hours} hours"
    return f"{max(1, seconds // 60)} minutes"
