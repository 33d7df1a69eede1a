"""The lifecycle's vocabulary: phases, modes, banner levels, dismissals, stages, standings."""

from __future__ import annotations

import datetime as _dt
import enum
from dataclasses import dataclass
from typing import Optional


class _Ordered(enum.StrEnum):
    """Enums declared in order of severity compare by that order, as Java's do."""

    def _index(self) -> int:
        return list(type(self)).index(self)

    def __lt__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._index() < other._index()  # type: ignore[attr-defined]

    def __le__(self, other: object) -> bool:
        return self == other or self < other  # type: ignore[operator]

    def __gt__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._index() > other._index()  # type: ignore[attr-defined]

    def __ge__(self, other: object) -> bool:
        return self == other or self > other  # type: ignore[operator]


class Phase(_Ordered):
    NOT_YET_VALID = "NOT_YET_VALID"
    ACTIVE = "ACTIVE"
    EXPIRING = "EXPIRING"
    GRACE = "GRACE"
    LOCKED = "LOCKED"


class Mode(_Ordered):
    """What the product allows. LOCKED shows the lock screen and never touches the data."""

    FULL = "FULL"
    READ_ONLY = "READ_ONLY"
    LOCKED = "LOCKED"


class BannerLevel(_Ordered):
    NONE = "NONE"
    INFO = "INFO"
    WARNING = "WARNING"
    DANGER = "DANGER"
    LOCK = "LOCK"


class Dismissal(_Ordered):
    """What closing a banner does, in order of insistence."""

    NONE = "NONE"
    UNTIL_NEXT_STAGE = "UNTIL_NEXT_STAGE"
    FOR_24H = "FOR_24H"
    TO_PILL = "TO_PILL"
    NOT_DISMISSIBLE = "NOT_DISMISSIBLE"


class LockAction(_Ordered):
    """What the end of grace is called; both are enforced as Mode.LOCKED."""

    LOCK = "LOCK"
    SUSPEND = "SUSPEND"

    @property
    def past_tense(self) -> str:
        return "locked" if self is LockAction.LOCK else "suspended"


EXPIRY = "EXPIRY"
LOCK = "LOCK"


class Recipient(enum.StrEnum):
    """Who the server tells when a license crosses a stage, in the order a license file lists
    them; the client ignores them, the server's sweep routes by them."""

    CUSTOMER = "CUSTOMER"
    ACCOUNT_TEAM = "ACCOUNT_TEAM"
    SUPPORT = "SUPPORT"
    RENEWAL_REQUEST = "RENEWAL_REQUEST"
    WEBHOOK = "WEBHOOK"

    @property
    def toml_name(self) -> str:
        return self.value.lower().replace("_", "-")

    @classmethod
    def from_toml_name(cls, name: str) -> "Recipient":
        return cls(name.upper().replace("-", "_"))


def recipients_in_order(
    recipients: "frozenset[Recipient] | set[Recipient] | tuple[Recipient, ...]",
) -> tuple[Recipient, ...]:
    return tuple(r for r in Recipient if r in recipients)


@dataclass(frozen=True)
class Stage:
    """A point in a license's life relative to its expiry: a reminder (``D-30``…), ``EXPIRY`` or
    ``LOCK``. Stages are instants, never calendar guesses."""

    id: str
    offset: _dt.timedelta
    phase: Phase
    level: BannerLevel
    dismissal: Dismissal
    notice: bool
    # Who is told on crossing it, in Recipient order; notice is whether anyone is.
    recipients: tuple[Recipient, ...] = ()

    def starts_at(self, expires_at: _dt.datetime) -> _dt.datetime:
        return expires_at + self.offset


@dataclass(frozen=True)
class Banner:
    level: BannerLevel
    dismissal: Dismissal
    text: str


NO_BANNER = Banner(BannerLevel.NONE, Dismissal.NONE, "")


@dataclass(frozen=True)
class Standing:
    """What the engine says for (license, instant, policy).

    ``days_until_expiry`` and ``days_until_lock`` are whole days rounded up; ``next_change_at`` is
    when any field (day counts and text included) next changes, None once locked.
    """

    phase: Phase
    stage: Optional[Stage]
    days_until_expiry: int
    days_until_lock: int
    banner: Banner
    mode: Mode
    expires_at: _dt.datetime
    locks_at: _dt.datetime
    next_change_at: Optional[_dt.datetime]
    next_transition_at: Optional[_dt.datetime]

    @property
    def stage_id(self) -> str:
        return self.stage.id if self.stage is not None else ""
