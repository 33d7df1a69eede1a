"""Ed25519 keys as OpenSSL writes them (PKCS#8 private, X.509 SubjectPublicKeyInfo public) and the
key ring a verifier trusts, by key id."""

from __future__ import annotations

import base64
import binascii
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Mapping, Optional, Union

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import InvalidKeyError

if TYPE_CHECKING:
    from .license import License, SignedLicense

PRIVATE_SUFFIX = ".private.pem"
PUBLIC_SUFFIX = ".public.pem"
_MAX_PEM_BYTES = 16 * 1024
_KEY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_PRIVATE = "PRIVATE KEY"
_PUBLIC = "PUBLIC KEY"

PathLike = Union[str, "os.PathLike[str]"]


def require_key_id(key_id: str) -> str:
    if not isinstance(key_id, str) or not _KEY_ID.fullmatch(key_id) or not key_id.isascii():
        raise InvalidKeyError(
            f"key id '{key_id}' must be 1 to 64 of A-Z, a-z, 0-9, '.', '_' or '-', starting with "
            "a letter or digit"
        )
    return key_id


def _decode(pem: str, kind: str) -> bytes:
    m = re.search(f"-----BEGIN {kind}-----([A-Za-z0-9+/=\\s]*)-----END {kind}-----", pem)
    if m is None:
        other = _PUBLIC if kind == _PRIVATE else _PRIVATE
        if f"-----BEGIN {other}-----" in pem:
            raise InvalidKeyError(f"this is a {other.lower()}, not a {kind.lower()}")
        raise InvalidKeyError(f"no '-----BEGIN {kind}-----' block found")
    try:
        return base64.b64decode(re.sub(r"\s+", "", m.group(1)), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidKeyError("the PEM block is not valid base64") from None


def read_public_key(pem: str) -> Ed25519PublicKey:
    der = _decode(pem, _PUBLIC)
    try:
        key = serialization.load_der_public_key(der)
    except (ValueError, UnsupportedAlgorithm):
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidKeyError("not an Ed25519 public key (X.509 SubjectPublicKeyInfo)")
    return key


def read_private_key(pem: str) -> Ed25519PrivateKey:
    der = _decode(pem, _PRIVATE)
    try:
        key = serialization.load_der_private_key(der, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidKeyError("not an Ed25519 private key (PKCS#8)")
    return key


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def private_key_pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def _read_text(path: Path) -> str:
    try:
        if path.stat().st_size > _MAX_PEM_BYTES:
            raise InvalidKeyError(f"{path}: larger than {_MAX_PEM_BYTES} bytes; not a key file")
        return path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as e:
        raise InvalidKeyError(f"{path}: cannot read key file: {e}") from None


def read_public_key_file(path: PathLike) -> Ed25519PublicKey:
    p = Path(path)
    try:
        return read_public_key(_read_text(p))
    except InvalidKeyError as e:
        message = str(e)
        raise InvalidKeyError(
            message if message.startswith(str(p)) else f"{p}: {message}"
        ) from None


class KeyRing(Mapping[str, Ed25519PublicKey]):
    """The public keys a verifier trusts, by key id. After a rotation keep the old ids here, so
    licenses signed before it keep verifying."""

    def __init__(self, keys: Optional[Mapping[str, Ed25519PublicKey]] = None) -> None:
        self._keys: dict[str, Ed25519PublicKey] = {}
        for key_id, key in (keys or {}).items():
            self.add(key_id, key)

    def add(self, key_id: str, key: Ed25519PublicKey) -> "KeyRing":
        require_key_id(key_id)
        previous = self._keys.get(key_id)
        if previous is not None and _raw(previous) != _raw(key):
            raise InvalidKeyError(f"two different public keys are both named '{key_id}'")
        self._keys.setdefault(key_id, key)
        return self

    def add_pem(self, key_id: str, pem: str) -> "KeyRing":
        return self.add(key_id, read_public_key(pem))

    def add_path(self, path: PathLike) -> "KeyRing":
        """Adds ``<id>.public.pem`` (or ``<id>.pem``), or every ``*.public.pem`` in a folder."""
        p = Path(path)
        if p.is_dir():
            try:
                files = sorted(f for f in p.iterdir() if f.name.endswith(PUBLIC_SUFFIX))
            except OSError as e:
                raise InvalidKeyError(f"cannot list {p}: {e}") from None
            if not files:
                raise InvalidKeyError(f"no *{PUBLIC_SUFFIX} files in {p}")
            for f in files:
                self._add_file(f)
        elif p.is_file():
            self._add_file(p)
        else:
            raise InvalidKeyError(f"no such key file or folder: {p}")
        return self

    def _add_file(self, f: Path) -> None:
        name = f.name
        if name.endswith(PUBLIC_SUFFIX):
            key_id = name[: -len(PUBLIC_SUFFIX)]
        elif name.endswith(".pem"):
            key_id = name[:-4]
        else:
            key_id = name
        self.add(key_id, read_public_key_file(f))

    @classmethod
    def from_paths(cls, *paths: PathLike) -> "KeyRing":
        ring = cls()
        for p in paths:
            ring.add_path(p)
        return ring

    def __getitem__(self, key_id: str) -> Ed25519PublicKey:
        return self._keys[key_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"KeyRing({list(self._keys)})"


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class SigningKey:
    """An Ed25519 private key and the id licenses name it by. Signs licenses."""

    def __init__(self, key_id: str, private_key: Ed25519PrivateKey) -> None:
        self.key_id = require_key_id(key_id)
        self.private_key = private_key

    @classmethod
    def generate(cls, key_id: str) -> "SigningKey":
        return cls(key_id, Ed25519PrivateKey.generate())

    @classmethod
    def read(cls, path: PathLike, key_id: Optional[str] = None) -> "SigningKey":
        p = Path(path)
        if key_id is None:
            if not p.name.endswith(PRIVATE_SUFFIX):
                raise InvalidKeyError(
                    f"cannot tell the key id from '{p.name}' (expected <id>{PRIVATE_SUFFIX}); "
                    "pass it explicitly"
                )
            key_id = p.name[: -len(PRIVATE_SUFFIX)]
        try:
            return cls(key_id, read_private_key(_read_text(p)))
        except InvalidKeyError as e:
            raise InvalidKeyError(f"{p}: {e}") from None

    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    def write(self, directory: PathLike) -> tuple[Path, Path]:
        """Writes ``<id>.private.pem`` (0600 from creation) and ``<id>.public.pem``; never
        overwrites: losing a signing key by accident would strand every license it signed."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        private_file = d / (self.key_id + PRIVATE_SUFFIX)
        public_file = d / (self.key_id + PUBLIC_SUFFIX)
        for f in (private_file, public_file):
            if f.exists():
                raise InvalidKeyError(f"{f} already exists; choose another key id or folder")
        fd = os.open(private_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(private_key_pem(self.private_key))
        with open(public_file, "x", encoding="ascii") as out:
            out.write(public_key_pem(self.public_key()))
        return private_file, public_file

    def sign(self, license_: "License") -> "SignedLicense":
        from .license import ED25519, LicenseSignature, SignedLicense, format_of, license_to_table
        from .canonical import canonical_form

        table = license_to_table(license_)
        fmt = format_of(license_)
        signature = self.private_key.sign(canonical_form(fmt, table))
        return SignedLicense(
            fmt,
            table,
            license_,
            LicenseSignature(ED25519, self.key_id, base64.b64encode(signature).decode("ascii")),
        )

    def __repr__(self) -> str:
        return f"SigningKey[{self.key_id}]"  # never the key material
