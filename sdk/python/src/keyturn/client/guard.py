"""Turns a wall clock the machine's owner can set into a licensing time that never goes back.

It keeps a high-water mark: each reading takes the later of the wall clock and the mark advanced by
the time that really passed since the last reading, measured on the monotonic ticker. Only 999/1000
of monotonic time is credited, so the wall clock always wins in normal operation despite drift.
The mark survives restarts through the signed state file; time while stopped is not counted.
"""

from __future__ import annotations

import datetime as _dt
import threading
from dataclasses import dataclass

from .clock import Clock

_CREDITED_PER_MILLE = 999


@dataclass(frozen=True)
class GuardedTime:
    """One reading: what the clock said, the time licensing uses, how far behind the clock is,
    and whether that exceeds the tolerance."""

    clock: _dt.datetime
    effective: _dt.datetime
    behind: _dt.timedelta
    rollback: bool


class ClockGuard:
    def __init__(self, clock: Clock, tolerance: _dt.timedelta, floor: _dt.datetime) -> None:
        self._clock = clock
        self.tolerance = tolerance
        self._high_water = floor
        self._high_water_ticks = clock.ticks()
        self._lock = threading.Lock()

    def observe(self) -> GuardedTime:
        with self._lock:
            now = self._clock.now()
            ticks = self._clock.ticks()
            elapsed = max(0, ticks - self._high_water_ticks)
            credited_ns = elapsed // 1000 * _CREDITED_PER_MILLE + elapsed % 1000
            floor = self._high_water + _dt.timedelta(microseconds=credited_ns // 1000)
            effective = now if now > floor else floor
            self._high_water = effective
            self._high_water_ticks = ticks
            behind = effective - now
            return GuardedTime(now, effective, behind, behind > self.tolerance)

    def raise_to(self, floor: _dt.datetime) -> None:
        with self._lock:
            if floor > self._high_water:
                self._high_water = floor

    @property
    def high_water(self) -> _dt.datetime:
        with self._lock:
            return self._high_water
