"""conformance/vectors/cli.json: the keyturn command's contract, each scenario's steps run in-process
with the clock fixed at the step's instant, in a fresh scratch folder."""

from __future__ import annotations

import base64
import io
import json
import re
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
    if isinstance(value, dict):
        return {
            k: (
                _whole_seconds(v)
                if k == "evaluated_at" and isinstance(v, str)
                else normalize(v, folder)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [normalize(v, folder) for v in value]
    if isinstance(value, str):
        return value.replace(folder, "${DIR}")
    return value


def _whole_seconds(iso: str) -> str:
    return re.sub(r"\.\d+Z$", "Z", iso)


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
