"""The README's embed example runs as written (only its two paths point at a temporary folder)."""

from __future__ import annotations

import re
import subprocess
import shutil


from support import REPO, license_, skip_or_fail, utc

README = REPO / "sdk" / "python" / "README.md"


def embed_example() -> str:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- embed-example", 1)[1]
    return re.search(r"```python\n(.*?)```", block, re.S).group(1)


def test_the_embed_example_is_five_lines_and_runs(tmp_path, signing_key) -> None:
    code = embed_example()
    assert len([line for line in code.splitlines() if line.strip()]) == 5
    keys = tmp_path / "keys"
    signing_key.write(keys)
    from keyturn.client import LicenseManager

    LicenseManager(
        tmp_path / "state", {"2026-a": signing_key.public_key()}, background=False
    ).install(
        signing_key.sign(license_(not_before=utc(2026, 1, 1), expires_at=utc(2036, 1, 1))).to_toml()
    )
    enabled = []
    namespace = {"enable_single_sign_on": lambda: enabled.append(True)}
    exec(
        code.replace("/var/lib/acme/license", str(tmp_path / "state")).replace(
            "/etc/acme/keys", str(keys)
        ),
        namespace,
    )
    namespace["licenses"].close()
    assert enabled == [True]


def test_the_zone_name_table_is_what_java_prints(tmp_path) -> None:
    java = shutil.which("java")
    if java is None:
        skip_or_fail("java is not on the PATH; the zone name table cannot be regenerated here")
    result = subprocess.run(
        [java, str(REPO / "sdk/python/tools/ZoneNames.java")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    committed = (REPO / "sdk/python/src/keyturn/lifecycle/zone_names.json").read_text(
        encoding="utf-8"
    )
    assert result.stdout == committed, (
        "zone_names.json differs from what this Java prints; regenerate it: java "
        "sdk/python/tools/ZoneNames.java > sdk/python/src/keyturn/lifecycle/zone_names.json"
    )
