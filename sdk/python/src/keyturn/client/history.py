"""Every license file ever installed, kept exactly as sent in ``licenses/`` (named by the SHA-256
of the signature), and the authentic ones among them."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..errors import LicenseFormatError
from ..license import License, SignedLicense, normalize_instance_domain
from ..reader import DEFAULT_LIMITS, LicenseReader
from ..verify import LicenseVerifier
from .atomic import delete_temporary_files, write_atomically

DIR = "licenses"
SUFFIX = ".license.toml"


class LicenseFiles:
    """Installing the same license twice is a no-op; nothing is ever overwritten or deleted."""

    def __init__(self, state_dir: Path) -> None:
        self.dir = Path(state_dir) / DIR

    def create_directories(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        delete_temporary_files(self.dir)

    def write(self, hash_: str, text: str) -> Path:
        target = self.dir / (hash_ + SUFFIX)
        write_atomically(target, text.encode("utf-8"))
        return target

    def list(self) -> list[tuple[str, Path, str]]:
        """(hash, file, text) in name order; unreadable files come with empty text."""
        if not self.dir.is_dir():
            return []
        out = []
        for f in self.dir.glob("*" + SUFFIX):
            if f.name.startswith("."):
                continue  # a temporary file of an interrupted write
            out.append((f.name[: -len(SUFFIX)], f, _read(f)))
        return sorted(out, key=lambda stored: stored[0])

    def fingerprint(self) -> str:
        """A cheap summary, compared to notice a license another process added."""
        try:
            return "/".join(sorted(f.name for f in self.dir.glob("*" + SUFFIX)))
        except OSError:
            return ""


def _read(f: Path) -> str:
    try:
        with open(f, "rb") as stream:
            return stream.read(DEFAULT_LIMITS.max_file_bytes + 1).decode("utf-8", errors="replace")
    except OSError:
        return ""


@dataclass(frozen=True)
class InstalledLicense:
    hash: str
    signed: SignedLicense

    @property
    def license(self) -> License:
        return self.signed.license

    def newest_key(self) -> tuple:
        """Newest: the later expires_at, then issued_at, then the hash (so the order is total)."""
        return (self.license.expires_at, self.license.issued_at, self.hash)

    def is_newer_than(self, other: "InstalledLicense") -> bool:
        return self.newest_key() > other.newest_key()


class LicenseHistory:
    """Files whose signature verifies and whose instance domain (if any) is this product's. Files
    that fail are ignored, never deleted: they are evidence."""

    def __init__(
        self, files: LicenseFiles, verifier: LicenseVerifier, instance_domain: Optional[str]
    ) -> None:
        self.files = files
        self.verifier = verifier
        self.instance_domain = instance_domain
        self.authentic: list[InstalledLicense] = []
        self.ignored: dict[str, str] = {}
        self._fingerprint: Optional[str] = None
        self._reader = LicenseReader()

    def reload_if_changed(self) -> bool:
        """A license once read is never forgotten while the process runs: a file that disappears
        must not lock a paying customer out."""
        now = self.files.fingerprint()
        if now == self._fingerprint:
            return False
        try:
            stored = self.files.list()
        except OSError:
            return False
        ok = list(self.authentic)
        bad: dict[str, str] = {}
        for _, f, text in stored:
            try:
                signed = self._reader.read(text)
            except LicenseFormatError as e:
                bad[f.name] = e.message
                continue
            v = self.verifier.verify_signature(signed)
            if not v.valid:
                bad[f.name] = v.message
            elif not self._domain_matches(signed):
                bad[f.name] = "issued for another instance"
            else:
                h = signed.signature_hash()
                if all(lic.hash != h for lic in ok):
                    ok.append(InstalledLicense(h, signed))
        self.authentic = ok
        self.ignored = bad
        self._fingerprint = now
        return True

    def add(self, lic: InstalledLicense) -> None:
        self.authentic = [*self.authentic, lic]
        self._fingerprint = self.files.fingerprint()

    def contains(self, hash_: str) -> bool:
        return any(lic.hash == hash_ for lic in self.authentic)

    def in_force(self, at: _dt.datetime) -> Optional[InstalledLicense]:
        """The newest license whose not_before has passed at ``at``."""
        started = [lic for lic in self.authentic if not lic.license.not_before > at]
        return max(started, key=InstalledLicense.newest_key) if started else None

    def next_to_start(self, at: _dt.datetime) -> Optional[InstalledLicense]:
        pending = [lic for lic in self.authentic if lic.license.not_before > at]
        return min(pending, key=lambda lic: lic.license.not_before) if pending else None

    def latest_issued_at(self) -> Optional[_dt.datetime]:
        """Time has certainly reached the latest issued_at of any authentic license."""
        return max((lic.license.issued_at for lic in self.authentic), default=None)

    def _domain_matches(self, signed: SignedLicense) -> bool:
        licensed = signed.license.instance_domain
        return (
            licensed is None
            or self.instance_domain is None
            or licensed == normalize_instance_domain(self.instance_domain)
        )
