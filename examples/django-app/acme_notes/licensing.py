"""The one place the example builds its LicenseManager (``KEYTURN["MANAGER"]`` names ``manager``).

Normal mode trusts the vendor's public keys (``ACME_NOTES_TRUST``) and runs on the real clock; demo
mode makes a vendor key on the spot, a license that expires in 31 days, and a clock the person
trying the demo (or a test) moves through the stages.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path
from typing import Optional

from django.conf import settings

from keyturn import KeyRing, License, LicensePolicy, Policy, SigningKey
from keyturn.client import LicenseManager, SystemClock

KEY_ID = "demo"
CUSTOMER = "Demo Customer Inc."
FIRST_LICENSE = dt.timedelta(days=31)
RENEWAL = dt.timedelta(days=365)

_lock = threading.Lock()
_manager: Optional[LicenseManager] = None
_demo: Optional["Demo"] = None


class DemoClock(SystemClock):
    """Keeps time with the real clock until moved: ``advance`` lets time pass (the ticker moves
    too), ``set_back`` turns the wall clock back as someone stretching a license would."""

    def __init__(self) -> None:
        self._offset = dt.timedelta(0)
        self._ticks_offset = 0

    def now(self) -> dt.datetime:
        return super().now() + self._offset

    def ticks(self) -> int:
        return super().ticks() + self._ticks_offset

    def advance(self, d: dt.timedelta) -> None:
        self._offset += d
        self._ticks_offset += int(d.total_seconds() * 1e9)

    def set_back(self, d: dt.timedelta) -> None:
        self._offset -= d


class Demo:
    def __init__(self, data: Path, preset: str) -> None:
        if Policy.preset(preset) is None:
            raise ValueError(f"preset must be appliance or subscription, was '{preset}'")
        self.preset = preset
        self.clock = DemoClock()
        keys = data / "vendor-keys"
        private = keys / f"{KEY_ID}.private.pem"
        self.key = SigningKey.read(private) if private.exists() else SigningKey.generate(KEY_ID)
        if not private.exists():
            self.key.write(keys)
        self.ring = KeyRing({KEY_ID: self.key.public_key()})
        self.issued = 0

    def sign(self, not_before: dt.datetime, expires_at: dt.datetime) -> str:
        policy = Policy.preset(self.preset)
        assert policy is not None
        self.issued += 1
        now = self.clock.now().replace(microsecond=0)
        lic = License(
            id=f"lic_demo_{self.issued:04d}_{int(now.timestamp())}",
            subscription_id="sub_demo_0001",
            customer=CUSTOMER,
            instance_domain=None,
            tier="standard",
            seats=25,
            features=("notes",),
            tags=(),
            issued_at=now,
            not_before=not_before.replace(microsecond=0),
            expires_at=expires_at.replace(microsecond=0),
            limits={"users": 25},
            policy=LicensePolicy(self.preset, policy.grace_days, policy.grace_mode),
        )
        return self.key.sign(lic).to_toml()

    def first_license(self) -> str:
        now = self.clock.now()
        return self.sign(now - dt.timedelta(days=1), now + FIRST_LICENSE)

    def renewal(self) -> str:
        now = self.clock.now()
        return self.sign(now - dt.timedelta(hours=1), now + RENEWAL)

    def tampered_renewal(self) -> str:
        return self.renewal().replace(f'customer = "{CUSTOMER}"', 'customer = "Someone Else"')


def demo() -> Optional[Demo]:
    manager()
    return _demo


def manager() -> LicenseManager:
    """Built once, on the first request."""
    global _manager, _demo
    with _lock:
        if _manager is not None:
            return _manager
        data = Path(settings.DATA_DIR)
        state = data / "license"
        if os.environ.get("ACME_NOTES_DEMO") == "1":
            _demo = Demo(data, os.environ.get("ACME_NOTES_PRESET", "appliance"))
            _manager = LicenseManager(state, _demo.ring, clock=_demo.clock, zone="UTC")
            if _manager.standing().license is None:
                _manager.install(_demo.first_license())
        else:
            trust = os.environ.get("ACME_NOTES_TRUST")
            if not trust:
                raise RuntimeError(
                    "set ACME_NOTES_TRUST to the vendor's public key(s), or run the demo "
                    "(manage.py serve --demo)"
                )
            _manager = LicenseManager(state, KeyRing.from_paths(*trust.split(os.pathsep)))
        return _manager
