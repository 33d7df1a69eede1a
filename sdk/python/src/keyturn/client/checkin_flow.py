"""One check-in: ask under the lock, talk to the server without it, apply the answer under it again
(the wire contract is in ``checkin``)."""

from __future__ import annotations

import re
import uuid

from ..errors import ClientError
from . import checkin as wire
from .atomic import write_atomically
from .engine import Engine
from .history import InstalledLicense
from .installer import Installer
from .results import CheckInOutcome, CheckInResult
from .standing import DEFAULT_PAYMENT_TEXT

INSTANCE_ID_FILE = "instance.id"


class CheckInFlow:
    def __init__(
        self, engine: Engine, installer: Installer, settings: wire.CheckInSettings
    ) -> None:
        self.engine = engine
        self.installer = installer
        self.settings = settings

    def check_in(self) -> CheckInResult:
        """Checks in with the server now. A newer license in the answer installs itself; a
        revocation locks; a network failure or an answer outside the contract changes nothing.
        Holds no lock while talking to the server."""
        settings = self.settings
        self.engine.require_writable("check in")
        with self.engine.locked():
            self.engine.history.reload_if_changed()
            current = self.engine.history.in_force(self.engine.now().effective)
            if current is not None:
                try:
                    used = dict(self.installer.current_usage())
                except ClientError:
                    used = {}  # informational here; the check-in still matters
                body = wire.request_body(
                    current.license.id,
                    self.instance_id(),
                    self.engine.instance_domain,
                    used,
                    settings.client_version,
                    settings.node,
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
        with self.engine.locked():
            return self.apply(reply, current, settings)

    def apply(
        self, reply: wire.CheckInReply, current: InstalledLicense, settings: wire.CheckInSettings
    ) -> CheckInResult:
        t = self.engine.now()
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
            self.engine.record(
                ("check_in_unknown_license", t.effective, {"license_id": license_id}), None
            )
            return CheckInResult(
                CheckInOutcome.UNKNOWN_LICENSE,
                f"the server does not know license {license_id}; nothing changed",
                None,
                nxt,
            )
        if reply.kind is wire.ReplyKind.CONFLICT:
            if not self.engine.state.instance_conflict:
                self.engine.record(
                    ("instance_conflict", t.effective, {"license_id": license_id}),
                    lambda st: st.with_server_flags(st.payment_failing, True),
                )
                self.engine.publish(t)
            return CheckInResult(
                CheckInOutcome.INSTANCE_CONFLICT,
                f"the server says another instance holds license {license_id}",
                None,
                nxt,
            )
        if reply.kind is wire.ReplyKind.REVOKED:
            reason = reply.reason or "no reason given"
            if self.engine.state.revocation_reason(license_id) is None:
                self.engine.record(
                    ("revoked", t.effective, {"license_id": license_id, "reason": reason}),
                    lambda st: st.with_revoked(license_id, reason),
                )
                self.engine.publish(t)
            before = len(self.engine.history.authentic)
            installed = (
                self.installer.install_locked(reply.license) if reply.license is not None else None
            )
            replaced = (
                installed is not None
                and installed.in_force
                and len(self.engine.history.authentic) > before
            )
            return CheckInResult(
                CheckInOutcome.RENEWED if replaced else CheckInOutcome.REVOKED,
                f"the vendor revoked license {license_id} ({reason})"
                + (
                    "; the license sent with it is installed"
                    if replaced
                    else "; the product is locked"
                ),
                installed,
                nxt,
            )
        payment = (
            (reply.standing_message or DEFAULT_PAYMENT_TEXT) if reply.payment_failing else None
        )
        if payment != self.engine.state.payment_failing or self.engine.state.instance_conflict:
            data = {
                "license_id": license_id,
                "payment_failing": payment is not None,
                "instance_conflict": False,
            }
            self.engine.record(
                ("server_flags", t.effective, data),
                lambda st: st.with_server_flags(payment, False),
            )
            self.engine.publish(t)
        if reply.license is None:
            return CheckInResult(CheckInOutcome.OK, f"checked in license {license_id}", None, nxt)
        before = len(self.engine.history.authentic)
        result = self.installer.install_locked(reply.license)
        newer = result.in_force and len(self.engine.history.authentic) > before
        if not result.installed:
            outcome = CheckInOutcome.LICENSE_REJECTED
        else:
            outcome = CheckInOutcome.RENEWED if newer else CheckInOutcome.OK
        return CheckInResult(outcome, result.message, result, nxt)

    def instance_id(self) -> str:
        """The configured installation id of a multi-node product, else a random id made once per
        state directory, kept in ``instance.id``."""
        if self.settings.installation_id is not None:
            return self.settings.installation_id
        f = self.engine.state_dir / INSTANCE_ID_FILE
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
