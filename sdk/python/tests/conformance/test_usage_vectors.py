"""conformance/vectors/usage.json: usage standing per limit, the increase rule, and the signed
usage record (usage.json) the install paths check a downgrade against."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from keyturn.client.state import StateStore
from keyturn.client.usage_store import FILE, load_usage
from keyturn.lifecycle.usage import evaluate_usage, increase
from support import CONFORMANCE, vectors

PRESENT = (CONFORMANCE / "vectors/usage.json").exists()
SUITE = (
    vectors("usage") if PRESENT else {"standing": [], "increase": [], "errors": [], "records": []}
)


@dataclass(frozen=True)
class Grant:
    """What the engine reads of a license: seats, limits and the signed overage table."""

    seats: int
    limits: dict[str, int]
    extensions: dict[str, Any] = field(default_factory=dict)


def grant(g: dict[str, Any]) -> Grant:
    return Grant(g["seats"], dict(g["limits"]), {"overage_percent": dict(g["overage_percent"])})


def ids(cases: list[dict[str, Any]]) -> list[str]:
    return [c["name"] for c in cases]


@pytest.mark.parametrize("case", SUITE["standing"], ids=ids(SUITE["standing"]))
def test_standing(case: dict[str, Any]) -> None:
    s = evaluate_usage(grant(case["license"]), case["usage"])
    e = case["expected"]
    assert s.level.value == e["level"]
    assert [
        {
            "limit": lu.limit,
            "usage": lu.usage,
            "licensed": lu.licensed,
            "overage_percent": lu.overage_percent,
            "ceiling": lu.ceiling,
            "level": lu.level.value,
            "text": lu.text,
        }
        for lu in s.limits
    ] == e["limits"]
    b = s.banner
    assert {"level": b.level.value, "dismissal": b.dismissal.value, "text": b.text} == e["banner"]


@pytest.mark.parametrize("case", SUITE["increase"], ids=ids(SUITE["increase"]))
def test_increase(case: dict[str, Any]) -> None:
    d = increase(grant(case["license"]), case["limit"], case["usage"], case["by"])
    e = case["expected"]
    assert (d.allowed, d.after, d.ceiling, d.message) == (
        e["allowed"],
        e["after"],
        e["ceiling"],
        e["message"],
    )


@pytest.mark.parametrize("case", SUITE["errors"], ids=ids(SUITE["errors"]))
def test_errors(case: dict[str, Any]) -> None:
    g = grant(case["license"])
    with pytest.raises(ValueError) as raised:
        if case["call"] == "evaluate":
            evaluate_usage(g, case["usage"])
        else:
            increase(g, case["limit"], case["usage"][case["limit"]], case["by"])
    assert str(raised.value) == case["error"]


@pytest.mark.parametrize("case", SUITE["records"], ids=ids(SUITE["records"]))
def test_records(case: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "state.key").write_bytes(bytes.fromhex(case["state_key_hex"]))
    (tmp_path / FILE).write_bytes(base64.b64decode(case["file_base64"]))
    loaded = load_usage(StateStore(tmp_path))
    e = case["expected"]
    assert loaded.status.value == e["status"]
    if e["record"] is None:
        assert loaded.record is None
    else:
        assert loaded.record is not None
        assert loaded.record.to_json() == e["record"]
