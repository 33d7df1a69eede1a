"""conformance/vectors/cli.json: the keyturn command's contract, each scenario's steps run in-process
with the clock fixed at the step's instant, in a fresh scratch folder."""

from __future__ import annotations

import base64
import datetime as dt
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
    """The scratch folder as ${DIR}; evaluated_at set aside, to be checked on its own."""
    if isinstance(value, dict):
        return {
            k: ("<evaluated_at>" if k == "evaluated_at" else normalize(v, folder))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [normalize(v, folder) for v in value]
    if isinstance(value, str):
        return value.replace(folder, "${DIR}")
    return value


def evaluated_at(document: Any) -> list[str]:
    if isinstance(document, dict):
        found = [document["evaluated_at"]] if isinstance(document.get("evaluated_at"), str) else []
        return found + [e for v in document.values() for e in evaluated_at(v)]
    if isinstance(document, list):
        return [e for v in document for e in evaluated_at(v)]
    return []


def evaluated_at_ok(actual: str, expected: str, now: dt.datetime) -> bool:
    """Licensing time is the step's clock plus what the clock guard credited for the time the
    command took. The reference records it truncated to seconds, yet a slow run of the generator
    still recorded 12:00:01Z for a command at 12:00:00Z; so: never before the clock, and within a
    few seconds of the reference's."""
    a, e = instant(actual), instant(expected)
    return a >= now and abs((a - e).total_seconds()) < 5


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
            document = json.loads(out.getvalue())
            for mine, reference in zip(evaluated_at(document), evaluated_at(step["stdout_json"])):
                assert evaluated_at_ok(mine, reference, now), f"{where}: {mine} vs {reference}"
            actual = normalize(document, folder)
            expected = normalize(step["stdout_json"], folder)
            if str(expected.get("message", "")).startswith(TOML_SYNTAX):
                # The TOML parser's own words are matched by prefix (conformance/README.md, Messages).
                assert actual["message"].startswith(TOML_SYNTAX), where
                actual, expected = {**actual, "message": ""}, {**expected, "message": ""}
            assert actual == expected, where
        else:
            assert out.getvalue().replace(folder, "${DIR}") == step["stdout"], where
        assert err.getvalue().replace(folder, "${DIR}") == step["stderr"], where
