"""conformance/vectors/check-in.json: tokens, request bodies byte for byte, and how every answer of
the server is read."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from keyturn.client import checkin
from keyturn.reader import LicenseReader
from support import CONFORMANCE, vectors

PRESENT = (CONFORMANCE / "vectors/check-in.json").exists()
SUITE = vectors("check-in") if PRESENT else {"tokens": [], "requests": [], "answers": []}
SETTINGS = checkin.CheckInSettings("https://licenses.vendor.example")


def test_endpoint_and_intervals() -> None:
    suite = vectors("check-in")
    assert suite["endpoint"]["path"] == checkin.PATH
    assert suite["endpoint"]["max_answer_bytes"] == checkin.MAX_BODY_BYTES
    seconds = {
        k: int(v.total_seconds())
        for k, v in {
            "default_seconds": checkin.DEFAULT_INTERVAL,
            "retry_after_failure_seconds": checkin.DEFAULT_RETRY_AFTER_FAILURE,
            "min_seconds": checkin.MIN_INTERVAL,
            "max_seconds": checkin.MAX_INTERVAL,
        }.items()
    }
    assert seconds == suite["intervals"]


@pytest.mark.parametrize("case", SUITE["tokens"], ids=lambda c: c["name"])
def test_token(case: dict[str, Any]) -> None:
    signed = LicenseReader().read_bytes(base64.b64decode(case["file_base64"]))
    assert signed.signature_hash() == case["signature_hash"]
    assert signed.check_in_token() == case["check_in_token"]
    crlf = base64.b64decode(case["file_base64"]).decode("utf-8").replace("\n", "\r\n")
    assert LicenseReader().read(crlf).check_in_token() == case["token_of_crlf_copy"]


@pytest.mark.parametrize("case", SUITE["requests"], ids=lambda c: c["name"])
def test_request_body(case: dict[str, Any]) -> None:
    i = case["input"]
    body = checkin.request_body(
        i["license_id"],
        i["instance_id"],
        i["instance_domain"],
        i["usage"],
        i["client_version"],
        i.get("node"),
    )
    assert body.decode("utf-8") == case["expected_body_text"]
    assert json.loads(body) == case["expected_body"]


@pytest.mark.parametrize("case", SUITE["answers"], ids=lambda c: c["name"])
def test_answer(case: dict[str, Any]) -> None:
    reply = checkin.decode(case["status"], case["body"])
    after = reply.check_in_after
    actual = {
        "kind": reply.kind.value,
        "reason": reply.reason,
        "license": reply.license,
        "check_in_after_seconds": int(after.total_seconds()) if after is not None else None,
        "next_check_in_seconds": int(checkin.next_check_in(reply, SETTINGS).total_seconds()),
        "payment_failing": reply.payment_failing,
        "standing_message": reply.standing_message,
    }
    expected = {k: case["expected"][k] for k in actual}
    assert actual == expected
