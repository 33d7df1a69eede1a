"""Online check-in against a real HTTP server on localhost speaking the wire contract."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from typing import Any, Callable

import pytest

from keyturn import Mode
from keyturn.client import (
    CheckInOutcome,
    CheckInSettings,
    LicenseManager,
    SettableClock,
    StandingFlag,
)
from keyturn.client.checkin import request_body
from support import license_, utc


class Server:
    """Answers each POST with ``reply(request) -> (status, body)`` and records the requests."""

    def __init__(self, reply: Callable[[dict[str, Any]], tuple[int, Any]]) -> None:
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                seen = {
                    "path": self.path,
                    "authorization": self.headers["Authorization"],
                    "body": body,
                }
                outer.requests.append(seen)
                status, answer = reply(seen)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def setup(tmp_path, ring, signing_key):
    servers: list[Server] = []

    def make(reply, usage=None, **settings: Any) -> tuple[LicenseManager, Server, Any]:
        server = Server(reply)
        servers.append(server)
        m = LicenseManager(
            tmp_path / "state",
            ring,
            clock=SettableClock(utc(2027, 6, 1)),
            zone="UTC",
            background=False,
            usage=usage or (lambda: {"users": 7}),
            check_in=CheckInSettings(server.url, timeout=dt.timedelta(seconds=5), **settings),
        )
        signed = signing_key.sign(license_())
        m.install(signed.to_toml())
        return m, server, signed

    yield make
    for s in servers:
        s.close()


def test_a_check_in_speaks_the_wire_contract(setup) -> None:
    m, server, signed = setup(
        lambda r: (200, {"revoked": False, "license": None, "check_in_after": "PT6H"})
    )
    result = m.check_in()
    assert result.outcome is CheckInOutcome.OK
    assert result.next_check_in == dt.timedelta(hours=6)
    request = server.requests[0]
    assert request["path"] == "/api/v1/check-in"
    assert request["authorization"] == "Bearer " + signed.check_in_token()
    assert request["body"]["license_id"] == "lic-0001"
    assert request["body"]["usage"] == {"users": 7}
    assert request["body"]["instance_id"].startswith("ki_")


def test_a_node_of_a_multi_node_installation_sends_the_installation_id_and_its_node(setup) -> None:
    m, server, _ = setup(
        lambda r: (200, {"revoked": False, "license": None, "check_in_after": "PT6H"}),
        installation_id="acme-prod-cluster",
        node="node-b.eu-west:2",
    )
    assert m.check_in().outcome is CheckInOutcome.OK
    body = server.requests[0]["body"]
    assert body["instance_id"] == "acme-prod-cluster"
    assert body["node"] == "node-b.eu-west:2"


def test_a_single_node_sends_no_node() -> None:
    assert b'"node"' not in request_body("lic", "ki_1", None, {}, "v")


@pytest.mark.parametrize("bad", ["", "a b", "n/1", "x" * 129])
def test_a_bad_installation_id_or_node_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="node"):
        CheckInSettings("https://licenses.vendor.example", node=bad)
    with pytest.raises(ValueError, match="installation_id"):
        CheckInSettings("https://licenses.vendor.example", installation_id=bad)


def test_a_newer_license_in_the_answer_installs_itself(setup, signing_key) -> None:
    renewal = signing_key.sign(
        license_(license_id="lic-2028", expires_at=utc(2028, 11, 22))
    ).to_toml()
    m, _, _ = setup(lambda r: (200, {"revoked": False, "license": renewal}))
    result = m.check_in()
    assert result.outcome is CheckInOutcome.RENEWED
    assert m.standing().license.id == "lic-2028"


def test_a_revocation_locks_and_a_network_failure_changes_nothing(setup) -> None:
    m, server, _ = setup(lambda r: (403, {"revoked": True, "reason": "refunded"}))
    assert m.check_in().outcome is CheckInOutcome.REVOKED
    s = m.standing()
    assert m.mode() is Mode.LOCKED and s.has(StandingFlag.REVOKED)
    assert "The vendor revoked license lic-0001 (refunded)." in s.banner.text
    server.close()
    assert m.check_in().outcome is CheckInOutcome.NETWORK_FAILURE


def test_payment_failing_is_flagged_and_a_proxy_403_is_not_a_revocation(setup) -> None:
    m, _, _ = setup(
        lambda r: (
            200,
            {
                "revoked": False,
                "standing": {"flags": ["PAYMENT_FAILING"], "message": "Card declined."},
            },
        )
    )
    assert m.check_in().outcome is CheckInOutcome.OK
    assert m.standing().has(StandingFlag.PAYMENT_FAILING)
    assert m.standing().banner.text.startswith("Card declined.")


def test_an_answer_outside_the_contract_changes_nothing(setup) -> None:
    m, _, _ = setup(lambda r: (403, {"error": "forbidden by proxy"}))
    result = m.check_in()
    assert result.outcome is CheckInOutcome.SERVER_ERROR
    assert m.mode() is Mode.FULL


def test_unknown_license_and_instance_conflict_change_no_mode(setup) -> None:
    answers = iter([(401, {}), (409, {})])
    m, _, _ = setup(lambda r: next(answers))
    assert m.check_in().outcome is CheckInOutcome.UNKNOWN_LICENSE
    assert m.check_in().outcome is CheckInOutcome.INSTANCE_CONFLICT
    s = m.standing()
    assert m.mode() is Mode.FULL and s.has(StandingFlag.INSTANCE_CONFLICT)
    events = [e.event for e in m.audit_log.entries()]
    assert events[-2:] == ["check_in_unknown_license", "instance_conflict"]


def test_the_background_thread_checks_in_at_start(tmp_path, ring, signing_key) -> None:
    from keyturn.client import SystemClock

    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    seen = threading.Event()

    def reply(request):
        seen.set()
        return 200, {"revoked": False}

    server = Server(reply)
    try:
        LicenseManager(tmp_path / "s", ring, background=False).install(
            signing_key.sign(
                license_(
                    not_before=now - dt.timedelta(days=1), expires_at=now + dt.timedelta(days=300)
                )
            ).to_toml()
        )
        m = LicenseManager(
            tmp_path / "s", ring, clock=SystemClock(), check_in=CheckInSettings(server.url)
        )
        try:
            assert seen.wait(timeout=20), "no check-in within 20 s of start"
        finally:
            m.close()
    finally:
        server.close()
