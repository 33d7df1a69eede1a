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

import datetime as _dt
import logging
import os
import re
import threading
import time
from pathlib import Path
from typing import Mapping, Optional, Union

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..codes import VerificationCode
from ..errors import ClientError, UsageLimitError
from ..license import normalize_instance_domain
from ..lifecycle import Dismissal, Mode, zones
from ..lifecycle.usage import UsageDecision, UsageStanding, increase
from ..reader import DEFAULT_LIMITS
from ..verify import LicenseVerifier
from . import checkin as wire
from .audit import AuditLog, AuditVerification, Tail
from .checkin_flow import INSTANCE_ID_FILE, CheckInFlow
from .clock import Clock, SystemClock
from .engine import Engine, Usage
from .installer import Installer
from .results import CheckInOutcome, CheckInResult, DismissOutcome, DismissResult, InstallResult
from .standing import NO_LICENSE_TEXT, UNLIMITED, BannerDisplay, ClientStanding, evaluate_client
from .state import StateStatus, StateStore

LOG = logging.getLogger("keyturn")

DEFAULT_ROLLBACK_TOLERANCE = _dt.timedelta(hours=1)
MAX_ROLLBACK_TOLERANCE = _dt.timedelta(days=7)
REFRESH_INTERVAL = _dt.timedelta(minutes=1)
MIN_REFRESH_DELAY = _dt.timedelta(milliseconds=100)

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
            raise ClientError(
                "state_dir is required: where the client keeps its licenses and state"
            )
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
            viewer = zones.zone(zone) if zone is not None else _system_zone()
        except ValueError as e:
            raise ClientError(f"zone: {e}") from None
        self.state_dir = Path(state_dir)
        self._engine = Engine(
            self.state_dir,
            LicenseVerifier(trusted_keys),
            instance_domain,
            usage,
            clock or SystemClock(),
            viewer,
            read_only,
        )
        self._installer = Installer(self._engine)
        self._check_in = (
            CheckInFlow(self._engine, self._installer, check_in) if check_in is not None else None
        )
        if not read_only:
            try:
                self.state_dir.mkdir(parents=True, exist_ok=True)
                self._engine.files.create_directories()
            except OSError as e:
                raise ClientError(
                    f"cannot create the state directory {self.state_dir}: {e}"
                ) from None
        elif not self.state_dir.is_dir():
            raise ClientError(f"no state directory at {self.state_dir}")
        with self._engine.locked():
            self._engine.start(rollback_tolerance)
            self._engine.reload_usage()
            self._engine.publish(self._engine.now())
        self._wake = threading.Condition()
        self._closed = False
        self._engine.on_schedule_change = self._wake_up
        self._thread: Optional[threading.Thread] = None
        if background and not read_only:
            self._thread = threading.Thread(target=self._run, name="keyturn-client", daemon=True)
            self._thread.start()

    # ------------------------------------------------------------------ hot path

    def allows(self, feature: str) -> bool:
        """Whether the license in force grants ``feature`` and the product is not locked."""
        return feature in self._engine.snapshot.features

    def mode(self) -> Mode:
        """FULL, READ_ONLY (grace of a read-only policy) or LOCKED."""
        return self._engine.snapshot.mode

    def limit(self, name: str) -> int:
        """A named limit of the license in force (``seats`` from the license's seats when not
        named); ``UNLIMITED`` when not set; 0 for every name while no license is installed."""
        s = self._engine.snapshot
        return s.limits.get(name, s.absent_limit)

    # ------------------------------------------------------------------ standing

    def standing(self, zone: zones.ZoneLike = None) -> ClientStanding:
        """The standing now: the lifecycle of the license in force at the guarded time, plus flags.
        ``zone`` writes banner dates for another viewer without changing the manager's."""
        with self._engine.locked():
            self._engine.history.reload_if_changed()
            standing = self._engine.publish(self._engine.now())
        if zone is None:
            return standing
        return self._standing_in(zones.zone(zone))

    def _standing_in(self, z: zones.Zone) -> ClientStanding:
        with self._engine.locked():
            t = self._engine.guard.observe()
            shown = self._engine.shown(t.effective)
            return evaluate_client(
                shown,
                self._engine.next_activation(t.effective),
                t,
                self._engine.state,
                self._engine.session_flags,
                z,
                self._engine.usage_record.current,
            )[0]

    # ------------------------------------------------------------------ usage

    def report_usage(self, usage: Mapping[str, int]) -> UsageStanding:
        """Records the product's current usage per limit in the state directory (``usage.json``,
        signed like the state): install paths check a downgrade against it, and the standing gains
        a banner when a limit is exceeded. Raises ClientError for a negative value or a bad name."""
        self._engine.require_writable("record usage")
        with self._engine.locked():
            t = self._engine.now()
            try:
                self._engine.record_usage(usage, t.effective)
            except ValueError as e:
                raise ClientError(f"report_usage: {e}") from None
            return self._engine.publish(t).usage

    def usage_standing(self) -> UsageStanding:
        return self.standing().usage

    def check_increase(self, limit: str, by: int) -> UsageDecision:
        """May usage of ``limit`` rise by ``by``? Refused only past the limit plus its overage
        allowance; usage from the probe when there is one, else the last ``report_usage``."""
        if self._engine.has_probe:
            self.report_usage(self._installer.current_usage())
        with self._engine.locked():
            t = self._engine.now()
            current = self._engine.usage_record.current.get(limit, 0)
            in_force = self._engine.history.in_force(t.effective)
            if in_force is None or self._engine.state.revocation_reason(in_force.license.id):
                return UsageDecision(
                    False, limit, current, current + max(by, 0), 0, NO_LICENSE_TEXT
                )
            try:
                return increase(in_force.license, limit, current, by)
            except ValueError as e:
                raise ClientError(f"check_increase: {e}") from None

    def require_increase(self, limit: str, by: int) -> None:
        """``check_increase``, raising UsageLimitError when refused (nothing was changed)."""
        decision = self.check_increase(limit, by)
        if not decision.allowed:
            raise UsageLimitError(decision)

    def refresh(self) -> None:
        """Re-reads the history, observes the clock and rebuilds the snapshot. The background
        thread calls this; call it yourself when built with ``background=False``."""
        self.standing()

    def dismiss(self) -> DismissResult:
        """Dismisses the banner by the rules of its stage, persisted per (license, stage)."""
        self._engine.require_writable("dismiss a banner")
        with self._engine.locked():
            t = self._engine.now()
            s = self._engine.publish(t)
            b = s.banner
            if b.dismissal is Dismissal.NONE:
                return DismissResult(DismissOutcome.NOTHING_TO_DISMISS, b)
            if b.dismissal is Dismissal.NOT_DISMISSIBLE:
                return DismissResult(DismissOutcome.NOT_DISMISSIBLE, b)
            if b.display is BannerDisplay.SHOWN:
                assert s.license is not None
                license_id = s.license.id
                self._engine.record(
                    None, lambda st: st.with_dismissal(license_id, b.stage_id, t.effective)
                )
                s = self._engine.publish(t)
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
        self._engine.require_writable("install a license")
        with self._engine.locked():
            return self._installer.install_locked(text)

    def install_file(self, path: PathLike) -> InstallResult:
        self._engine.require_writable("install a license")
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

    # ------------------------------------------------------------------ check-in

    def check_in(self) -> CheckInResult:
        """Checks in with the server now. A newer license in the answer installs itself; a
        revocation locks; a network failure or an answer outside the contract changes nothing.
        Holds no lock while talking to the server."""
        if self._check_in is None:
            return CheckInResult(CheckInOutcome.NOT_CONFIGURED, "no check-in server is configured")
        return self._check_in.check_in()

    def license_token(self, license_id: str) -> Optional[str]:
        """The bearer token (check-in, renewal request) of an installed license, by its id."""
        with self._engine.locked():
            for lic in self._engine.history.authentic:
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
        return self._engine.audit

    def next_refresh_delay(self) -> _dt.timedelta:
        """Until the snapshot's next change, within [MIN_REFRESH_DELAY, REFRESH_INTERVAL], so a
        clock that stands still cannot make the thread spin."""
        until = self._engine.snapshot.valid_until
        if until is None:
            return REFRESH_INTERVAL
        d = until - self._engine.guard.high_water
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
                    wait = result.next_check_in or self._check_in.settings.retry_after_failure
                    next_check_in = time.monotonic() + wait.total_seconds()
                if self._engine.has_probe:
                    # The record keyturn install checks a downgrade against (as the Java client
                    # does); a failing probe must not keep licensing from moving on.
                    try:
                        self.report_usage(self._installer.current_usage())
                    except ClientError:
                        LOG.warning("the usage probe failed; usage not recorded", exc_info=True)
                self.refresh()
            except Exception:  # a refresh that fails must not end the thread
                LOG.warning("license refresh failed; retrying in a minute", exc_info=True)

    def _wake_up(self) -> None:
        with self._wake:
            self._wake.notify_all()


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
