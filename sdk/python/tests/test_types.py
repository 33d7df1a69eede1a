"""The package's type hints hold: mypy (Debian's python3-mypy) checks src/keyturn."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from support import REPO, skip_or_fail


def test_mypy_finds_no_type_errors() -> None:
    if importlib.util.find_spec("mypy") is None:
        skip_or_fail("mypy is not installed: run sdk/python/install-deps.sh (apt-get install python3-mypy)")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--ignore-missing-imports", "--cache-dir=/dev/null", "src/keyturn"],
        cwd=REPO / "sdk" / "python",
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
