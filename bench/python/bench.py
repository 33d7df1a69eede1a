#!/usr/bin/python3
"""Benchmarks of the Python SDK (a script, not a test): ``verify`` against a raw ``cryptography``
Ed25519 verify of the same message, and the hot path a product calls on every request.

    /usr/bin/python3 bench/python/bench.py            # from the repository root

Each figure is the best of seven rounds of ``timeit`` (the least disturbed by other processes),
per call.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "sdk" / "python" / "src"))

from keyturn import (
    GraceMode,
    KeyRing,
    License,
    LicensePolicy,
    SigningKey,
    read_license,
    verify,
)  # noqa: E402
from keyturn.client import LicenseManager, SettableClock  # noqa: E402
from keyturn.reader import LicenseReader  # noqa: E402
from keyturn.verify import LicenseVerifier  # noqa: E402

UTC = dt.timezone.utc
ROUNDS = 7


def per_call_us(stmt, number: int) -> float:
    times = timeit.repeat(stmt, number=number, repeat=ROUNDS)
    return min(times) / number * 1e6


def ratio_to(raw, stmt, number: int, rounds: int = 15) -> float:
    """The median over rounds of (stmt / raw), each round timing both back to back, so that the load
    of a shared machine, which changes from second to second, cancels out."""
    ratios = []
    for _ in range(rounds):
        r = timeit.timeit(raw, number=number)
        t = timeit.timeit(stmt, number=number)
        ratios.append(t / r)
    return sorted(ratios)[len(ratios) // 2]


def main() -> None:
    key = SigningKey.generate("bench")
    ring = KeyRing({"bench": key.public_key()})
    lic = License(
        id="lic-bench-0001",
        subscription_id="sub-bench",
        customer="Acme Corp",
        instance_domain="tools.acme.example",
        tier="enterprise",
        seats=250,
        features=("sso", "audit-log", "api", "reports"),
        tags=("annual",),
        issued_at=dt.datetime(2026, 11, 20, tzinfo=UTC),
        not_before=dt.datetime(2026, 11, 22, tzinfo=UTC),
        expires_at=dt.datetime(2027, 11, 22, tzinfo=UTC),
        limits={"users": 250, "projects": 100, "storage_gb": 500},
        policy=LicensePolicy("appliance", 60, GraceMode.FULL),
    )
    signed = key.sign(lic)
    text = signed.to_toml()
    at = dt.datetime(2027, 6, 1, tzinfo=UTC)
    message = signed.canonical_bytes()
    signature = signed.signature.bytes
    public = key.public_key()
    verifier = LicenseVerifier(ring)
    parsed = read_license(text)
    assert verify(text, ring, at=at).valid

    reader = LicenseReader()

    def raw_verify() -> None:
        public.verify(signature, message)

    def seen_before() -> None:
        verifier.verify(text, at)

    def first_sight() -> None:
        verifier.verify_signed(reader._read_uncached(text), at)

    raw = per_call_us(raw_verify, 500)
    full = per_call_us(seen_before, 500)
    signed_only = per_call_us(lambda: verifier.verify_signed(parsed, at), 500)
    cold = per_call_us(first_sight, 300)
    parse = per_call_us(lambda: reader._read_uncached(text), 300)
    full_ratio = ratio_to(raw_verify, seen_before, 200)
    signed_ratio = ratio_to(raw_verify, lambda: verifier.verify_signed(parsed, at), 200)
    cold_ratio = ratio_to(raw_verify, first_sight, 100)

    with tempfile.TemporaryDirectory() as state:
        manager = LicenseManager(state, ring, clock=SettableClock(at), background=False)
        manager.install(text)
        allows = per_call_us(lambda: manager.allows("sso"), 200000)
        limit = per_call_us(lambda: manager.limit("users"), 200000)
        mode = per_call_us(lambda: manager.mode(), 200000)

    print(f"Python {sys.version.split()[0]}, license file of {len(text.encode())} bytes")
    print("(times: best of 7 rounds; ratios: median of 15 rounds timing both back to back)")
    print(f"raw Ed25519 verify (cryptography), canonical bytes  {raw:8.1f} us")
    print(
        f"verify_signed (parsed license: key, signature, window) {signed_only:6.1f} us  {signed_ratio:4.2f}x raw"
    )
    print(
        f"verify(text), a text seen before (the product's case)  {full:6.1f} us  {full_ratio:4.2f}x raw"
    )
    print(
        f"verify(text), first sight of the text (parse + verify) {cold:6.1f} us  {cold_ratio:4.2f}x raw"
    )
    print(f"  of which reading the TOML file (tomllib + checks)    {parse:6.1f} us")
    print(f"allows('sso')                                         {allows * 1000:6.1f} ns")
    print(f"limit('users')                                        {limit * 1000:6.1f} ns")
    print(f"mode()                                                {mode * 1000:6.1f} ns")


if __name__ == "__main__":
    main()
