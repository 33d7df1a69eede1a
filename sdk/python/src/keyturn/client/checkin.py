"""Online check-in: settings and the wire contract (the same as the Java client speaks)::

    POST {server}/api/v1/check-in
    Authorization: Bearer kt_lic_<hex SHA-256 of the license's signature bytes>
    {"client_version", "instance_domain", "instance_id", "license_id", "usage": {...}}

    200 {"standing": {...}, "revoked": false, "license": "<newest file text or null>",
         "check_in_after": "PT12H"}
    401 unknown license · 403 {"revoked": true, "reason": ...} · 409 another instance holds it

From the standing the client reads ``payment_failing`` (or ``flags`` holding PAYMENT_FAILING) and
``message``. Network failures change nothing.
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from .._time import parse_duration
from ..license import CHECK_IN_TOKEN_PREFIX
from .state import canonical_json

PATH = "/api/v1/check-in"
DEFAULT_INTERVAL = _dt.timedelta(hours=12)
DEFAULT_RETRY_AFTER_FAILURE = _dt.timedelta(hours=1)
DEFAULT_TIMEOUT = _dt.timedelta(seconds=10)
MIN_INTERVAL = _dt.timedelta(minutes=1)
MAX_INTERVAL = _dt.timedelta(days=7)
DEFAULT_CLIENT_VERSION = "keyturn-python/0.1.0"
MAX_BODY_BYTES = 256 * 1024
#: What the server takes as an installation id or a node name.
WIRE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


@dataclass(frozen=True)
class CheckInSettings:
    """Where and how often to check in. Leave it out for air-gapped installs: nothing then ever
    leaves the machine."""

    server: str
    interval: _dt.timedelta = DEFAULT_INTERVAL
    retry_after_failure: _dt.timedelta = DEFAULT_RETRY_AFTER_FAILURE
    timeout: _dt.timedelta = DEFAULT_TIMEOUT
    client_version: str = DEFAULT_CLIENT_VERSION
    #: The installation id every node of a multi-node product sends (e.g. from the product's
    #: database); None: one made per state directory (``instance.id``), right for a single node.
    installation_id: Optional[str] = None
    #: This node's name within the installation, sent as ``node``; None for a single node.
    node: Optional[str] = None

    def __post_init__(self) -> None:
        u = urllib.parse.urlsplit(self.server)
        if u.scheme.lower() not in ("http", "https"):
            raise ValueError(f"check-in server must be an http(s) address, was '{self.server}'")
        if not u.hostname or u.query or u.fragment:
            raise ValueError(
                "check-in server must be a base address with a host and no query, was "
                f"'{self.server}'"
            )
        _require_within("interval", self.interval, MIN_INTERVAL, MAX_INTERVAL)
        _require_within("retry_after_failure", self.retry_after_failure, MIN_INTERVAL, MAX_INTERVAL)
        _require_within(
            "timeout", self.timeout, _dt.timedelta(milliseconds=100), _dt.timedelta(minutes=5)
        )
        if not self.client_version.strip():
            raise ValueError("client_version must not be blank")
        for name in ("installation_id", "node"):
            value = getattr(self, name)
            if value is not None and not WIRE_ID.fullmatch(value):
                raise ValueError(
                    f"{name} must be 1 to 128 of A-Z, a-z, 0-9, '.', '_', ':' or '-', was '{value}'"
                )

    @property
    def endpoint(self) -> str:
        return self.server.rstrip("/") + PATH


def _require_within(name: str, d: _dt.timedelta, low: _dt.timedelta, high: _dt.timedelta) -> None:
    if not low <= d <= high:
        raise ValueError(f"{name} must be between {low} and {high}, was {d}")


def bounded(d: _dt.timedelta) -> _dt.timedelta:
    """Clamps a server-given interval, so a bad answer can neither flood nor silence."""
    return max(MIN_INTERVAL, min(MAX_INTERVAL, d))


class ReplyKind(enum.StrEnum):
    OK = "OK"
    REVOKED = "REVOKED"
    UNKNOWN_LICENSE = "UNKNOWN_LICENSE"
    CONFLICT = "CONFLICT"
    UNEXPECTED = "UNEXPECTED"


@dataclass(frozen=True)
class CheckInReply:
    kind: ReplyKind
    status: int
    reason: Optional[str] = None
    license: Optional[str] = None
    check_in_after: Optional[_dt.timedelta] = None
    payment_failing: bool = False
    standing_message: Optional[str] = None


def request_body(
    license_id: str,
    instance_id: str,
    instance_domain: Optional[str],
    usage: Mapping[str, int],
    client_version: str,
    node: Optional[str] = None,
) -> bytes:
    """The JSON body; keys sorted, as the Java client writes them. ``node`` (a multi-node
    installation's node) is left out when None, so a single node's body is what it always was."""
    body: dict[str, Any] = {
        "client_version": client_version,
        "instance_domain": instance_domain,
        "instance_id": instance_id,
        "license_id": license_id,
        "usage": dict(sorted(usage.items())),
    }
    if node is not None:
        body["node"] = node
    return canonical_json(body)


def send(settings: CheckInSettings, body: bytes, signature_hash: str) -> CheckInReply:
    """Raises OSError (URLError included) when the server cannot be reached."""
    request = urllib.request.Request(
        settings.endpoint,
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {CHECK_IN_TOKEN_PREFIX}{signature_hash}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=settings.timeout.total_seconds()) as response:
            status, data = response.status, response.read(MAX_BODY_BYTES + 1)
    except urllib.error.HTTPError as e:
        status, data = e.code, e.read(MAX_BODY_BYTES + 1)
    if len(data) > MAX_BODY_BYTES:
        return CheckInReply(
            ReplyKind.UNEXPECTED, status, f"the answer is larger than {MAX_BODY_BYTES} bytes"
        )
    return decode(status, data.decode("utf-8", errors="replace"))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def decode(status: int, body: str) -> CheckInReply:
    if status == 200:
        return _decode_ok(body)
    if status == 401:
        return CheckInReply(ReplyKind.UNKNOWN_LICENSE, status)
    if status == 403:
        # Only an explicit revocation locks: a 403 from a proxy or a misconfiguration must not.
        node = _parse(body)
        if isinstance(node, dict) and _as_boolean(node.get("revoked")):
            return CheckInReply(ReplyKind.REVOKED, status, _text(node, "reason"))
        return CheckInReply(ReplyKind.UNEXPECTED, status, '403 without "revoked": true')
    if status == 409:
        return CheckInReply(ReplyKind.CONFLICT, status)
    return CheckInReply(ReplyKind.UNEXPECTED, status, f"HTTP status {status}")


def _decode_ok(body: str) -> CheckInReply:
    node = _parse(body)
    if not isinstance(node, dict):
        return CheckInReply(ReplyKind.UNEXPECTED, 200, "the answer is not a JSON object")
    license_text = node.get("license")
    if license_text is not None and not isinstance(license_text, str):
        return CheckInReply(ReplyKind.UNEXPECTED, 200, '"license" is not a string')
    after = None
    after_text = _text(node, "check_in_after")
    if after_text is not None:
        try:
            after = parse_duration(after_text)
        except ValueError:
            return CheckInReply(
                ReplyKind.UNEXPECTED, 200, '"check_in_after" is not an ISO-8601 duration'
            )
    standing = node.get("standing")
    standing = standing if isinstance(standing, dict) else {}
    # The server sends the flag at the top level; older answers carry it in the standing.
    payment_failing = _as_boolean(node.get("payment_failing")) or _as_boolean(
        standing.get("payment_failing")
    )
    flags = standing.get("flags")
    if isinstance(flags, list):
        payment_failing |= any(f == "PAYMENT_FAILING" for f in flags)
    revoked = _as_boolean(node.get("revoked"))
    return CheckInReply(
        ReplyKind.REVOKED if revoked else ReplyKind.OK,
        200,
        _text(node, "reason"),
        license_text,
        after,
        payment_failing,
        _text(standing, "message"),
    )


def next_check_in(reply: CheckInReply, settings: CheckInSettings) -> _dt.timedelta:
    """The server's check_in_after (clamped), else the interval; the retry delay after an answer
    outside the contract."""
    if reply.kind is ReplyKind.UNEXPECTED:
        return settings.retry_after_failure
    return bounded(reply.check_in_after or settings.interval)


def _as_boolean(value: Any) -> bool:
    """Jackson's ``asBoolean(false)``, as the Java client reads these flags."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    return isinstance(value, str) and value.strip() == "true"


def _parse(body: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _text(node: Mapping[str, Any], name: str) -> Optional[str]:
    v = node.get(name)
    return v if isinstance(v, str) and v.strip() else None
