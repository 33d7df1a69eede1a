"""conformance/vectors/lifecycle.json: policies, standing in seven zones, notice due, builder
refusals and Java's zone names."""

from __future__ import annotations

from typing import Any, Optional

import pytest

from keyturn import BannerLevel, Dismissal, GraceMode, LicensePolicy, LockAction, Policy, Recipient
from keyturn.license import PolicyReminder, PolicyRules
from keyturn._time import instant, iso
from keyturn.lifecycle import evaluate_window, notice_due, zone
from support import CONFORMANCE, vectors

PRESENT = (CONFORMANCE / "vectors/lifecycle.json").exists()
SUITE = (
    vectors("lifecycle")
    if PRESENT
    else {
        "policies": {},
        "standing": [],
        "notice_due": [],
        "policy_errors": [],
        "zone_abbreviations": [],
    }
)


def from_license(f: dict[str, Any]) -> LicensePolicy:
    if "preset" in f:
        return LicensePolicy(f["preset"], f["grace_days"], GraceMode(f["grace_mode"]))
    rules = PolicyRules(
        f["name"],
        f["lock_action"],
        tuple(
            PolicyReminder(r["days_before"], r["banner"], r["dismissal"], tuple(r["notify"]))
            for r in f["reminders"]
        ),
        tuple(f["expiry_notify"]),
        tuple(f["lock_notify"]),
    )
    return LicensePolicy(f["name"], f["grace_days"], GraceMode(f["grace_mode"]), {}, rules)


def recipients(names: Optional[list[str]]) -> Optional[tuple[Recipient, ...]]:
    return None if names is None else tuple(Recipient(n) for n in names)


def build(p: dict[str, Any]) -> Policy:
    if p.get("from_license_policy"):
        return Policy.for_license(from_license(p["from_license_policy"]))
    b = Policy.builder(p["name"])
    for r in p["reminders"]:
        b.reminder(
            r["days_before"],
            BannerLevel(r["level"]),
            Dismissal(r["dismissal"]),
            recipients(r.get("notify")),
        )
    if "expiry_notify" in p:
        b.expiry_notify(tuple(Recipient(n) for n in p["expiry_notify"]))
        b.lock_notify(tuple(Recipient(n) for n in p["lock_notify"]))
    return (
        b.grace(p["grace_days"], GraceMode(p["grace_mode"]))
        .lock_action(LockAction(p["lock_action"]))
        .build()
    )


def describe(policy: Policy) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "offset_seconds": int(s.offset.total_seconds()),
            "phase": s.phase.value,
            "level": s.level.value,
            "dismissal": s.dismissal.value,
            "notice": s.notice,
            "recipients": [r.value for r in s.recipients],
        }
        for s in policy.stages
    ]


POLICIES = {name: build(p) for name, p in SUITE["policies"].items()}


def _iso(at: Optional[Any]) -> Optional[str]:
    return iso(at) if at is not None else None


def test_the_suite_is_there() -> None:
    assert len(vectors("lifecycle")["standing"]) > 1000


@pytest.mark.parametrize("name", list(SUITE["policies"]))
def test_policy_stages(name: str) -> None:
    assert describe(POLICIES[name]) == SUITE["policies"][name]["stages"]


@pytest.mark.parametrize("case", SUITE["standing"], ids=lambda c: c["name"])
def test_standing(case: dict[str, Any]) -> None:
    s = evaluate_window(
        instant(case["not_before"]),
        instant(case["expires_at"]),
        instant(case["at"]),
        POLICIES[case["policy"]],
        case["zone"],
    )
    actual = {
        "phase": s.phase.value,
        "stage": s.stage.id if s.stage else None,
        "mode": s.mode.value,
        "days_until_expiry": s.days_until_expiry,
        "days_until_lock": s.days_until_lock,
        "banner": {
            "level": s.banner.level.value,
            "dismissal": s.banner.dismissal.value,
            "text": s.banner.text,
        },
        "expires_at": iso(s.expires_at),
        "locks_at": iso(s.locks_at),
        "next_change_at": _iso(s.next_change_at),
        "next_transition_at": _iso(s.next_transition_at),
    }
    assert actual == case["expected"]


@pytest.mark.parametrize("case", SUITE["notice_due"], ids=lambda c: c["name"])
def test_notice_due(case: dict[str, Any]) -> None:
    expected = case["expected"]
    policy = POLICIES[case["policy"]]
    if expected["error"] is not None:
        with pytest.raises(ValueError) as e:
            notice_due(
                policy, instant(case["expires_at"]), case["last_notified"], instant(case["at"])
            )
        assert str(e.value) == expected["error"]
        return
    due = notice_due(
        policy, instant(case["expires_at"]), case["last_notified"], instant(case["at"])
    )
    assert (due.id if due else None) == expected["stage"]


@pytest.mark.parametrize("case", SUITE["policy_errors"], ids=lambda c: c["name"])
def test_policy_builder(case: dict[str, Any]) -> None:
    expected = case["expected"]
    if expected["error"] is not None:
        with pytest.raises(ValueError) as e:
            build(case["policy"])
        assert str(e.value) == expected["error"]
        return
    policy = build(case["policy"])
    assert describe(policy) == expected["policy"]["stages"]
    assert [
        {
            "days_before": r.days_before,
            "level": r.level.value,
            "dismissal": r.dismissal.value,
            "notify": [n.value for n in r.recipients],
        }
        for r in policy.reminders
    ] == expected["policy"]["reminders"]


@pytest.mark.parametrize(
    "case", SUITE["zone_abbreviations"], ids=lambda c: f"{c['zone']}@{c['at']}"
)
def test_zone_abbreviation(case: dict[str, Any]) -> None:
    assert zone(case["zone"]).short_name(instant(case["at"])) == case["abbreviation"]
