"""The license model: the typed ``[license]`` table, its policy, and a signed license as read."""

from __future__ import annotations

import base64
import datetime as _dt
import enum
import functools
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from ._time import iso
from .errors import LicenseFormatError

FORMAT = 1
# A license carrying a whole custom policy is format 2 (docs/license-format.md); the newest read.
MAX_FORMAT = 2
CHECK_IN_TOKEN_PREFIX = "kt_lic_"
ED25519 = "ed25519"

# The known keys of [license], in the order people expect to read them (and the writer writes them).
KNOWN_KEY_ORDER = (
    "id",
    "subscription_id",
    "customer",
    "instance_domain",
    "tier",
    "seats",
    "features",
    "tags",
    "issued_at",
    "not_before",
    "expires_at",
    "limits",
    "overage_percent",
    "policy",
)
KNOWN_KEYS = frozenset(KNOWN_KEY_ORDER)
POLICY_KEY_ORDER = (
    "preset",
    "name",
    "grace_days",
    "grace_mode",
    "lock_action",
    "expiry_notify",
    "lock_notify",
)
POLICY_KEYS = frozenset(("preset", "grace_days", "grace_mode"))
PRESETS = frozenset({"appliance", "subscription"})
MAX_GRACE_DAYS = 3650
CUSTOM_POLICY_KEYS = frozenset(
    {"name", "grace_days", "grace_mode", "lock_action", "reminders", "expiry_notify", "lock_notify"}
)
REMINDER_KEYS = frozenset({"days_before", "banner", "dismissal", "notify"})
# Spellings of a format-2 policy, each list from the least insistent (banners, dismissals).
BANNERS = ("info", "warning", "danger")
DISMISSALS = ("until-next-stage", "for-24h", "to-pill", "not-dismissible")
RECIPIENTS = ("customer", "account-team", "support", "renewal-request", "webhook")
LOCK_ACTIONS = ("lock", "suspend")
MAX_REMINDERS = 12
MAX_DAYS_BEFORE = 365
MAX_OVERAGE_PERCENT = 1000

# Bare TOML keys only: keeps canonical key order equal to byte order.
_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
_HOST = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?")


class GraceMode(enum.StrEnum):
    """How the product behaves during grace: fully working, or read-only."""

    FULL = "full"
    READ_ONLY = "read-only"

    @property
    def toml_name(self) -> str:
        return self.value

    @classmethod
    def from_toml_name(cls, name: str) -> Optional["GraceMode"]:
        for mode in cls:
            if mode.value == name:
                return mode
        return None


def normalize_instance_domain(raw: str) -> str:
    """Lower-case, without scheme, path, port or trailing dot; raises ValueError if not a host."""
    s = raw.strip().lower()
    scheme = s.find("://")
    if scheme >= 0:
        s = s[scheme + 3 :]
    slash = s.find("/")
    if slash >= 0:
        s = s[:slash]
    colon = s.rfind(":")
    if colon >= 0:
        s = s[:colon]
    s = s.rstrip(".")
    if not s or len(s) > 253 or not _HOST.fullmatch(s):
        raise ValueError(f"not a host name: '{raw}'")
    return s


def require_key(path: str, key: str) -> None:
    if not isinstance(key, str) or not _KEY.fullmatch(key) or not key.isascii():
        raise ValueError(f"{path}: key '{key}' must be 1 to 64 of A-Z, a-z, 0-9, '_' or '-'")


def check_keys(path: str, table: Mapping[str, Any]) -> None:
    for key, value in table.items():
        require_key(path, key)
        if isinstance(value, dict):
            check_keys(f"{path}.{key}", value)


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, _dt.datetime):
        return "a datetime" if value.tzinfo is not None else "a local datetime"
    if isinstance(value, _dt.date):
        return "a local date"
    if isinstance(value, _dt.time):
        return "a local time"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    raise ValueError(f"not a license value: {type(value).__name__}")


