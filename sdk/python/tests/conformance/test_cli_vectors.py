"""conformance/vectors/cli.json: the keyturn command's contract, each scenario's steps run in-process
with the clock fixed at the step's instant, in a fresh scratch folder."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any

import pytest

from keyturn._time import instant
from keyturn.cli import main
from support import CONFORMANCE, vectors

TOML_SYNTAX = "not a valid TOML file"
PRESENT = (CONFORMANCE / "vectors/cli.json").exists()
SUITE = vectors("cli") if PRESENT else {"scenarios": []}


def normalize(value: Any, folder: str) -> Any:
    """The scratch folder as ${DIR}; in every object holding both, an evaluated_at less than a minute
    after clock_time is clock_time (the clock guard credits the real time the command took)."""
    if isinstance(value, dict):
        out = {k: normalize(v, folder) for k, v in value.items()}
        at, clock = out.get("evaluated_at"), out.get("clock_time")
        if isinstance(at, str) and isinstance(clock, str):
            credited = (instant(at) - instant(clock)).total_seconds()
            if 0 <= credited < 60:
                out["evaluated_at"] = clock
        return out
    if isinstance(value, list):
        return [normalize(v, folder) for v in value]
    if isinstance(value, str):
        return value.replace(folder, "${DIR}")
    return value


@pytest.mark.parametrize("scenario", SUITE["scenarios"], ids=lambda s: s["name"])
def test_cli_scenario(scenario: dict[str, Any], tmp_path: Path) -> None:
    folder = str(tmp_path)
    for name, data in scenario["files"].items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(data))
    for d in scenario["dirs"]:
        (tmp_path / d).mkdir(parents=True, exist_ok=True)
    for i, step in enumerate(scenario["steps"]):
        argv = [a.replace("${DIR}", folder) for a in step["argv"]]
        out, err = io.StringIO(), io.StringIO()
        now = instant(step["now"])
        code = main(argv, out=out, err=err, now=lambda: now)
        where = f"step {i}: keyturn {' '.join(step['argv'])}"
        assert code == step["exit_code"], f"{where}\n{err.getvalue()}"
        if step.get("stdout_json") is not None:
            actual = normalize(json.loads(out.getvalue()), folder)
            expected = step["stdout_json"]
            if str(expected.get("message", "")).startswith(TOML_SYNTAX):
                # The TOML parser's own words are matched by prefix (conformance/README.md, Messages).
                assert actual["message"].startswith(TOML_SYNTAX), where
                actual, expected = {**actual, "message": ""}, {**expected, "message": ""}
            assert actual == expected, where
        else:
            assert out.getvalue().replace(folder, "${DIR}") == step["stdout"], where
        assert err.getvalue().replace(folder, "${DIR}") == step["stderr"], where
