"""The HMAC-signed state file (``state.json``) and its secret (``state.key``, 32 random bytes,
owner-only), plus the lock that serializes writers. The same files as the Java client writes.

Threat model, stated plainly: the MAC turns "edit a timestamp in a JSON file" into "find and use
the secret next to it". It stops casual tampering and, with the high-water mark it protects, casual
clock turn-backs. It does not stop someone who can read the secret, nor restoring a complete backup
of the state directory: an offline client has nothing outside its own disk to compare with.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import enum
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Optional

from .._time import instant, iso
from .atomic import write_atomically

STATE_FILE = "state.json"
KEY_FILE = "state.key"
LOCK_FILE = ".lock"
VERSION = 1
KEY_BYTES = 32
MAX_STATE_BYTES = 1024 * 1024
_MAC_DOMAIN = b"keyturn-state-v1\n"
_FIELDS = (
    "audit_head",
    "audit_lines",
    "counter",
    "dismissals",
    "high_water",
    "instance_conflict",
    "last_stage",
    "payment_failing",
    "revoked",
    "version",
)


class StateStatus(enum.StrEnum):
    """What loading found. Everything but OK and FRESH is worth an audit entry."""

    OK = "OK"
    FRESH = "FRESH"
    MISSING = "MISSING"
    UNREADABLE = "UNREADABLE"
    FORGED = "FORGED"
    REPLAYED = "REPLAYED"


@dataclass(frozen=True)
class PersistentState:
    """Everything the client remembers between runs besides license files and the audit log.

    ``counter`` rises on every write, so an older copy put back is recognised; ``high_water`` is
    the latest licensing instant reached (kept as the text that was signed).
    """

    version: int
    counter: int
    high_water: str
    dismissals: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    revoked: Mapping[str, str] = field(default_factory=dict)
    payment_failing: Optional[str] = None
    instance_conflict: bool = False
    audit_lines: int = 0
    audit_head: str = "0" * 64
    last_stage: str = ""

    def __post_init__(self) -> None:
        instant(self.high_water)  # rejects a value that is not an instant while reading

    @staticmethod
    def initial(high_water: _dt.datetime, audit_head: str, audit_lines: int) -> "PersistentState":
        return PersistentState(
            VERSION, 0, iso(high_water), {}, {}, None, False, audit_lines, audit_head, ""
        )

    @property
    def high_water_instant(self) -> _dt.datetime:
        return instant(self.high_water)

    def dismissed_at(self, license_id: str, stage_id: str) -> Optional[_dt.datetime]:
        at = self.dismissals.get(license_id, {}).get(stage_id)
        return instant(at) if at is not None else None

    def revocation_reason(self, license_id: str) -> Optional[str]:
        return self.revoked.get(license_id)

    def with_high_water(self, at: _dt.datetime) -> "PersistentState":
        """Never lowers the mark, whatever the caller passes."""
        if at > self.high_water_instant:
            return dataclasses.replace(self, high_water=iso(at))
        return self

    def with_counter(self, counter: int) -> "PersistentState":
        return dataclasses.replace(self, counter=counter)

    def with_dismissal(self, license_id: str, stage_id: str, at: _dt.datetime) -> "PersistentState":
        """Only the license's own dismissals are kept; older licenses' are done."""
        stages = dict(self.dismissals.get(license_id, {}))
        stages[stage_id] = iso(at)
        return dataclasses.replace(self, dismissals={license_id: stages})

    def with_revoked(self, license_id: str, reason: str) -> "PersistentState":
        return dataclasses.replace(self, revoked={**self.revoked, license_id: reason})

    def with_server_flags(
        self, payment_failing: Optional[str], conflict: bool
    ) -> "PersistentState":
        return dataclasses.replace(
            self, payment_failing=payment_failing, instance_conflict=conflict
        )

    def with_last_stage(self, stage: str) -> "PersistentState":
        return dataclasses.replace(self, last_stage=stage)

    def with_audit(self, lines: int, head: str) -> "PersistentState":
        return dataclasses.replace(self, audit_lines=lines, audit_head=head)

    def to_json(self) -> dict[str, Any]:
        return {
            "audit_head": self.audit_head,
            "audit_lines": self.audit_lines,
            "counter": self.counter,
            "dismissals": {k: dict(sorted(v.items())) for k, v in sorted(self.dismissals.items())},
            "high_water": self.high_water,
            "instance_conflict": self.instance_conflict,
            "last_stage": self.last_stage,
            "payment_failing": self.payment_failing,
            "revoked": dict(sorted(self.revoked.items())),
            "version": self.version,
        }

    @staticmethod
    def from_json(data: Any) -> "PersistentState":
        """Strict, like the Java reader: unknown or mistyped fields are refused (ValueError)."""
        if not isinstance(data, dict) or set(data) - set(_FIELDS):
            raise ValueError("unexpected fields")

        def typed(name: str, kind: type, default: Any = None, nullable: bool = False) -> Any:
            value = data.get(name, default)
            if value is None and nullable:
                return None
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise ValueError(f"{name} has the wrong type")
            return value

        dismissals = typed("dismissals", dict, {}, nullable=True) or {}
        revoked = typed("revoked", dict, {}, nullable=True) or {}
        for stages in dismissals.values():
            if not isinstance(stages, dict) or not all(isinstance(v, str) for v in stages.values()):
                raise ValueError("dismissals has the wrong type")
        if not all(isinstance(v, str) for v in revoked.values()):
            raise ValueError("revoked has the wrong type")
        return PersistentState(
            version=typed("version", int),
            counter=typed("counter", int),
            high_water=typed("high_water", str),
            dismissals=dismissals,
            revoked=revoked,
            payment_failing=typed("payment_failing", str, None, nullable=True),
            instance_conflict=typed("instance_conflict", bool, False),
            audit_lines=typed("audit_lines", int, 0),
            audit_head=typed("audit_head", str),
            last_stage=typed("last_stage", str, "", nullable=True) or "",
        )


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: equal values give equal bytes, as Jackson writes them."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


@dataclass(frozen=True)
class Loaded:
    status: StateStatus
    state: Optional[PersistentState]
    detail: str


_PROCESS_LOCKS: dict[Path, threading.RLock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


class StateStore:
    """Writers are serialized twice: a lock per directory inside this process, and an OS file lock
    on ``.lock`` across processes (the product and ``keyturn install`` may run at once; the lock is
    the same POSIX lock the Java client takes)."""

    def __init__(self, directory: Path) -> None:
        self.dir = Path(os.path.abspath(directory))
        with _PROCESS_LOCKS_GUARD:
            self._lock = _PROCESS_LOCKS.setdefault(self.dir, threading.RLock())
        self._depth = threading.local()
        self._lock_fd: Optional[int] = None
        self._key: Optional[bytes] = None
        self._last_written_counter = -1

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Holds both locks; reentrant, so nested use is fine."""
        with self._lock:
            depth = getattr(self._depth, "n", 0)
            self._depth.n = depth + 1
            if depth == 0:
                self._acquire_file_lock()
            try:
                yield
            finally:
                self._depth.n = depth
                if depth == 0:
                    self._release_file_lock()

    def load(self) -> Loaded:
        """Reads and verifies the state file; never creates anything."""
        existing_key = self._read_key()
        try:
            data = _read_bounded(self.dir / STATE_FILE)
        except FileNotFoundError:
            if existing_key is not None:
                return Loaded(StateStatus.MISSING, None, f"{STATE_FILE} is missing")
            return Loaded(StateStatus.FRESH, None, "no state yet")
        except OSError as e:
            return Loaded(StateStatus.UNREADABLE, None, f"cannot read {STATE_FILE}: {e}")
        try:
            parsed = json.loads(data.decode("utf-8"))
            if not isinstance(parsed, dict) or set(parsed) - {"state", "mac"}:
                raise ValueError("unexpected fields")
            raw_state, mac = parsed.get("state"), parsed.get("mac")
            if raw_state is None or mac is None:
                return Loaded(StateStatus.UNREADABLE, None, f"{STATE_FILE} is incomplete")
            if not isinstance(mac, str):
                raise ValueError("mac is not text")
            state = PersistentState.from_json(raw_state)
        except (ValueError, UnicodeDecodeError):
            return Loaded(
                StateStatus.UNREADABLE,
                None,
                f"{STATE_FILE} is not a valid state file (truncated or edited)",
            )
        if state.version != VERSION:
            return Loaded(
                StateStatus.UNREADABLE,
                None,
                f"{STATE_FILE} has version {state.version}, expected {VERSION}",
            )
        if existing_key is None:
            return Loaded(
                StateStatus.FORGED,
                None,
                f"{KEY_FILE} is missing, so {STATE_FILE} cannot be verified",
            )
        try:
            actual = bytes.fromhex(mac)
        except ValueError:
            actual = b""
        if not hmac.compare_digest(_mac(existing_key, state), actual):
            return Loaded(
                StateStatus.FORGED,
                None,
                f"{STATE_FILE} does not carry a valid signature: it was edited or replaced",
            )
        if state.counter < self._last_written_counter:
            return Loaded(
                StateStatus.REPLAYED,
                None,
                f"{STATE_FILE} has counter {state.counter} but this process already wrote "
                f"{self._last_written_counter}: an older copy was put back",
            )
        return Loaded(StateStatus.OK, state, "verified")

    def write(self, state: PersistentState) -> PersistentState:
        """Signs and writes ``state`` with its counter raised past anything written before; creates
        the secret on first use. Raises OSError when the disk refuses."""
        counter = max(state.counter, self._last_written_counter) + 1
        nxt = state.with_counter(counter)
        key = self._key_for_writing()
        document = {"mac": _mac(key, nxt).hex(), "state": nxt.to_json()}
        write_atomically(self.dir / STATE_FILE, canonical_json(document))
        self._last_written_counter = counter
        return nxt

    def _read_key(self) -> Optional[bytes]:
        if self._key is not None:
            return self._key
        try:
            data = _read_bounded(self.dir / KEY_FILE)
        except OSError:
            return None
        if len(data) == KEY_BYTES:
            self._key = data
            return data
        return None

    def _key_for_writing(self) -> bytes:
        existing = self._read_key()
        if existing is not None:
            return existing
        # Missing or damaged: a new secret. What the old one signed cannot be trusted anyway.
        fresh = secrets.token_bytes(KEY_BYTES)
        write_atomically(self.dir / KEY_FILE, fresh, owner_only=True)
        self._key = fresh
        return fresh

    def _acquire_file_lock(self) -> None:
        """Without the lock file (directory gone or read-only) the action still runs under the
        process lock: reading must go on, and a write fails on its own and is reported there."""
        try:
            fd = os.open(self.dir / LOCK_FILE, os.O_WRONLY | os.O_CREAT, 0o644)
        except OSError:
            return
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX)
        except OSError:
            os.close(fd)
            return
        self._lock_fd = fd

    def _release_file_lock(self) -> None:
        if self._lock_fd is not None:
            try:
                fcntl.lockf(self._lock_fd, fcntl.LOCK_UN)
            finally:
                os.close(self._lock_fd)
                self._lock_fd = None


def _mac(key: bytes, state: PersistentState) -> bytes:
    return hmac.new(key, _MAC_DOMAIN + canonical_json(state.to_json()), hashlib.sha256).digest()


def _read_bounded(path: Path) -> bytes:
    with open(path, "rb") as f:
        data = f.read(MAX_STATE_BYTES + 1)
    if len(data) > MAX_STATE_BYTES:
        raise OSError(f"larger than {MAX_STATE_BYTES} bytes")
    return data