@dataclass(frozen=True)
class PolicyReminder:
    """A reminder of a format-2 policy, spelled as the file spells it."""

    days_before: int
    banner: str
    dismissal: str
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class PolicyRules:
    """A whole custom policy as a format-2 license carries it (docs/license-format.md).

    Validated on construction by the rules of the policy builder, with one spelling per policy:
    reminders from the earliest, recipients in ``RECIPIENTS`` order, each once."""

    name: str
    lock_action: str
    reminders: tuple[PolicyReminder, ...]
    expiry_notify: tuple[str, ...]
    lock_notify: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.name or not self.name.strip():
            raise ValueError("policy.name must not be empty")
        if self.lock_action not in LOCK_ACTIONS:
            raise ValueError(
                f'policy.lock_action must be "lock" or "suspend", found "{self.lock_action}"'
            )
        if len(self.reminders) > MAX_REMINDERS:
            raise ValueError(
                f"policy.reminders has {len(self.reminders)} reminders, at most {MAX_REMINDERS}"
            )
        previous: Optional[PolicyReminder] = None
        for i, r in enumerate(self.reminders):
            at = f"policy.reminders[{i}]"
            if not 1 <= r.days_before <= MAX_DAYS_BEFORE:
                raise ValueError(
                    f"{at}.days_before must be 1 to {MAX_DAYS_BEFORE}, found {r.days_before}"
                )
            _one_of(f"{at}.banner", r.banner, BANNERS)
            _one_of(f"{at}.dismissal", r.dismissal, DISMISSALS)
            _recipients(f"{at}.notify", r.recipients)
            if previous is not None:
                if r.days_before == previous.days_before:
                    raise ValueError(f"policy.reminders: two reminders at D-{r.days_before}")
                if r.days_before > previous.days_before:
                    raise ValueError(
                        "policy.reminders must run from the earliest to the last: "
                        f"D-{r.days_before} is listed after D-{previous.days_before}"
                    )
                if BANNERS.index(r.banner) < BANNERS.index(previous.banner) or DISMISSALS.index(
                    r.dismissal
                ) < DISMISSALS.index(previous.dismissal):
                    raise ValueError(
                        f"policy.reminders: reminder D-{r.days_before} is less insistent than "
                        f"D-{previous.days_before}; banners may only grow more insistent"
                    )
            previous = r
        _recipients("policy.expiry_notify", self.expiry_notify)
        _recipients("policy.lock_notify", self.lock_notify)


def _one_of(key: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f'{key} must be one of {", ".join(allowed)}; found "{value}"')


def _recipients(key: str, names: tuple[str, ...]) -> None:
    for n in names:
        _one_of(key, n, RECIPIENTS)
    if tuple(r for r in RECIPIENTS if r in names) != tuple(names):
        raise ValueError(
            f"{key} must name each recipient once, in the order {', '.join(RECIPIENTS)}; "
            f"found {', '.join(names)}"
        )


@dataclass(frozen=True)
class LicensePolicy:
    """The ``[license.policy]`` table (signed): a preset with the grace it grants (format 1), or a
    whole custom policy in ``rules`` (format 2; ``preset`` is then the policy's name)."""

    preset: str
    grace_days: int
    grace_mode: GraceMode
    extensions: Mapping[str, Any] = field(default_factory=dict)
    rules: Optional[PolicyRules] = None

    def __post_init__(self) -> None:
        if not 0 <= self.grace_days <= MAX_GRACE_DAYS:
            raise ValueError(f"graceDays must be 0 to {MAX_GRACE_DAYS}, was {self.grace_days}")
        check_keys("license.policy", self.extensions)

    @property
    def name(self) -> str:
        return self.preset

    @property
    def is_custom(self) -> bool:
        return self.rules is not None


def format_of(lic: "License") -> int:
    """The format a license is written in: 2 when it carries a custom policy, else 1."""
    return MAX_FORMAT if lic.policy.is_custom else FORMAT


