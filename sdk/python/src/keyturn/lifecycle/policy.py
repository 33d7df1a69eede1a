"""Lifecycle rules as data: reminder stages, the grace period and what happens when it ends."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Optional

from ..license import GraceMode, LicensePolicy
from .model import EXPIRY, LOCK, BannerLevel, Dismissal, LockAction, Phase, Stage

MAX_GRACE_DAYS = 3650


@dataclass(frozen=True)
class Reminder:
    days_before: int
    level: BannerLevel
    dismissal: Dismissal


class Policy:
    """Immutable; build custom ones with ``Policy.builder(name)``. Validated on build, so every
    policy keeps the rule that standing only grows more insistent."""

    def __init__(
        self,
        name: str,
        reminders: tuple[Reminder, ...],
        grace_days: int,
        grace_mode: GraceMode,
        lock_action: LockAction,
    ) -> None:
        self.name = name
        self.reminders = reminders
        self.grace_days = grace_days
        self.grace_mode = grace_mode
        self.lock_action = lock_action
        stages = [
            Stage(
                f"D-{r.days_before}",
                _dt.timedelta(days=-r.days_before),
                Phase.EXPIRING,
                r.level,
                r.dismissal,
                True,
            )
            for r in reminders
        ]
        stages.append(
            Stage(
                EXPIRY,
                _dt.timedelta(0),
                Phase.GRACE,
                BannerLevel.DANGER,
                Dismissal.NOT_DISMISSIBLE,
                True,
            )
        )
        stages.append(
            Stage(
                LOCK,
                _dt.timedelta(days=grace_days),
                Phase.LOCKED,
                BannerLevel.LOCK,
                Dismissal.NOT_DISMISSIBLE,
                True,
            )
        )
        self.stages: tuple[Stage, ...] = tuple(stages)
        self.grace_period = _dt.timedelta(days=grace_days)

    @staticmethod
    def builder(name: str) -> "PolicyBuilder":
        return PolicyBuilder(name)

    @staticmethod
    def preset(name: str) -> Optional["Policy"]:
        return {"appliance": APPLIANCE, "subscription": SUBSCRIPTION}.get(name)

    @staticmethod
    def for_license(p: LicensePolicy) -> "Policy":
        """The policy a license carries: its preset with the grace it was signed with."""
        base = Policy.preset(p.preset)
        if base is None:
            raise ValueError(f"unknown policy preset '{p.preset}'")
        return base.with_grace(p.grace_days, p.grace_mode)

    def with_grace(self, days: int, mode: GraceMode) -> "Policy":
        if days == self.grace_days and mode == self.grace_mode:
            return self
        b = Policy.builder(self.name).grace(days, mode).lock_action(self.lock_action)
        for r in self.reminders:
            b.reminder(r.days_before, r.level, r.dismissal)
        return b.build()

    def stage(self, stage_id: str) -> Optional[Stage]:
        for s in self.stages:
            if s.id == stage_id:
                return s
        return None

    def _key(self) -> tuple:
        return (self.name, self.reminders, self.grace_days, self.grace_mode, self.lock_action)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Policy) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Policy[{self.name}, reminders {list(self.reminders)}, grace {self.grace_days}d "
            f"{self.grace_mode.name}, then {self.lock_action.name}]"
        )


class PolicyBuilder:
    def __init__(self, name: str) -> None:
        if not name or not name.strip():
            raise ValueError("a policy needs a name")
        self._name = name
        self._reminders: list[Reminder] = []
        self._grace_days = 0
        self._grace_mode = GraceMode.FULL
        self._lock_action = LockAction.LOCK

    def reminder(
        self, days_before: int, level: BannerLevel, dismissal: Dismissal
    ) -> "PolicyBuilder":
        self._reminders.append(Reminder(days_before, level, dismissal))
        return self

    def grace(self, days: int, mode: GraceMode) -> "PolicyBuilder":
        self._grace_days = days
        self._grace_mode = mode
        return self

    def lock_action(self, action: LockAction) -> "PolicyBuilder":
        self._lock_action = action
        return self

    def build(self) -> Policy:
        if not 0 <= self._grace_days <= MAX_GRACE_DAYS:
            raise ValueError(f"grace days must be 0 to {MAX_GRACE_DAYS}, was {self._grace_days}")
        reminders = sorted(self._reminders, key=lambda r: r.days_before, reverse=True)
        previous: Optional[Reminder] = None
        for r in reminders:
            if not 1 <= r.days_before <= 365:
                raise ValueError(
                    f"a reminder must be 1 to 365 days before expiry, was {r.days_before}"
                )
            if r.level in (BannerLevel.NONE, BannerLevel.LOCK):
                raise ValueError(f"a reminder banner is INFO, WARNING or DANGER, was {r.level}")
            if r.dismissal is Dismissal.NONE:
                raise ValueError("a reminder banner needs a dismissal rule, was NONE")
            if previous is not None:
                if previous.days_before == r.days_before:
                    raise ValueError(f"two reminders at D-{r.days_before}")
                if r.level < previous.level or r.dismissal < previous.dismissal:
                    raise ValueError(
                        f"reminder D-{r.days_before} is less insistent than "
                        f"D-{previous.days_before}; banners may only grow more insistent"
                    )
            previous = r
        return Policy(
            self._name, tuple(reminders), self._grace_days, self._grace_mode, self._lock_action
        )


APPLIANCE = (
    Policy.builder("appliance")
    .reminder(30, BannerLevel.INFO, Dismissal.UNTIL_NEXT_STAGE)
    .reminder(15, BannerLevel.WARNING, Dismissal.FOR_24H)
    .reminder(7, BannerLevel.WARNING, Dismissal.TO_PILL)
    .reminder(1, BannerLevel.DANGER, Dismissal.NOT_DISMISSIBLE)
    .grace(60, GraceMode.FULL)
    .lock_action(LockAction.LOCK)
    .build()
)

SUBSCRIPTION = (
    Policy.builder("subscription")
    .reminder(30, BannerLevel.INFO, Dismissal.UNTIL_NEXT_STAGE)
    .reminder(7, BannerLevel.WARNING, Dismissal.TO_PILL)
    .reminder(1, BannerLevel.DANGER, Dismissal.NOT_DISMISSIBLE)
    .grace(7, GraceMode.READ_ONLY)
    .lock_action(LockAction.SUSPEND)
    .build()
)
