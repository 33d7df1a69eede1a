"""``python -m keyturn`` and ``bin/keyturn-python``: the Java CLI's arguments, JSON and exit codes.
When the Java CLI is built (``bin/keyturn`` finds its jar), both are run and must print the same."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from keyturn.cli import main
from support import REPO, license_, skip_or_fail, utc


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err, now=lambda: utc(2027, 6, 1))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def files(tmp_path, signing_key):
    keys = tmp_path / "keys"
    signing_key.write(keys)
    lic = tmp_path / "acme.license.toml"
    lic.write_text(signing_key.sign(license_()).to_toml())
    state = tmp_path / "state"
    state.mkdir()
    return keys, lic, state


def test_verify_exits_0_only_for_valid(files) -> None:
    keys, lic, _ = files
    code, out, _ = run("license", "verify", str(lic), "--trust", str(keys))
    assert code == 0 and out.startswith("VALID: valid for Acme Corp until 2027-11-22T00:00:00Z\n")
    code, _, err = run("license", "verify", str(lic), "--trust", str(keys), "--at", "2030-01-01")
    assert code == 1 and err.startswith("EXPIRED: this license expired at 2027-11-22T00:00:00Z")
    code, out, _ = run("license", "verify", str(lic), "--trust", str(keys), "--json")
    document = json.loads(out)
    assert (document["code"], document["license"]["id"]) == ("VALID", "lic-0001")


def test_usage_errors_exit_2(files) -> None:
    _, lic, _ = files
    code, _, err = run("license", "verify", str(lic))
    assert code == 2 and "--trust" in err
    assert run("license", "verify", str(lic), "--trust", "k", "--at", "soon")[0] == 2


def test_status_exits_0_full_3_read_only_4_locked(files, signing_key, tmp_path) -> None:
    keys, lic, state = files
    assert run("license", "status", "--state-dir", str(state), "--trust", str(keys))[0] == 4
    code, out, _ = run(
        "license", "install", str(lic), "--state-dir", str(state), "--trust", str(keys)
    )
    assert code == 0 and out.startswith("Installed license lic-0001 for Acme Corp")
    code, out, _ = run("status", "--state-dir", str(state), "--trust", str(keys), "--json")
    assert code == 0 and json.loads(out)["mode"] == "FULL"
    sub = tmp_path / "sub.license.toml"
    sub.write_text(
        signing_key.sign(license_(preset="subscription", expires_at=utc(2027, 5, 30))).to_toml()
    )
    other = tmp_path / "other-state"
    other.mkdir()
    # Installed before it expired (the CLI's clock says 2027-06-01, after it): refused.
    assert run("install", str(sub), "--state-dir", str(other), "--trust", str(keys))[0] == 1


def test_a_missing_state_dir_is_an_error_not_a_new_directory(files, tmp_path) -> None:
    keys, _, _ = files
    code, _, err = run("status", "--state-dir", str(tmp_path / "nope"), "--trust", str(keys))
    assert code == 1 and "no such directory" in err
    assert not (tmp_path / "nope").exists()


def test_bin_keyturn_python_runs_from_the_repository_root(files) -> None:
    keys, lic, _ = files
    result = subprocess.run(
        [str(REPO / "bin" / "keyturn-python"), "license", "verify", str(lic), "--trust", str(keys)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ""},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("VALID: ")


def java_cli() -> Path:
    jar = REPO / "keyturn-cli" / "target" / "keyturn.jar"
    if not jar.exists():
        skip_or_fail(
            f"{jar} is not built (./mvnw -q -B -pl keyturn-cli -am package -DskipTests); "
            "the checks against the Java CLI need it"
        )
    return REPO / "bin" / "keyturn"


def test_json_equals_the_java_cli(files) -> None:
    keys, lic, _ = files
    args = ["license", "verify", str(lic), "--trust", str(keys), "--at", "2027-06-01", "--json"]
    java = subprocess.run([str(java_cli()), *args], capture_output=True, text=True, timeout=120)
    python = subprocess.run(
        [str(REPO / "bin" / "keyturn-python"), *args], capture_output=True, text=True, timeout=60
    )
    assert (python.returncode, python.stdout) == (java.returncode, java.stdout)


def test_both_clis_share_one_state_directory(files, tmp_path) -> None:
    """The same licenses/, HMAC-signed state.json and audit.log: each CLI trusts what the other wrote
    (a state it could not verify would say STATE_RESET)."""
    keys, lic, state = files
    java = str(java_cli())
    python = str(REPO / "bin" / "keyturn-python")
    installed = subprocess.run(
        [python, "install", str(lic), "--state-dir", str(state), "--trust", str(keys)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert installed.returncode == 0, installed.stderr
    status = subprocess.run(
        [java, "status", "--state-dir", str(state), "--trust", str(keys), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    document = json.loads(status.stdout)
    assert (document["license"]["id"], document["flags"]) == ("lic-0001", [])
    verified = subprocess.run(
        [java, "audit", "verify", "--state-dir", str(state)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    again = subprocess.run(
        [python, "status", "--state-dir", str(state), "--trust", str(keys), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(again.stdout)["flags"] == []


def test_audit_verify(files, signing_key) -> None:
    keys, lic, state = files
    assert run("install", str(lic), "--state-dir", str(state), "--trust", str(keys))[0] == 0
    code, out, _ = run("audit", "verify", "--state-dir", str(state))
    assert code == 0 and out.endswith("audit.log: all 1 lines are intact and chained\n")
    log = state / "audit.log"
    log.write_text(log.read_text().replace("enterprise", "basic"))
    code, out, _ = run("audit", "verify", "--state-dir", str(state), "--json")
    assert code == 1
    assert json.loads(out) == {
        "intact": False,
        "lines": 1,
        "broken_line": 1,
        "message": "line 1 was changed: the state file records a different hash for it",
    }