@dataclass(frozen=True)
class License:
    """What a subscription grants for a period. ``seats`` 0 means unlimited.

    ``extensions`` holds keys inside ``[license]`` this version does not know; they are kept and
    signed.
    """

    id: str
    subscription_id: str
    customer: str
    instance_domain: Optional[str]
    tier: str
    seats: int
    features: tuple[str, ...]
    tags: tuple[str, ...]
    issued_at: _dt.datetime
    not_before: _dt.datetime
    expires_at: _dt.datetime
    limits: Mapping[str, int]
    policy: LicensePolicy
    extensions: Mapping[str, Any] = field(default_factory=dict)
    #: ``[license.overage_percent]``: limit name → percent usage may run above it (0..1000)
    overage_percent: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for value, name in (
            (self.id, "id"),
            (self.subscription_id, "subscription_id"),
            (self.customer, "customer"),
            (self.tier, "tier"),
        ):
            if not value or not value.strip():
                raise ValueError(f"{name} must not be empty")
        if self.seats < 0:
            raise ValueError(f"seats must be 0 (unlimited) or more, was {self.seats}")
        if not self.expires_at > self.not_before:
            raise ValueError(
                f"expires_at ({iso(self.expires_at)}) must be after not_before"
                f" ({iso(self.not_before)})"
            )
        for name in self.limits:
            require_key("license.limits", name)
        check_keys("license", self.extensions)
        for name, percent in self.overage_percent.items():
            require_key("license.overage_percent", name)
            if not 0 <= percent <= MAX_OVERAGE_PERCENT:
                raise ValueError(
                    f"overage_percent.{name} must be a whole number from 0 to "
                    f"{MAX_OVERAGE_PERCENT}, was {percent}"
                )
            if name not in self.limits and not (name == "seats" and self.seats > 0):
                seats = " or seats" if name == "seats" else ""
                raise ValueError(
                    f"overage_percent.{name} must be a limit this license sets "
                    f"(set license.limits.{name}{seats} first)"
                )

    def has_feature(self, feature: str) -> bool:
        return feature in self.features

    def sorted_limits(self) -> dict[str, int]:
        return dict(sorted(self.limits.items()))


@dataclass(frozen=True)
class LicenseSignature:
    """The ``[signature]`` table; ``value`` is base64 without whitespace."""

    algorithm: str
    key_id: str
    value: str

    @property
    def bytes(self) -> bytes:
        return base64.b64decode(self.value)


@dataclass(frozen=True)
class SignedLicense:
    """A license file as read or issued: the typed license, the exact signed table, the signature.

    Signatures are checked against ``canonical_bytes()``, which comes from ``table`` (what the file
    says), never from the typed view or the text.
    """

    format: int
    table: Mapping[str, Any]
    license: License
    signature: LicenseSignature

    def canonical_bytes(self) -> bytes:
        return self._canonical

    @functools.cached_property
    def _canonical(self) -> bytes:
        # Computed once: the table never changes after reading or signing.
        from .canonical import canonical_form

        return canonical_form(self.format, self.table)

    def signature_hash(self) -> str:
        """The hex SHA-256 of the signature bytes: the stored file's name and the check-in token."""
        return hashlib.sha256(self.signature.bytes).hexdigest()

    def check_in_token(self) -> str:
        return CHECK_IN_TOKEN_PREFIX + self.signature_hash()

    def to_toml(self) -> str:
        from .writer import write_license

        return write_license(self)


