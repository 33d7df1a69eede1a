"""The usage standing of issue 18, as core's ``Usage`` has it: within the limit nothing shows;
above it but within the license's ``[license.overage_percent]`` allowance a warning names the
limit, usage and allowance and nothing is refused; above the allowance the product refuses only
what would raise usage further. Usage never locks the product or removes anything."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional

from .model import Banner, BannerLevel, Dismissal, _Ordered

SEATS = "seats"
MAX_OVERAGE_PERCENT = 1000
_UNLIMITED = 2**63 - 1


class UsageLevel(_Ordered):
    WITHIN = "WITHIN"
    OVER_LIMIT = "OVER_LIMIT"
    OVER_ALLOWANCE = "OVER_ALLOWANCE"


@dataclass(frozen=True)
class LimitUsage:
    limit: str
    usage: int
    licensed: int
    overage_percent: int
    ceiling: int
    level: UsageLevel
    text: str


@dataclass(frozen=True)
class UsageDecision:
    """Whether usage may rise; ``ceiling`` is None for a limit the license does not set."""

    allowed: bool
    limit: str
    usage: int
    after: int
    ceiling: Optional[int]
    message: str


@dataclass(frozen=True)
class UsageStanding:
    limits: tuple[LimitUsage, ...] = ()

    @property
    def level(self) -> UsageLevel:
        return max((lu.level for lu in self.limits), default=UsageLevel.WITHIN)

    def exceeded(self) -> list[LimitUsage]:
        """Above their licensed value, those over the allowance first, then by name."""
        over = [lu for lu in self.limits if lu.level is not UsageLevel.WITHIN]
        return sorted(over, key=lambda lu: 0 if lu.level is UsageLevel.OVER_ALLOWANCE else 1)

    @property
    def banner(self) -> Banner:
        exceeded = self.exceeded()
        if not exceeded:
            return Banner(BannerLevel.NONE, Dismissal.NONE, "")
        level = (
            BannerLevel.DANGER if self.level is UsageLevel.OVER_ALLOWANCE else BannerLevel.WARNING
        )
        return Banner(level, Dismissal.NOT_DISMISSIBLE, " ".join(lu.text for lu in exceeded))

    def of(self, limit: str) -> Optional[LimitUsage]:
        return next((lu for lu in self.limits if lu.limit == limit), None)


NO_USAGE = UsageStanding()


def overage_percent(lic: Any) -> dict[str, int]:
    """The license's allowances. Readers keep ``[license.overage_percent]`` as a signed table; a
    value outside 0..1000 grants nothing (Java's reader refuses such a file)."""
    table = getattr(lic, "overage_percent", None)
    if table is None:
        table = lic.extensions.get("overage_percent", {})
    out = {}
    if isinstance(table, Mapping):
        for name, value in table.items():
            if isinstance(value, int) and not isinstance(value, bool):
                if 0 <= value <= MAX_OVERAGE_PERCENT:
                    out[name] = value
    return out


def licensed(lic: Any, name: str) -> Optional[int]:
    """The limit the license sets: ``[license.limits]``, or for ``seats`` its seats above 0."""
    named = lic.limits.get(name)
    if named is not None:
        return named
    if name == SEATS and lic.seats > 0:
        return lic.seats
    return None


def ceiling(licensed_value: int, percent: int) -> int:
    """``licensed + floor(licensed × percent / 100)``, capped like Java's long."""
    return min(_UNLIMITED, licensed_value + licensed_value * percent // 100)


def evaluate_limit(limit: str, usage: int, licensed_value: int, percent: int) -> LimitUsage:
    _require_usage(limit, usage)
    top = ceiling(licensed_value, percent)
    if usage <= licensed_value:
        level, text = UsageLevel.WITHIN, ""
    elif usage <= top:
        level = UsageLevel.OVER_LIMIT
        text = (
            f"{limit}: {usage} in use, above the licensed {licensed_value}; the {percent}% "
            f"overage allowance permits up to {top}. Ask your vendor to raise the limit."
        )
    else:
        level = UsageLevel.OVER_ALLOWANCE
        allowance = f" and its {percent}% overage allowance ({top})" if percent > 0 else ""
        text = (
            f"{limit}: {usage} in use, above the licensed {licensed_value}{allowance}. Adding more "
            "is refused until usage is reduced or the limit raised; nothing has been locked or "
            "removed."
        )
    return LimitUsage(limit, usage, licensed_value, percent, top, level, text)


def evaluate_usage(lic: Any, usage: Mapping[str, int]) -> UsageStanding:
    """Every reported limit the license sets, in name order (ValueError for negative usage)."""
    allowances = overage_percent(lic)
    out = []
    for name in sorted(usage):
        used = usage[name]
        value = licensed(lic, name)
        if used is not None and value is not None:
            out.append(evaluate_limit(name, used, value, allowances.get(name, 0)))
    return UsageStanding(tuple(out))


def increase(lic: Any, limit: str, usage: int, by: int) -> UsageDecision:
    """May usage of ``limit`` rise by ``by``? Refused only past the ceiling; ``by = 0`` always
    passes."""
    _require_usage(limit, usage)
    if by < 0:
        raise ValueError(f"the increase of {limit} must not be negative, was {by}")
    after = min(_UNLIMITED, usage + by)
    value = licensed(lic, limit)
    if value is None:
        return UsageDecision(True, limit, usage, after, None, "")
    percent = overage_percent(lic).get(limit, 0)
    top = ceiling(value, percent)
    if by == 0 or after <= top:
        return UsageDecision(True, limit, usage, after, top, "")
    allowance = f" and its {percent}% overage allowance ({top})" if percent > 0 else ""
    message = (
        f"Adding {by} to {limit} would bring it to {after}, above the licensed {value}"
        f"{allowance}. Reduce {limit} first, or ask your vendor to raise the limit."
    )
    return UsageDecision(False, limit, usage, after, top, message)


def _require_usage(limit: str, usage: int) -> None:
    if usage < 0:
        raise ValueError(f"usage of {limit} must not be negative, was {usage}")
