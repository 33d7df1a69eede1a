"""DESIGN §5's install: verify → instance → validity → not revoked → limits → atomic write → swap
in memory → audit. Used by ``LicenseManager.install`` and by check-in for a license the server
sends. A bad license is a typed result, never an exception."""

from __future__ import annotations

from typing import Any, Mapping, Optional

from .._time import iso
from ..codes import VerificationCode
from ..errors import ClientError
from ..license import License
from .engine import Engine
from .guard import GuardedTime
from .history import SUFFIX, InstalledLicense
from .results import InstallResult
from .standing import excesses, limit_of
from .usage_store import recorded_usage_note

_MAX_AUDITED_MESSAGE = 500


class Installer:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def install_locked(self, text: str) -> InstallResult:
        """The install itself; the caller holds the engine's lock."""
        self.engine.history.reload_if_changed()
        t = self.engine.now()
        v = self.engine.verifier.verify(text, t.effective, self.engine.instance_domain)
        lic = v.license
        if not v.valid:
            return self.reject(t, v.code, v.message, lic)
        assert v.signed is not None and lic is not None
        revoked = self.engine.state.revocation_reason(lic.id)
        if revoked is not None:
            return self.reject(
                t,
                VerificationCode.REVOKED,
                f"the vendor revoked license {lic.id} ({revoked}); it cannot be installed",
                lic,
            )
        candidate = InstalledLicense(v.signed.signature_hash(), v.signed)
        current = self.engine.history.in_force(t.effective)
        if self.engine.history.contains(candidate.hash):
            in_force = current is not None and current.hash == candidate.hash
            return InstallResult(
                VerificationCode.VALID,
                f"license {lic.id} is already installed" + (" and in force" if in_force else ""),
                lic,
                (),
                in_force,
            )
        becomes_in_force = current is None or candidate.is_newer_than(current)
        note = ""
        if becomes_in_force:
            recorded = not self.engine.has_probe
            if recorded:
                self.engine.reload_usage()  # the running product records it, maybe elsewhere
            before = current.license if current else None
            usage = self.current_usage()
            if (
                recorded
                and before is not None
                and any(limit_of(lic, name) < limit_of(before, name) for name in usage)
            ):
                note = recorded_usage_note(self.engine.usage_record, t.effective)
            found = excesses(before, lic, usage)
            if found:
                return self.reject(
                    t,
                    VerificationCode.USAGE_EXCEEDS_LIMITS,
                    f"license {lic.id} lowers limits below current usage: "
                    + "; ".join(str(e) for e in found)
                    + ". Reduce usage first, or ask your vendor for a license with higher limits"
                    + note,
                    lic,
                    tuple(found),
                )
        try:
            self.engine.files.write(candidate.hash, text)
        except OSError as e:
            raise ClientError(
                f"cannot write the license into {self.engine.files.dir}: {e}"
            ) from None
        self.engine.history.add(candidate)
        self.engine.publish(t)
        data = {
            "license_id": lic.id,
            "file": candidate.hash + SUFFIX,
            "tier": lic.tier,
            "expires_at": iso(lic.expires_at),
            "in_force": becomes_in_force,
        }
        self.engine.record(("installed", t.effective, data), None)
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
        return InstallResult(VerificationCode.VALID, message + note, lic, (), becomes_in_force)

    def reject(
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
        self.engine.record(("install_rejected", t.effective, data), None)
        return InstallResult(code, message, lic, found, False)

    def current_usage(self) -> Mapping[str, int]:
        """The probe's usage, or without a probe what the product last reported."""
        if not self.engine.has_probe:
            return self.engine.usage_record.current
        try:
            usage = self.engine.usage()
        except Exception as e:  # the product's probe: any failure means limits cannot be checked
            raise ClientError(f"the usage probe failed, so limits cannot be checked: {e!r}") from e
        return usage or {}