def license_to_table(lic: License) -> dict[str, Any]:
    """The generic ``[license]`` table of a typed license, as it is signed."""
    t: dict[str, Any] = dict(lic.extensions)
    t["id"] = lic.id
    t["subscription_id"] = lic.subscription_id
    t["customer"] = lic.customer
    if lic.instance_domain is not None:
        t["instance_domain"] = lic.instance_domain
    t["tier"] = lic.tier
    t["seats"] = lic.seats
    t["features"] = list(lic.features)
    t["tags"] = list(lic.tags)
    t["issued_at"] = lic.issued_at
    t["not_before"] = lic.not_before
    t["expires_at"] = lic.expires_at
    t["limits"] = dict(sorted(lic.limits.items()))
    if lic.overage_percent:  # only when granted: a license without keeps its old canonical form
        t["overage_percent"] = dict(sorted(lic.overage_percent.items()))
    p: dict[str, Any] = dict(lic.policy.extensions)
    rules = lic.policy.rules
    if rules is None:
        p["preset"] = lic.policy.preset
    else:
        p["name"] = rules.name
        p["lock_action"] = rules.lock_action
        p["reminders"] = [
            {
                "days_before": r.days_before,
                "banner": r.banner,
                "dismissal": r.dismissal,
                "notify": list(r.recipients),
            }
            for r in rules.reminders
        ]
        p["expiry_notify"] = list(rules.expiry_notify)
        p["lock_notify"] = list(rules.lock_notify)
    p["grace_days"] = lic.policy.grace_days
    p["grace_mode"] = lic.policy.grace_mode.toml_name
    t["policy"] = p
    return t


class _Fields:
    """Typed access to one table's fields, with errors that name the full key."""

    def __init__(self, path: str, table: Mapping[str, Any]) -> None:
        self.path = path
        self.table = table

    def required(self, key: str) -> Any:
        v = self.table.get(key)
        if v is None:
            raise LicenseFormatError.malformed(f"{self.path}.{key} is missing")
        return v

    def string(self, key: str) -> str:
        v = self.required(key)
        if not isinstance(v, str) or not v.strip():
            raise self.wrong_type(key, "a non-empty string", v)
        return v

    def optional_string(self, key: str) -> Optional[str]:
        return self.string(key) if key in self.table else None

    def whole_number(self, key: str) -> int:
        v = self.required(key)
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise self.wrong_type(key, "a whole number of 0 or more", v)
        return v

    def instant(self, key: str) -> _dt.datetime:
        v = self.required(key)
        if not isinstance(v, _dt.datetime) or v.tzinfo is None:
            raise self.wrong_type(key, "a datetime with an offset, e.g. 2026-11-22T00:00:00Z", v)
        return v

    def optional_strings(self, key: str) -> tuple[str, ...]:
        v = self.table.get(key)
        if v is None:
            return ()
        if not isinstance(v, list) or not all(isinstance(item, str) for item in v):
            raise self.wrong_type(key, "an array of strings", v)
        return tuple(v)

    def sub_table(self, key: str) -> Mapping[str, Any]:
        v = self.required(key)
        if not isinstance(v, dict):
            raise self.wrong_type(key, "a table", v)
        return v

    def optional_table(self, key: str) -> Mapping[str, Any]:
        return self.sub_table(key) if key in self.table else {}

    def strings(self, key: str) -> tuple[str, ...]:
        self.required(key)
        return self.optional_strings(key)

    def tables(self, key: str) -> list[Mapping[str, Any]]:
        v = self.required(key)
        if not isinstance(v, list) or not all(isinstance(item, dict) for item in v):
            raise self.wrong_type(key, "an array of tables", v)
        return v

    def refuse_unknown(self, known: frozenset[str]) -> None:
        for key in sorted(self.table):
            if key not in known:
                raise LicenseFormatError.malformed(f"unexpected key '{key}' in {self.path}")

    def unknown(self, known: frozenset[str]) -> dict[str, Any]:
        return {k: v for k, v in self.table.items() if k not in known}

    def wrong_type(self, key: str, expected: str, found: Any) -> LicenseFormatError:
        shown = f'"{found}"' if isinstance(found, str) else type_name(found)
        return LicenseFormatError.malformed(f"{self.path}.{key} must be {expected}, found {shown}")


