"""The local audit log, ``audit.log``: one JSON object per line, each carrying the SHA-256 of the
line before it. Editing or removing a line breaks the chain there; removing lines at the end is
caught by the line count and last hash kept in the signed state file. Evidence for an
administrator, not a lock. Appends must run inside ``StateStore.locked()``."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from .._time import instant, iso

FILE = "audit.log"
GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: _dt.datetime
    event: str
    data: Mapping[str, Any]
    prev: str


@dataclass(frozen=True)
class Tail:
    lines: int
    hash: str
    last_at: Optional[_dt.datetime] = None


EMPTY_TAIL = Tail(0, GENESIS, None)


@dataclass(frozen=True)
class AuditVerification:
    lines: int
    broken_line: Optional[int]
    message: str

    @property
    def intact(self) -> bool:
        return self.broken_line is None


def sha256(line: str) -> str:
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


def parse(line: str) -> Optional[AuditEntry]:
    try:
        node = json.loads(line)
    except ValueError:
        return None
    if not isinstance(node, dict):
        return None
    seq, at, event, prev, data = (node.get(k) for k in ("seq", "at", "event", "prev", "data"))
    if (
        isinstance(seq, bool)
        or not isinstance(seq, int)
        or not isinstance(at, str)
        or not isinstance(event, str)
        or not isinstance(prev, str)
        or not isinstance(data, dict)
    ):
        return None
    try:
        when = instant(at)
    except ValueError:
        return None
    return AuditEntry(seq, when, event, {k: v for k, v in data.items() if v is not None}, prev)


def _split(text: str) -> list[str]:
    """Lines without their terminators; a last line without one still counts."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


class AuditLog:
    def __init__(self, state_dir: Path) -> None:
        self.file = Path(state_dir) / FILE

    def _lines(self) -> list[str]:
        try:
            return _split(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []

    def tail(self) -> Tail:
        lines = self._lines()
        if not lines:
            return EMPTY_TAIL
        last_at = None
        for line in reversed(lines):
            entry = parse(line)
            if entry is not None:
                last_at = entry.at
                break
        return Tail(len(lines), sha256(lines[-1]), last_at)

    def append(self, at: _dt.datetime, event: str, data: Mapping[str, Any]) -> Tail:
        """Appends one entry chained to the last line now, forced to disk. Raises OSError."""
        lines = self._lines()
        prev = sha256(lines[-1]) if lines else GENESIS
        node = {
            "seq": len(lines) + 1,
            "at": iso(at),
            "event": event,
            "data": dict(data),
            "prev": prev,
        }
        line = json.dumps(node, separators=(",", ":"), ensure_ascii=False)
        torn = self._ends_without_newline()
        # A line torn by a crash stays as it is (verify reports it); the new entry starts a line.
        text = ("\n" if torn else "") + line + "\n"
        fd = os.open(self.file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        return Tail(len(lines) + 1, sha256(line), at)

    def hash_of_line(self, n: int) -> Optional[str]:
        lines = self._lines()
        return sha256(lines[n - 1]) if 1 <= n <= len(lines) else None

    def entries(self) -> list[AuditEntry]:
        return [e for e in (parse(line) for line in self._lines()) if e is not None]

    def _ends_without_newline(self) -> bool:
        try:
            size = self.file.stat().st_size
        except FileNotFoundError:
            return False
        if size == 0:
            return False
        with open(self.file, "rb") as f:
            f.seek(size - 1)
            return f.read(1) != b"\n"

    def verify(self, expected: Optional[Tail] = None) -> AuditVerification:
        """Walks the chain from the first line; ``expected`` is the tail the state file records
        (the log may have grown since, but must still hold that line unchanged)."""
        try:
            text = self.file.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = ""
        except (OSError, UnicodeDecodeError) as e:
            return AuditVerification(0, 1, f"cannot read {self.file}: {e}")
        incomplete_last = bool(text) and not text.endswith("\n")
        lines = _split(text)
        count = len(lines)
        prev_hash = GENESIS
        hash_at_expected = None
        for i, line in enumerate(lines):
            n = i + 1
            entry = parse(line)
            if entry is None:
                why = (
                    f"line {n} is incomplete: its write was interrupted"
                    if n == count and incomplete_last
                    else f"line {n} is not a valid audit entry"
                )
                return AuditVerification(count, n, why)
            if entry.seq != n:
                if entry.seq > n:
                    return AuditVerification(
                        count,
                        n,
                        f"line {n} is missing: the entry found there is number {entry.seq}; "
                        f"{entry.seq - n} line(s) were removed",
                    )
                return AuditVerification(
                    count, n, f"line {n} carries number {entry.seq}: lines were copied or reordered"
                )
            if entry.prev != prev_hash:
                if n == 1:
                    return AuditVerification(
                        count, 1, "line 1 was changed: it does not start the chain"
                    )
                return AuditVerification(
                    count,
                    n - 1,
                    f"line {n - 1} was changed after it was written: line {n} records a "
                    "different hash for it",
                )
            prev_hash = sha256(line)
            if expected is not None and n == expected.lines:
                hash_at_expected = prev_hash
        if expected is not None and expected.lines > 0:
            if count < expected.lines:
                return AuditVerification(
                    count,
                    count + 1,
                    f"line {count + 1} is missing: the log ends after {count} lines, the state "
                    f"file records {expected.lines}",
                )
            if expected.hash != hash_at_expected:
                return AuditVerification(
                    count,
                    expected.lines,
                    f"line {expected.lines} was changed: the state file records a different "
                    "hash for it",
                )
        return AuditVerification(
            count,
            None,
            "the audit log is empty" if count == 0 else f"all {count} lines are intact and chained",
        )
