"""The mutable heart of a LicenseManager: the state, the guard, the license history, and the few
operations everything else is built from: read the guarded time, record an event, publish a new
snapshot. Everything but ``snapshot`` is guarded by ``locked()``."""

from __future__ import annotations

import contextlib
import datetime as _dt
import logging
import threading
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Optional

from .._time import EPOCH, iso
from ..errors import ClientError
from ..lifecycle import zones
from ..verify import LicenseVerifier
from .audit import AuditLog, Tail
from .clock import Clock
from .guard import ClockGuard, GuardedTime
from .history import InstalledLicense, LicenseFiles, LicenseHistory
from .standing import NOTHING, ClientStanding, Snapshot, StandingFlag, evaluate_client
from .state import PersistentState, StateStatus, StateStore
from .usage_store import EMPTY, HEARTBEAT, UsageRecord, load_usage, write_usage

LOG = logging.getLogger("keyturn")

HIGH_WATER_PERSIST_INTERVAL = _dt.timedelta(minutes=10)

Usage = Callable[[], Mapping[str, int]]
Event = tuple[str, _dt.datetime, Mapping[str, Any]]


class Engine:
    def __init__(
        self,
        state_dir: Path,
        verifier: LicenseVerifier,
        instance_domain: Optional[str],
        usage: Optional[Usage],
        clock: Clock,
        zone: zones.Zone,
        read_only: bool,
    ) -> None:
        self.state_dir = state_dir
        self.verifier = verifier
        self.instance_domain = instance_domain
        # None: the product reports usage itself, and install checks what it recorded.
        self.has_probe = usage is not None
        self.usage: Usage = usage or dict
        self.usage_record: UsageRecord = EMPTY
        self.clock = clock
        self.zone = zone
        self.read_only = read_only
        self.store = StateStore(state_dir)
        self.audit = AuditLog(state_dir)
        self.files = LicenseFiles(state_dir)
        self.history = LicenseHistory(self.files, verifier, instance_domain)
        self.session_flags: set[StandingFlag] = set()
        self.lock = threading.RLock()
        # The hot path's only read: swapped whole, never changed in place.
        self.snapshot: Snapshot = NOTHING
        self.rollback_reported = False
        self.persisted_high_water = EPOCH
        self.state: PersistentState
        self.guard: ClockGuard
        # Called when the snapshot's next change moves; the manager's thread re-plans its wake-up.
        self.on_schedule_change: Callable[[], None] = lambda: None

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Serializes with other threads and processes; a read-only manager takes no file lock."""
        with self.lock:
            if self.read_only:
                yield
            else:
                with self.store.locked():
                    yield

    def require_writable(self, what: str) -> None:
        if self.read_only:
            raise ClientError(f"this LicenseManager is read-only; it cannot {what}")

    def shown(self, at: _dt.datetime) -> Optional[InstalledLicense]:
        in_force = self.history.in_force(at)
        return in_force if in_force is not None else self.history.next_to_start(at)

    def next_activation(self, at: _dt.datetime) -> Optional[_dt.datetime]:
        nxt = self.history.next_to_start(at)
        return nxt.license.not_before if nxt is not None else None

    def publish(self, t: GuardedTime) -> ClientStanding:
        at = t.effective
        standing, snapshot = evaluate_client(
            self.shown(at),
            self.next_activation(at),
            t,
            self.state,
            self.session_flags,
            self.zone,
            self.usage_record.current,
        )
        previous = self.snapshot
        self.snapshot = snapshot
        self._audit_stage(standing)
        if previous.valid_until != snapshot.valid_until:
            self.on_schedule_change()
        return standing

    def reload_usage(self) -> None:
        """The usage record as on disk (another process may have written it); one that cannot be
        trusted leaves what this process holds."""
        loaded = load_usage(self.store)
        if loaded.status is StateStatus.OK and loaded.record is not None:
            self.usage_record = loaded.record

    def record_usage(self, usage: Mapping[str, int], at: _dt.datetime) -> None:
        """Records reported usage; writes ``usage.json`` when it changed, a month's maximum rose,
        or the record is older than HEARTBEAT. Call holding the lock."""
        if self.read_only:
            self.usage_record = self.usage_record.with_report(usage, at)
            return
        self.reload_usage()
        nxt = self.usage_record.with_report(usage, at)
        changed = (
            dict(nxt.current) != dict(self.usage_record.current)
            or nxt.months != self.usage_record.months
            or at >= self.usage_record.recorded_at_instant + HEARTBEAT
        )
        if changed:
            try:
                write_usage(self.store, nxt)
            except OSError as e:
                LOG.warning("cannot write the usage record in %s: %s", self.state_dir, e)
            self.usage_record = nxt

    def _audit_stage(self, s: ClientStanding) -> None:
        """Each stage a license enters is audited once: evidence of time if the state is lost."""
        if self.read_only or s.license is None or not s.stage_id:
            return
        key = f"{s.license.id}/{s.stage_id}"
        if key == self.state.last_stage:
            return
        data = {
            "license_id": s.license.id,
            "stage": s.stage_id,
            "phase": s.phase.value,
            "mode": s.mode.value,
        }
        self.record(("stage_entered", s.evaluated_at, data), lambda st: st.with_last_stage(key))

    def now(self) -> GuardedTime:
        """The guarded time; audits a rollback when it starts and ends, and persists the mark every
        HIGH_WATER_PERSIST_INTERVAL."""
        t = self.guard.observe()
        if self.read_only:
            return t
        if t.rollback and not self.rollback_reported:
            self.rollback_reported = True
            self.record(_rollback_event(t), None)
        elif not t.rollback and self.rollback_reported:
            self.rollback_reported = False
            self.record(("clock_restored", t.effective, {"clock": iso(t.clock)}), None)
        elif not t.effective < self.persisted_high_water + HIGH_WATER_PERSIST_INTERVAL:
            self.record(None, None)
        return t

    def record(
        self,
        event: Optional[tuple[str, _dt.datetime, Mapping[str, Any]]],
        change: Optional[Callable[[PersistentState], PersistentState]],
    ) -> None:
        """An audit entry (optional) and a state change, written together under the store lock. A
        disk that cannot be written must not take the product down: the change is then kept in
        memory and the failure logged."""
        change = change or (lambda st: st)
        if self.read_only:
            self.state = change(self.state)
            return
        try:
            with self.locked():
                base = self._current_base()
                if event is not None:
                    name, at, data = event
                    tail = self.audit.append(at, name, data)
                    base = base.with_audit(tail.lines, tail.hash)
                self.state = self.store.write(change(base.with_high_water(self.guard.high_water)))
                self.persisted_high_water = self.state.high_water_instant
        except OSError:
            self.state = change(self.state.with_high_water(self.guard.high_water))
            self.persisted_high_water = self.guard.high_water
            LOG.warning(
                "cannot write the license state in %s; continuing from memory",
                self.state_dir,
                exc_info=True,
            )

    def _current_base(self) -> PersistentState:
        """The file as it is now (another process may have written it), or, if it was deleted or
        replaced while we ran, our own copy, and that is audited."""
        loaded = self.store.load()
        if loaded.status is StateStatus.OK:
            assert loaded.state is not None
            return loaded.state
        data = {"status": loaded.status.value, "detail": loaded.detail}
        tail = self.audit.append(self.guard.high_water, "state_reset", data)
        self.session_flags.add(StandingFlag.STATE_RESET)
        return self.state.with_audit(tail.lines, tail.hash)

    def start(self, tolerance: _dt.timedelta) -> None:
        """Loads the state, or rebuilds it from evidence when it is missing or cannot be trusted,
        and starts the guard from the latest time that evidence proves."""
        self.history.reload_if_changed()
        tail = self.audit.tail()
        loaded = self.store.load()
        evidence = _latest(tail.last_at, self.history.latest_issued_at())
        finding: Optional[tuple[str, Mapping[str, Any]]] = None
        if loaded.status is StateStatus.OK:
            assert loaded.state is not None
            self.state = loaded.state
            floor = _latest(self.state.high_water_instant, evidence) or EPOCH
            finding = self._audit_log_mismatch(tail)
        else:
            floor = evidence or EPOCH
            self.state = PersistentState.initial(floor, tail.hash, tail.lines)
            first_use = (
                loaded.status is StateStatus.FRESH
                and not self.history.authentic
                and tail.lines == 0
            )
            if not first_use:
                finding = self._rebuild_from_evidence(loaded.status.value, loaded.detail, floor)
        self.guard = ClockGuard(self.clock, tolerance, floor)
        t = self.guard.observe()
        self.state = self.state.with_high_water(t.effective)
        if not self.read_only:
            try:
                self.state = self.store.write(self.state)
            except OSError:
                LOG.warning("cannot write the license state in %s", self.state_dir, exc_info=True)
            self.persisted_high_water = t.effective
            if finding is not None:
                self.record((finding[0], t.effective, finding[1]), None)
            if t.rollback:
                self.rollback_reported = True
                self.record(_rollback_event(t), None)
        for name, why in self.history.ignored.items():
            LOG.warning("ignoring installed license file %s: %s", name, why)
        self.publish(t)

    def _audit_log_mismatch(self, tail: Tail) -> Optional[tuple[str, Mapping[str, Any]]]:
        """The log must still hold, unchanged, the last line the state file recorded."""
        st = self.state
        intact = tail.lines >= st.audit_lines and (
            st.audit_lines == 0 or st.audit_head == (self.audit.hash_of_line(st.audit_lines) or "")
        )
        if intact:
            return None
        recorded = Tail(st.audit_lines, st.audit_head, None)
        return ("audit_log_broken", {"detail": self.audit.verify(recorded).message})

    def _rebuild_from_evidence(
        self, status: str, detail: str, floor: _dt.datetime
    ) -> tuple[str, Mapping[str, Any]]:
        """Time comes from the audit log and the licenses, revocations from the audit log;
        dismissals are lost, which only shows banners again."""
        for e in self.audit.entries():
            license_id = e.data.get("license_id")
            if e.event == "revoked" and isinstance(license_id, str):
                self.state = self.state.with_revoked(license_id, str(e.data.get("reason", "")))
        self.session_flags.add(StandingFlag.STATE_RESET)
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
