"""The license runtime a product embeds: installs license files, says what the license in force
allows, and keeps that answer honest against clock turn-backs, crashes and outages.

The license in force is the newest valid installed license: among authentic files for this
instance whose ``not_before`` has passed, the latest ``expires_at`` (then ``issued_at``). An expired
license stays in force, in grace and then locked, until a newer one is installed.

``allows``, ``mode`` and ``limit`` read one attribute holding an immutable snapshot: no I/O, no
lock, no clock read. The snapshot is rebuilt on install, dismissal and check-in, and when the
standing next changes (a daemon thread wakes up then, and at least once a minute).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import logging
import os
import re
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Optional, Union

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .._time import EPOCH, iso
from ..codes import VerificationCode
from ..errors import ClientError
from ..license import License, normalize_instance_domain
from ..lifecycle import Dismissal, Mode, zones
from ..reader import DEFAULT_LIMITS
from ..verify import LicenseVerifier
from . import checkin as wire
from .atomic import write_atomically
from .audit import AuditLog, AuditVerification, Tail
from .clock import Clock, SystemClock
from .guard import ClockGuard, GuardedTime
from .history import SUFFIX, InstalledLicense, LicenseFiles, LicenseHistory
from .results import (
    CheckInOutcome,
    CheckInResult,
    DismissOutcome,
    DismissResult,
    InstallResult,
)
from .standing import (
    DEFAULT_PAYMENT_TEXT,
    NOTHING,
    UNLIMITED,
    BannerDisplay,
    ClientStanding,
    Snapshot,
    StandingFlag,
    evaluate_client,
    excesses,
)
from .state import PersistentState, StateStatus, StateStore

LOG = logging.getLogger("keyturn")

DEFAULT_ROLLBACK_TOLERANCE = _dt.timedelta(hours=1)
MAX_ROLLBACK_TOLERANCE = _dt.timedelta(days=7)
HIGH_WATER_PERSIST_INTERVAL = _dt.timedelta(minutes=10)
REFRESH_INTERVAL = _dt.timedelta(minutes=1)
MIN_REFRESH_DELAY = _dt.timedelta(milliseconds=100)
INSTANCE_ID_FILE = "instance.id"
_MAX_AUDITED_MESSAGE = 500

Usage = Callable[[], Mapping[str, int]]
PathLike = Union[str, "os.PathLike[str]"]


class LicenseManager:
    """Thread-safe. ``close()`` it (or use it as a context manager) to stop the background thread."""

    def __init__(
        self,
        state_dir: PathLike,
        trusted_keys: Mapping[str, Ed25519PublicKey],
        *,
        instance_domain: Optional[str] = None,
        usage: Optional[Usage] = None,
        clock: Optional[Clock] = None,
        rollback_tolerance: _dt.timedelta = DEFAULT_ROLLBACK_TOLERANCE,
        zone: zones.ZoneLike = None,
        check_in: Optional[wire.CheckInSettings] = None,
        background: bool = True,
        read_only: bool = False,
    ) -> None:
        if state_dir is None:
            raise ClientError("state_dir is required: where the client keeps its licenses and state")
        if not trusted_keys:
            raise ClientError("trusted_keys is required and must hold at least one public key")
        if not _dt.timedelta(0) <= rollback_tolerance <= MAX_ROLLBACK_TOLERANCE:
            raise ClientError(
                f"rollback_tolerance must be between 0 and {MAX_ROLLBACK_TOLERANCE} "
                f"(MAX_ROLLBACK_TOLERANCE), was {rollback_tolerance}"
            )
        if instance_domain is not None:
            try:
                instance_domain = normalize_instance_domain(instance_domain)
            except ValueError as e:
                raise ClientError(f"instance_domain: {e}") from None
        try:
            self._zone = zones.zone(zone) if zone is not None else _system_zone()
        except ValueError as e:
            raise ClientError(f"zone: {e}") from None
        self.state_dir = Path(state_dir)
        self._verifier = LicenseVerifier(trusted_keys)
        self._instance_domain = instance_domain
        self._usage = usage or dict
        self._clock = clock or SystemClock()
        self._read_only = read_only
        self._store = StateStore(self.state_dir)
        self._audit = AuditLog(self.state_dir)
        self._files = LicenseFiles(self.state_dir)
        self._history = LicenseHistory(self._files, self._verifier, instance_domain)
        self._check_in = check_in
        self._session_flags: set[StandingFlag] = set()
        self._lock = threading.RLock()
        self._snapshot: Snapshot = NOTHING
        self._rollback_reported = False
        self._persisted_high_water = EPOCH
        self._state: PersistentState
        self._guard: ClockGuard
        if not read_only:
            try:
                self.state_dir.mkdir(parents=True, exist_ok=True)
                self._files.create_directories()
            except OSError as e:
                raise ClientError(f"cannot create the state directory {self.state_dir}: {e}") from None
        elif not self.state_dir.is_dir():
            raise ClientError(f"no state directory at {self.state_dir}")
        with self._locked():
            self._start(rollback_tolerance)
        self._wake = threading.Condition()
        self._closed = False
        self._thread: Optional[threading.Thread] = None
        if background and not read_only:
            self._thread = threading.Thread(target=self._run, name="keyturn-client", daemon=True)
            self._thread.start()

    # ------------------------------------------------------------------ hot path

    def allows(self, feature: str) -> bool:
        """Whether the license in force grants ``feature`` and the product is not locked."""
        return feature in self._snapshot.features

    def mode(self) -> Mode:
        """FULL, READ_ONLY (grace of a read-only policy) or LOCKED."""
        return self._snapshot.mode

    def limit(self, name: str) -> int:
        """A named limit of the license in force (``seats`` from the license's seats when not
        named); ``UNLIMITED`` when not set; 0 for every name while no license is installed."""
        s = self._snapshot
        return s.limits.get(name, s.absent_limit)

    # ------------------------------------------------------------------ standing

    def standing(self, zone: zones.ZoneLike = None) -> ClientStanding:
        """The standing now: the lifecycle of the license in force at the guarded time, plus flags.
        ``zone`` writes banner dates for another viewer without changing the manager's."""
        with self._locked():
            self._history.reload_if_changed()
            standing = self._publish(self._now())
        if zone is None:
            return standing
        return self._standing_in(zones.zone(zone))

    def _standing_in(self, z: zones.Zone) -> ClientStanding:
        with self._locked():
            t = self._guard.observe()
            shown = self._shown(t.effective)
            return evaluate_client(
                shown, self._next_activation(t.effective), t, self._state, self._session_flags, z
            )[0]

    def refresh(self) -> None:
        """Re-reads the history, observes the clock and rebuilds the snapshot. The background
        thread calls this; call it yourself when built with ``background=False``."""
        self.standing()

    def dismiss(self) -> DismissResult:
        """Dismisses the banner by the rules of its stage, persisted per (license, stage)."""
        self._require_writable("dismiss a banner")
        with self._locked():
            t = self._now()
            s = self._publish(t)
            b = s.banner
            if b.dismissal is Dismissal.NONE:
                return DismissResult(DismissOutcome.NOTHING_TO_DISMISS, b)
            if b.dismissal is Dismissal.NOT_DISMISSIBLE:
                return DismissResult(DismissOutcome.NOT_DISMISSIBLE, b)
            if b.display is BannerDisplay.SHOWN:
                assert s.license is not None
                license_id = s.license.id
                self._record(None, lambda st: st.with_dismissal(license_id, b.stage_id, t.effective))
                s = self._publish(t)
            outcome = (
                DismissOutcome.COLLAPSED_TO_PILL
                if b.dismissal is Dismissal.TO_PILL
                else DismissOutcome.HIDDEN
            )
            return DismissResult(outcome, s.banner)

    # ------------------------------------------------------------------ install

    def install(self, text: str) -> InstallResult:
        """Verifies and installs a license: signature, instance, validity now, not revoked, and
        limits against current usage (a license lowering a limit below usage is refused with
        USAGE_EXCEEDS_LIMITS). Then the file is written atomically, the snapshot swapped (a locked
        product unlocks at once) and the install audited. A rejection changes only the audit log.

        Raises ClientError when the usage probe fails or the license cannot be written.
        """
        self._require_writable("install a license")
        with self._locked():
            return self._install_locked(text)

    def install_file(self, path: PathLike) -> InstallResult:
        self._require_writable("install a license")
        p = Path(path)
        try:
            with open(p, "rb") as f:
                data = f.read(DEFAULT_LIMITS.max_file_bytes + 1)
        except FileNotFoundError:
            return InstallResult(VerificationCode.MALFORMED, f"no such file: {p}")
        except OSError as e:
            return InstallResult(VerificationCode.MALFORMED, f"cannot read {p}: {e.strerror or e}")
        if len(data) > DEFAULT_LIMITS.max_file_bytes:
            return self.install(data.decode("latin-1"))  # the reader names the limit
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return InstallResult(VerificationCode.MALFORMED, f"{p} is not UTF-8 text")
        return self.install(text)

    def _install_locked(self, text: str) -> InstallResult:
        self._history.reload_if_changed()
        t = self._now()
        v = self._verifier.verify(text, t.effective, self._instance_domain)
        lic = v.license
        if not v.valid:
            return self._reject(t, v.code, v.message, lic)
        assert v.signed is not None and lic is not None
        revoked = self._state.revocation_reason(lic.id)
        if revoked is not None:
            return self._reject(
                t,
                VerificationCode.REVOKED,
                f"the vendor revoked license {lic.id} ({revoked}); it cannot be installed",
                lic,
            )
        candidate = InstalledLicense(v.signed.signature_hash(), v.signed)
        current = self._history.in_force(t.effective)
        if self._history.contains(candidate.hash):
            in_force = current is not None and current.hash == candidate.hash
            return InstallResult(
                VerificationCode.VALID,
                f"license {lic.id} is already installed" + (" and in force" if in_force else ""),
                lic,
                (),
                in_force,
            )
        becomes_in_force = current is None or candidate.is_newer_than(current)
        if becomes_in_force:
            found = excesses(
                current.license if current else None, lic, self._current_usage()
            )
            if found:
                return self._reject(
                    t,
                    VerificationCode.USAGE_EXCEEDS_LIMITS,
                    f"license {lic.id} lowers limits below current usage: "
                    + "; ".join(str(e) for e in found)
                    + ". Reduce usage first, or ask your vendor for a license with higher limits",
                    lic,
                    tuple(found),
                )
        try:
            self._files.write(candidate.hash, text)
        except OSError as e:
            raise ClientError(f"cannot write the license into {self._files.dir}: {e}") from None
        self._history.add(candidate)
        self._publish(t)
        data = {
            "license_id": lic.id,
            "file": candidate.hash + SUFFIX,
            "tier": lic.tier,
            "expires_at": iso(lic.expires_at),
            "in_force": becomes_in_force,
        }
        self._record(("installed", t.effective, data), None)
        if becomes_in_force:
            message = (
                f"installed license {lic.id} for {lic.customer}, valid until {iso(lic.expires_at)}"
            )
        else:
            assert current is not None
            message = (
                f"installed license {lic.id}, but license {current.license.id} expires later and "
                "stays in force"
            )
        return InstallResult(VerificationCode.VALID, message, lic, (), becomes_in_force)

    def _reject(
        self,
        t: GuardedTime,
        code: VerificationCode,
        message: str,
        lic: Optional[License],
        found: tuple = (),
    ) -> InstallResult:
        data: dict[str, Any] = {"code": code.value}
        if lic is not None:
            data["license_id"] = lic.id
        # Bounded: a reader message may quote the rejected input.
        data["message"] = (
            message[:_MAX_AUDITED_MESSAGE] + "…" if len(message) > _MAX_AUDITED_MESSAGE else message
        )
        self._record(("install_rejected", t.effective, data), None)
        return InstallResult(code, message, lic, found, False)

    def _current_usage(self) -> Mapping[str, int]:
        try:
            usage = self._usage()
        except Exception as e:  # the product's probe: any failure means limits cannot be checked
            raise ClientError(f"the usage probe failed, so limits cannot be checked: {e!r}") from e
        return usage or {}

    # ------------------------------------------------------------------ check-in

    def check_in(self) -> CheckInResult:
        """Checks in with the server now. A newer license in the answer installs itself; a
        revocation locks; a network failure or an answer outside the contract changes nothing.
        Holds no lock while talking to the server."""
        settings = self._check_in
        if settings is None:
            return CheckInResult(CheckInOutcome.NOT_CONFIGURED, "no check-in server is configured")
        self._require_writable("check in")
        with self._locked():
            self._history.reload_if_changed()
            current = self._history.in_force(self._now().effective)
            if current is not None:
                try:
                    used = dict(self._current_usage())
                except ClientError:
                    used = {}  # informational here; the check-in still matters
                body = wire.request_body(
                    current.license.id,
                    self._instance_id(),
                    self._instance_domain,
                    used,
                    settings.client_version,
                )
        if current is None:
            return CheckInResult(
                CheckInOutcome.NO_LICENSE,
                "no license is installed, so there is nothing to check in with",
                None,
                settings.interval,
            )
        try:
            reply = wire.send(settings, body, current.hash)
        except (OSError, ValueError) as e:
            return CheckInResult(
                CheckInOutcome.NETWORK_FAILURE,
                f"the check-in server could not be reached ({e}); nothing changed",
                None,
                settings.retry_after_failure,
            )
        with self._locked():
            return self._apply(reply, current, settings)

    def _apply(
        self, reply: wire.CheckInReply, current: InstalledLicense, settings: wire.CheckInSettings
    ) -> CheckInResult:
        t = self._now()
        license_id = current.license.id
        nxt = wire.next_check_in(reply, settings)
        if reply.kind is wire.ReplyKind.UNEXPECTED:
            return CheckInResult(
                CheckInOutcome.SERVER_ERROR,
                "the check-in server answered outside the contract: "
                f"{reply.reason or f'status {reply.status}'}; nothing changed",
                None,
                nxt,
            )
        if reply.kind is wire.ReplyKind.UNKNOWN_LICENSE:
            self._record(("check_in_unknown_license", t.effective, {"license_id": license_id}), None)
            return CheckInResult(
                CheckInOutcome.UNKNOWN_LICENSE,
                f"the server does not know license {license_id}; nothing changed",
                None,
                nxt,
            )
        if reply.kind is wire.ReplyKind.CONFLICT:
            if not self._state.instance_conflict:
                self._record(
                    ("instance_conflict", t.effective, {"license_id": license_id}),
                    lambda st: st.with_server_flags(st.payment_failing, True),
                )
                self._publish(t)
            return CheckInResult(
                CheckInOutcome.INSTANCE_CONFLICT,
                f"the server says another instance holds license {license_id}",
                None,
                nxt,
            )
        if reply.kind is wire.ReplyKind.REVOKED:
            reason = reply.reason or "no reason given"
            if self._state.revocation_reason(license_id) is None:
                self._record(
                    ("revoked", t.effective, {"license_id": license_id, "reason": reason}),
                    lambda st: st.with_revoked(license_id, reason),
                )
                self._publish(t)
            before = len(self._history.authentic)
            installed = self._install_locked(reply.license) if reply.license is not None else None
            replaced = (
                installed is not None
                and installed.in_force
                and len(self._history.authentic) > before
            )
            return CheckInResult(
                CheckInOutcome.RENEWED if replaced else CheckInOutcome.REVOKED,
                f"the vendor revoked license {license_id} ({reason})"
                + ("; the license sent with it is installed" if replaced else "; the product is locked"),
                installed,
                nxt,
            )
        payment = (reply.standing_message or DEFAULT_PAYMENT_TEXT) if reply.payment_failing else None
        if payment != self._state.payment_failing or self._state.instance_conflict:
            data = {
                "license_id": license_id,
                "payment_failing": payment is not None,
                "instance_conflict": False,
            }
            self._record(
                ("server_flags", t.effective, data),
                lambda st: st.with_server_flags(payment, False),
            )
            self._publish(t)
        if reply.license is None:
            return CheckInResult(CheckInOutcome.OK, f"checked in license {license_id}", None, nxt)
        before = len(self._history.authentic)
        result = self._install_locked(reply.license)
        newer = result.in_force and len(self._history.authentic) > before
        if not result.installed:
            outcome = CheckInOutcome.LICENSE_REJECTED
        else:
            outcome = CheckInOutcome.RENEWED if newer else CheckInOutcome.OK
        return CheckInResult(outcome, result.message, result, nxt)

    def _instance_id(self) -> str:
        """A random id made once per state directory, kept in ``instance.id``."""
        f = self.state_dir / INSTANCE_ID_FILE
        try:
            if f.exists():
                existing = f.read_text(encoding="utf-8").strip()
                if re.fullmatch(r"[A-Za-z0-9._-]{8,64}", existing):
                    return existing
            fresh = "ki_" + uuid.uuid4().hex
            write_atomically(f, fresh.encode("utf-8"))
            return fresh
        except OSError as e:
            raise ClientError(f"cannot read or write {f}: {e}") from None

    def license_token(self, license_id: str) -> Optional[str]:
        """The bearer token (check-in, renewal request) of an installed license, by its id."""
        with self._locked():
            for lic in self._history.authentic:
                if lic.license.id == license_id:
                    return lic.signed.check_in_token()
        return None

    def known_instance_id(self) -> Optional[str]:
        """This installation's id if one was made already (by a check-in); never creates one."""
        try:
            existing = (self.state_dir / INSTANCE_ID_FILE).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return existing if re.fullmatch(r"[A-Za-z0-9._-]{8,64}", existing) else None

    # ------------------------------------------------------------------ audit, lifecycle

    @property
    def audit_log(self) -> AuditLog:
        return self._audit

    def next_refresh_delay(self) -> _dt.timedelta:
        """Until the snapshot's next change, within [MIN_REFRESH_DELAY, REFRESH_INTERVAL], so a
        clock that stands still cannot make the thread spin."""
        until = self._snapshot.valid_until
        if until is None:
            return REFRESH_INTERVAL
        d = until - self._guard.high_water
        return max(MIN_REFRESH_DELAY, min(REFRESH_INTERVAL, d))

    def close(self) -> None:
        """Stops the background thread. The state on disk is always complete; nothing to flush."""
        if self._thread is None:
            return
        with self._wake:
            self._closed = True
            self._wake.notify_all()
        self._thread.join(timeout=5)

    def __enter__(self) -> "LicenseManager":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self) -> None:
        # The thread sleeps in real time (time.monotonic), whatever clock licensing reads.
        next_check_in = time.monotonic() if self._check_in else None
        while True:
            delay = self.next_refresh_delay().total_seconds()
            if next_check_in is not None:
                delay = min(delay, max(0.0, next_check_in - time.monotonic()))
            with self._wake:
                if self._closed:
                    return
                self._wake.wait(timeout=delay)
                if self._closed:
                    return
            try:
                if next_check_in is not None and time.monotonic() >= next_check_in:
                    assert self._check_in is not None
                    result = self.check_in()
                    wait = result.next_check_in or self._check_in.retry_after_failure
                    next_check_in = time.monotonic() + wait.total_seconds()
                self.refresh()
            except Exception:  # a refresh that fails must not end the thread
                LOG.warning("license refresh failed; retrying in a minute", exc_info=True)

    def _wake_up(self) -> None:
        wake = getattr(self, "_wake", None)
        if wake is not None:
            with wake:
                wake.notify_all()

    # ------------------------------------------------------------------ engine

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Serializes with other threads and processes; a read-only manager takes no file lock."""
        with self._lock:
            if self._read_only:
                yield
            else:
                with self._store.locked():
                    yield

    def _require_writable(self, what: str) -> None:
        if self._read_only:
            raise ClientError(f"this LicenseManager is read-only; it cannot {what}")

    def _shown(self, at: _dt.datetime) -> Optional[InstalledLicense]:
        in_force = self._history.in_force(at)
        return in_force if in_force is not None else self._history.next_to_start(at)

    def _next_activation(self, at: _dt.datetime) -> Optional[_dt.datetime]:
        nxt = self._history.next_to_start(at)
        return nxt.license.not_before if nxt is not None else None

    def _publish(self, t: GuardedTime) -> ClientStanding:
        at = t.effective
        standing, snapshot = evaluate_client(
            self._shown(at),
            self._next_activation(at),
            t,
            self._state,
            self._session_flags,
            self._zone,
        )
        previous = self._snapshot
        self._snapshot = snapshot
        self._audit_stage(standing)
        if previous.valid_until != snapshot.valid_until:
            self._wake_up()
        return standing

    def _audit_stage(self, s: ClientStanding) -> None:
        """Each stage a license enters is audited once: evidence of time if the state is lost."""
        if self._read_only or s.license is None or not s.stage_id:
            return
        key = f"{s.license.id}/{s.stage_id}"
        if key == self._state.last_stage:
            return
        data = {"license_id": s.license.id, "stage": s.stage_id, "phase": s.phase.value, "mode": s.mode.value}
        self._record(("stage_entered", s.evaluated_at, data), lambda st: st.with_last_stage(key))

    def _now(self) -> GuardedTime:
        """The guarded time; audits a rollback when it starts and ends, and persists the mark every
        HIGH_WATER_PERSIST_INTERVAL."""
        t = self._guard.observe()
        if self._read_only:
            return t
        if t.rollback and not self._rollback_reported:
            self._rollback_reported = True
            self._record(_rollback_event(t), None)
        elif not t.rollback and self._rollback_reported:
            self._rollback_reported = False
            self._record(("clock_restored", t.effective, {"clock": iso(t.clock)}), None)
        elif not t.effective < self._persisted_high_water + HIGH_WATER_PERSIST_INTERVAL:
            self._record(None, None)
        return t

    def _record(
        self,
        event: Optional[tuple[str, _dt.datetime, Mapping[str, Any]]],
        change: Optional[Callable[[PersistentState], PersistentState]],
    ) -> None:
        """An audit entry (optional) and a state change, written together under the store lock. A
        disk that cannot be written must not take the product down: the change is then kept in
        memory and the failure logged."""
        change = change or (lambda st: st)
        if self._read_only:
            self._state = change(self._state)
            return
        try:
            with self._locked():
                base = self._current_base()
                if event is not None:
                    name, at, data = event
                    tail = self._audit.append(at, name, data)
                    base = base.with_audit(tail.lines, tail.hash)
                self._state = self._store.write(change(base.with_high_water(self._guard.high_water)))
                self._persisted_high_water = self._state.high_water_instant
        except OSError:
            self._state = change(self._state.with_high_water(self._guard.high_water))
            self._persisted_high_water = self._guard.high_water
            LOG.warning(
                "cannot write the license state in %s; continuing from memory",
                self.state_dir,
                exc_info=True,
            )

    def _current_base(self) -> PersistentState:
        """The file as it is now (another process may have written it), or, if it was deleted or
        replaced while we ran, our own copy, and that is audited."""
        loaded = self._store.load()
        if loaded.status is StateStatus.OK:
            assert loaded.state is not None
            return loaded.state
        data = {"status": loaded.status.value, "detail": loaded.detail}
        tail = self._audit.append(self._guard.high_water, "state_reset", data)
        self._session_flags.add(StandingFlag.STATE_RESET)
        return self._state.with_audit(tail.lines, tail.hash)

    def _start(self, tolerance: _dt.timedelta) -> None:
        """Loads the state, or rebuilds it from evidence when it is missing or cannot be trusted,
        and starts the guard from the latest time that evidence proves."""
        self._history.reload_if_changed()
        tail = self._audit.tail()
        loaded = self._store.load()
        evidence = _latest(tail.last_at, self._history.latest_issued_at())
        finding: Optional[tuple[str, Mapping[str, Any]]] = None
        if loaded.status is StateStatus.OK:
            assert loaded.state is not None
            self._state = loaded.state
            floor = _latest(self._state.high_water_instant, evidence) or EPOCH
            finding = self._audit_log_mismatch(tail)
        else:
            floor = evidence or EPOCH
            self._state = PersistentState.initial(floor, tail.hash, tail.lines)
            first_use = (
                loaded.status is StateStatus.FRESH
                and not self._history.authentic
                and tail.lines == 0
            )
            if not first_use:
                finding = self._rebuild_from_evidence(loaded.status.value, loaded.detail, floor)
        self._guard = ClockGuard(self._clock, tolerance, floor)
        t = self._guard.observe()
        self._state = self._state.with_high_water(t.effective)
        if not self._read_only:
            try:
                self._state = self._store.write(self._state)
            except OSError:
                LOG.warning("cannot write the license state in %s", self.state_dir, exc_info=True)
            self._persisted_high_water = t.effective
            if finding is not None:
                self._record((finding[0], t.effective, finding[1]), None)
            if t.rollback:
                self._rollback_reported = True
                self._record(_rollback_event(t), None)
        for name, why in self._history.ignored.items():
            LOG.warning("ignoring installed license file %s: %s", name, why)
        self._publish(t)

    def _audit_log_mismatch(self, tail: Tail) -> Optional[tuple[str, Mapping[str, Any]]]:
        """The log must still hold, unchanged, the last line the state file recorded."""
        st = self._state
        intact = tail.lines >= st.audit_lines and (
            st.audit_lines == 0 or st.audit_head == (self._audit.hash_of_line(st.audit_lines) or "")
        )
        if intact:
            return None
        recorded = Tail(st.audit_lines, st.audit_head, None)
        return ("audit_log_broken", {"detail": self._audit.verify(recorded).message})

    def _rebuild_from_evidence(
        self, status: str, detail: str, floor: _dt.datetime
    ) -> tuple[str, Mapping[str, Any]]:
        """Time comes from the audit log and the licenses, revocations from the audit log;
        dismissals are lost, which only shows banners again."""
        for e in self._audit.entries():
            license_id = e.data.get("license_id")
            if e.event == "revoked" and isinstance(license_id, str):
                self._state = self._state.with_revoked(license_id, str(e.data.get("reason", "")))
        self._session_flags.add(StandingFlag.STATE_RESET)
        return ("state_reset", {"status": status, "detail": detail, "high_water": iso(floor)})


def _rollback_event(t: GuardedTime) -> tuple[str, _dt.datetime, Mapping[str, Any]]:
    data = {
        "clock": iso(t.clock),
        "high_water": iso(t.effective),
        "behind_seconds": int(t.behind.total_seconds()),
    }
    return ("clock_rollback", t.effective, data)


def _latest(*candidates: Optional[_dt.datetime]) -> Optional[_dt.datetime]:
    return max((c for c in candidates if c is not None), default=None)


def _system_zone() -> zones.Zone:
    """The machine's zone, as the banners of a product on it use: TZ, else /etc/localtime."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            target = os.path.realpath("/etc/localtime")
            marker = "/zoneinfo/"
            name = target.split(marker, 1)[1] if marker in target else ""
        except OSError:
            name = ""
    try:
        return zones.zone(name or "UTC")
    except ValueError:
        return zones.UTC


def verify_audit_log(state_dir: PathLike) -> AuditVerification:
    """Verifies a state directory's audit log against the signed state file; reads only."""
    loaded = StateStore(Path(state_dir)).load()
    expected = None
    if loaded.status is StateStatus.OK and loaded.state is not None:
        expected = Tail(loaded.state.audit_lines, loaded.state.audit_head, None)
    return AuditLog(Path(state_dir)).verify(expected)


__all__ = ["LicenseManager", "UNLIMITED", "verify_audit_log"]