def _grace(p: _Fields) -> tuple[int, GraceMode]:
    grace_mode_name = p.string("grace_mode")
    grace_mode = GraceMode.from_toml_name(grace_mode_name)
    if grace_mode is None:
        raise LicenseFormatError.malformed(
            f'license.policy.grace_mode must be "full" or "read-only", found "{grace_mode_name}"'
        )
    grace_days = p.whole_number("grace_days")
    if grace_days > MAX_GRACE_DAYS:
        raise LicenseFormatError.malformed(
            f"license.policy.grace_days must be at most {MAX_GRACE_DAYS}, found {grace_days}"
        )
    return grace_days, grace_mode


def _preset_policy(p: _Fields) -> LicensePolicy:
    """Format 1: a preset by name and its grace."""
    preset = p.string("preset")
    if preset not in PRESETS:
        raise LicenseFormatError.malformed(
            f'license.policy.preset must be "appliance" or "subscription", found "{preset}"'
        )
    grace_days, grace_mode = _grace(p)
    return LicensePolicy(preset, grace_days, grace_mode, p.unknown(POLICY_KEYS))


def _custom_policy(p: _Fields) -> LicensePolicy:
    """Format 2: the whole policy (docs/license-format.md)."""
    if "preset" in p.table:
        raise LicenseFormatError.malformed(
            "license.policy.preset belongs to format 1; a format 2 license carries the whole policy"
        )
    reminders = []
    for i, entry in enumerate(p.tables("reminders")):
        r = _Fields(f"license.policy.reminders[{i}]", entry)
        r.refuse_unknown(REMINDER_KEYS)
        reminders.append(
            PolicyReminder(
                r.whole_number("days_before"),
                r.string("banner"),
                r.string("dismissal"),
                r.strings("notify"),
            )
        )
    try:
        rules = PolicyRules(
            p.string("name"),
            p.string("lock_action"),
            tuple(reminders),
            p.strings("expiry_notify"),
            p.strings("lock_notify"),
        )
        grace_days, grace_mode = _grace(p)
        return LicensePolicy(
            rules.name, grace_days, grace_mode, p.unknown(CUSTOM_POLICY_KEYS), rules
        )
    except ValueError as e:
        raise LicenseFormatError.malformed(f"license.{e}") from None


def license_from_table(t: Mapping[str, Any], fmt: int = FORMAT) -> License:
    """The typed license of a parsed ``[license]`` table; raises LicenseFormatError (MALFORMED)."""
    f = _Fields("license", t)
    limits: dict[str, int] = {}
    for name, value in f.optional_table("limits").items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise LicenseFormatError.malformed(
                f"license.limits.{name} must be a whole number of 0 or more, found "
                f"{type_name(value)}"
            )
        limits[name] = value
    overage: dict[str, int] = {}
    for name, value in f.optional_table("overage_percent").items():
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 <= value <= MAX_OVERAGE_PERCENT
        ):
            found = (
                str(value)
                if isinstance(value, int) and not isinstance(value, bool)
                else type_name(value)
            )
            raise LicenseFormatError.malformed(
                f"license.overage_percent.{name} must be a whole number from 0 to "
                f"{MAX_OVERAGE_PERCENT}, found {found}"
            )
        overage[name] = value
    p = _Fields("license.policy", f.sub_table("policy"))
    policy = _custom_policy(p) if fmt >= MAX_FORMAT else _preset_policy(p)
    domain = f.optional_string("instance_domain")
    try:
        id_ = f.string("id")
        subscription_id = f.string("subscription_id")
        customer = f.string("customer")
        normalized = normalize_instance_domain(domain) if domain is not None else None
        return License(
            id=id_,
            subscription_id=subscription_id,
            customer=customer,
            instance_domain=normalized,
            tier=f.string("tier"),
            seats=f.whole_number("seats"),
            features=f.optional_strings("features"),
            tags=f.optional_strings("tags"),
            issued_at=f.instant("issued_at"),
            not_before=f.instant("not_before"),
            expires_at=f.instant("expires_at"),
            limits=limits,
            policy=policy,
            extensions=f.unknown(KNOWN_KEYS),
            overage_percent=overage,
        )
    except ValueError as e:
        raise LicenseFormatError.malformed(f"license: {e}") from None
