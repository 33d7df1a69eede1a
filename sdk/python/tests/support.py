"""Shared fixtures: where the repository's conformance vectors are, and real keys to sign with."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
CONFORMANCE = REPO / "conformance"
VECTORS = CONFORMANCE / "vectors"


def vectors(name: str) -> dict[str, Any]:
    """A vector file; skipped with a message locally when absent, a failure under CI=true."""
    path = VECTORS / f"{name}.json"
    if not path.exists():
        message = f"{path} is missing: merge the conformance suite (branch conformance-green)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return json.loads(path.read_text(encoding="utf-8"))


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.timezone.utc)
