"""Lifecycle rules as data: reminder stages, the grace period and what happens when it ends."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Optional

from ..license import MAX_REMINDERS, GraceMode, LicensePolicy, PolicyReminder, PolicyRules
from .model import (
    EXPIRY,
    LOCK,
    BannerLevel,
    Dismissal,
    LockAction,
    Phase,
    Recipient,
    Stage,
    recipients_in_order,
)

MAX_GRACE_DAYS = 3650

# Who hears of expiry and lock unless a policy says otherwise.
DEFAULT_NOTIFY = (Recipient.CUSTOMER, Recipient.WEBHOOK)


def default_notify(days_before: int) -> tuple[Recipient, ...]:
    """Who a reminder built without recipients tells: the customer and webhooks, the account team
    at D-15, support at D-7, a renewal request at D-1 (DESIGN §4)."""
    extra = {15: Recipient.ACCOUNT_TEAM, 7: Recipient.SUPPORT, 1: Recipient.RENEWAL_REQUEST}
    r = {Recipient.CUSTOMER, Recipient.WEBHOOK}
    if days_before in extra:
        r.add(extra[days_before])
    return recipients_in_order(r)


@dataclass(frozen=True)
class Reminder:
    days_before: int
    level: BannerLevel
    dismissal: Dismissal
    recipients: tuple[Recipient, ...] = ()


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
        expiry_notify: tuple[Recipient, ...] = DEFAULT_NOTIFY,
        lock_notify: tuple[Recipient, ...] = DEFAULT_NOTIFY,
    ) -> None:
        self.name = name
        self.reminders = reminders
        self.grace_days = grace_days
        self.grace_mode = grace_mode
        self.lock_action = lock_action
        self.expiry_notify = recipients_in_order(expiry_notify)
        self.lock_notify = recipients_in_order(lock_notify)
        stages = [
            Stage(
                f"D-{r.days_before}",
                _dt.timedelta(days=-r.days_before),
                Phase.EXPIRING,
                r.level,
                r.dismissal,
                bool(r.recipients),
                r.recipients,
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
                bool(self.expiry_notify),
                self.expiry_notify,
            )
        )
        stages.append(
            Stage(
                LOCK,
                _dt.timedelta(days=grace_days),
                Phase.LOCKED,
                BannerLevel.LOCK,
                Dismissal.NOT_DISMISSIBLE,
                bool(self.lock_notify),
                self.lock_notify,
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
        """The policy a license carries: the whole policy of a format-2 file, or its preset with
        the grace it was signed with."""
        if p.rules is not None:
            return Policy._from_rules(p.rules, p.grace_days, p.grace_mode)
        base = Policy.preset(p.preset)
        if base is None:
            raise ValueError(f"unknown policy preset '{p.preset}'")
        return base.with_grace(p.grace_days, p.grace_mode)

    @staticmethod
    def _from_rules(rules: PolicyRules, grace_days: int, grace_mode: GraceMode) -> "Policy":
        def recipients(names: tuple[str, ...]) -> tuple[Recipient, ...]:
            return tuple(Recipient.from_toml_name(n) for n in names)

        b = (
            Policy.builder(rules.name)
            .grace(grace_days, grace_mode)
            .lock_action(LockAction(rules.lock_action.upper()))
            .expiry_notify(recipients(rules.expiry_notify))
            .lock_notify(recipients(rules.lock_notify))
        )
        for r in rules.reminders:
            b.reminder(
                r.days_before,
                BannerLevel(r.banner.upper()),
                Dismissal(r.dismissal.upper().replace("-", "_")),
                recipients(r.recipients),
            )
        return b.build()

    def to_license_policy(self) -> LicensePolicy:
        """What a license issued under this policy carries: a preset by name (format 1) when this
        is a preset with any grace, else the whole policy (format 2)."""
        preset = Policy.preset(self.name)
        if preset is not None and preset.with_grace(self.grace_days, self.grace_mode) == self:
            return LicensePolicy(self.name, self.grace_days, self.grace_mode)

        def names(recipients: tuple[Recipient, ...]) -> tuple[str, ...]:
            return tuple(r.toml_name for r in recipients)

        rules = PolicyRules(
            self.name,
            self.lock_action.value.lower(),
            tuple(
                PolicyReminder(
                    r.days_before,
                    r.level.value.lower(),
                    r.dismissal.value.lower().replace("_", "-"),
                    names(r.recipients),
                )
                for r in self.reminders
            ),
            names(self.expiry_notify),
            names(self.lock_notify),
        )
        return LicensePolicy(self.name, self.grace_days, self.grace_mode, {}, rules)

    def with_grace(self, days: int, mode: GraceMode) -> "Policy":
        if days == self.grace_days and mode == self.grace_mode:
            return self
        b = (
            Policy.builder(self.name)
            .grace(days, mode)
            .lock_action(self.lock_action)
            .expiry_notify(self.expiry_notify)
            .lock_notify(self.lock_notify)
        )
        for r in self.reminders:
            b.reminder(r.days_before, r.level, r.dismissal, r.recipients)
        return b.build()

    def stage(self, stage_id: str) -> Optional[Stage]:
        for s in self.stages:
            if s.id == stage_id:
                return s
        return None

    def _key(self) -> tuple:
        return (
            self.name,
            self.reminders,
            self.grace_days,
            self.grace_mode,
            self.lock_action,
            self.expiry_notify,
            self.lock_notify,
        )

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
        self._expiry_notify: tuple[Recipient, ...] = DEFAULT_NOTIFY
        self._lock_notify: tuple[Recipient, ...] = DEFAULT_NOTIFY

    def reminder(
        self,
        days_before: int,
        level: BannerLevel,
        dismissal: Dismissal,
        recipients: Optional[tuple[Recipient, ...]] = None,
    ) -> "PolicyBuilder":
        """A reminder; without recipients, those ``default_notify`` gives for its day."""
        told = default_notify(days_before) if recipients is None else recipients
        self._reminders.append(Reminder(days_before, level, dismissal, recipients_in_order(told)))
        return self

    def expiry_notify(self, recipients: tuple[Recipient, ...]) -> "PolicyBuilder":
        self._expiry_notify = recipients_in_order(recipients)
        return self

    def lock_notify(self, recipients: tuple[Recipient, ...]) -> "PolicyBuilder":
        self._lock_notify = recipients_in_order(recipients)
        return self

    def grace(self, days: int, mode: GraceMode) -> "PolicyBuilder":
        self._grace_days = days
        self._grace_mode = mode
        return self

    def lock_action(self, action: LockAction) -> "PolicyBuilder":
        self._lock_action = action
        return self

    def build(self) -> Policy:
        if len(self._reminders) > MAX_REMINDERS:
            raise ValueError(
                f"a policy has at most {MAX_REMINDERS} reminders, found {len(self._reminders)}"
            )
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
            self._name,
            tuple(reminders),
            self._grace_days,
            self._grace_mode,
            self._lock_action,
            self._expiry_notify,
            self._lock_notify,
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
