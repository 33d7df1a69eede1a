"""The package's type hints hold and its code is formatted: Debian's mypy and black, as Spotless
checks the Java sources."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys

from support import REPO, skip_or_fail

SDK = REPO / "sdk" / "python"


def test_mypy_finds_no_type_errors() -> None:
    if importlib.util.find_spec("mypy") is None:
        skip_or_fail(
            "mypy is not installed: run sdk/python/install-deps.sh (apt-get install python3-mypy)"
        )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--ignore-missing-imports",
            "--cache-dir=/dev/null",
            "src/keyturn",
        ],
        cwd=SDK,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_python_code_is_formatted() -> None:
    black = shutil.which("black")
    if black is None:
        skip_or_fail(
            "black is not installed: run sdk/python/install-deps.sh (apt-get install black)"
        )
    paths = ["src", "tests", str(REPO / "examples" / "django-app"), str(REPO / "bench" / "python")]
    result = subprocess.run(
        [black, "--check", "--quiet", "--config", "pyproject.toml", *paths],
        cwd=SDK,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (
        "not formatted; run: (cd sdk/python && black --config pyproject.toml src tests "
        "../../examples/django-app ../../bench/python)\n" + result.stderr
    )
