"""Clocks: the one place the package reads the system time, and a settable clock for tests and
demos that tells apart time passing (``advance``) from a wall clock being set (``set``)."""

from __future__ import annotations

import datetime as _dt
import threading
import time
from typing import Protocol

from .._time import UTC


class Clock(Protocol):
    def now(self) -> _dt.datetime:
        """The wall clock, as an aware UTC datetime."""

    def ticks(self) -> int:
        """A monotonic ticker in nanoseconds, which setting the wall clock does not move."""


class SystemClock:
    """The machine's clock. The only place the package reads the time of day."""

    def now(self) -> _dt.datetime:
        return _dt.datetime.now(UTC)

    def ticks(self) -> int:
        return time.monotonic_ns()


class SettableClock:
    """Moves only when told to: ``advance`` lets time pass (wall clock and ticker move), ``set``
    sets the wall clock as an administrator would (the ticker does not move)."""

    def __init__(self, start: _dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be an aware datetime")
        self._now = start.astimezone(UTC)
        self._ticks = 0
        self._lock = threading.Lock()

    def now(self) -> _dt.datetime:
        with self._lock:
            return self._now

    def ticks(self) -> int:
        with self._lock:
            return self._ticks

    def set(self, at: _dt.datetime) -> None:
        with self._lock:
            self._now = at.astimezone(UTC)

    def advance(self, duration: _dt.timedelta) -> None:
        if duration < _dt.timedelta(0):
            raise ValueError("time only passes forward; use set() to turn the clock back")
        with self._lock:
            self._now += duration
            self._ticks += duration // _dt.timedelta(microseconds=1) * 1000

    def __repr__(self) -> str:
        return f"SettableClock[{self.now().isoformat()}]"
