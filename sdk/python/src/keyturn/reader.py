"""Reads ``.license.toml`` files. Every problem becomes a LicenseFormatError (MALFORMED or
UNSUPPORTED_FORMAT) naming what is wrong; nothing else escapes, whatever the input."""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import functools
import math
import os
import re
import tomllib
from dataclasses import dataclass
from typing import Any, Optional, Union

from .codes import VerificationCode
from .errors import LicenseFormatError
from .license import (
    ED25519,
    MAX_FORMAT,
    LicenseSignature,
    SignedLicense,
    check_keys,
    license_from_table,
)

_TOP_LEVEL_KEYS = frozenset({"format", "license", "signature"})
_SIGNATURE_KEYS = frozenset({"algorithm", "key_id", "value"})
_ED25519_SIGNATURE_BYTES = 64
_WHITESPACE = re.compile(r"\s+")
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1
_TOML_POSITION = re.compile(r"^(.*) \(at line (\d+), column (\d+)\)$")


@dataclass(frozen=True)
class ReadLimits:
    """Bounds the reader enforces before and while parsing, so a hostile file cannot exhaust memory
    or stack. Root table = depth 1, so ``[license.policy]`` is depth 3."""

    max_file_bytes: int = 64 * 1024
    max_string_length: int = 4096
    max_array_length: int = 1024
    max_nesting_depth: int = 8

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_string_length", "max_array_length"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{_camel(name)} must be positive, was {getattr(self, name)}")
        if self.max_nesting_depth < 3:
            raise ValueError(
                "maxNestingDepth must be at least 3 (a license needs [license.policy]), was "
                f"{self.max_nesting_depth}"
            )


DEFAULT_LIMITS = ReadLimits()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _utf16_length(s: str) -> int:
    """Java counts string length in UTF-16 units; the limits and messages must say the same."""
    if s.isascii():
        return len(s)
    return len(s.encode("utf-16-le", errors="surrogatepass")) // 2


class LicenseReader:
    def __init__(self, limits: ReadLimits = DEFAULT_LIMITS) -> None:
        self.limits = limits

    def read_file(self, path: Union[str, os.PathLike[str]]) -> SignedLicense:
        try:
            with open(path, "rb") as f:
                # One byte past the limit, never the whole of an oversized file.
                data = f.read(self.limits.max_file_bytes + 1)
        except OSError as e:
            raise LicenseFormatError.malformed(f"cannot read {path}: {e.strerror or e}") from None
        return self.read_bytes(data)

    def read_bytes(self, data: bytes) -> SignedLicense:
        self._check_size(len(data))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise LicenseFormatError.malformed("the file is not valid UTF-8 text") from None
        return self.read(text)

    def read(self, text: str) -> SignedLicense:
        """Parses a license file's text; raises LicenseFormatError.

        The result is a pure function of the text and the limits, so the last few are remembered:
        a product re-verifies the same installed files over and over, and parsing TOML in Python
        costs several signature checks. Signatures are still checked on every verification.
        """
        return _read_cached(text, self.limits)

    def _read_uncached(self, text: str) -> SignedLicense:
        self._check_size(_utf16_length(text))
        try:
            encoded = text.encode("utf-8")
        except UnicodeEncodeError:
            raise LicenseFormatError.malformed("the file is not valid UTF-8 text") from None
        self._check_size(len(encoded))
        if text.startswith("\ufeff"):
            text = text[1:]  # a byte-order mark, as some Windows editors add
        _nesting_scan(text, self.limits.max_nesting_depth)
        try:
            toml = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise LicenseFormatError.malformed(_toml_message(str(e))) from None
        except (ValueError, RecursionError, OverflowError):
            # The parser is third-party code; whatever else it trips over is still bad input.
            raise LicenseFormatError.malformed("not a valid TOML file") from None
        too_large = _integer_out_of_range(toml, "")
        if too_large is not None:
            # TOML integers are 64-bit; Python's parser reads any size, so the check is here.
            raise LicenseFormatError.malformed(
                f"not a valid TOML file: {too_large}: Integer is too large"
            )
        for key in toml:
            if key not in _TOP_LEVEL_KEYS:
                raise LicenseFormatError.malformed(
                    f"unexpected top-level key '{key}': a license file holds only format, "
                    "[license] and [signature]"
                )
        fmt = _format(toml)
        if not isinstance(toml.get("license"), dict):
            raise LicenseFormatError.malformed("the [license] table is missing")
        if not isinstance(toml.get("signature"), dict):
            raise LicenseFormatError.malformed(
                "the [signature] table is missing; was the file signed?"
            )
        table = self._convert_table(toml["license"], "license", 2)
        try:
            check_keys("license", table)
        except ValueError as e:
            raise LicenseFormatError.malformed(str(e)) from None
        lic = license_from_table(table, fmt)
        signature = _signature(toml["signature"])
        return SignedLicense(fmt, table, lic, signature)

    def _check_size(self, size: int) -> None:
        if size > self.limits.max_file_bytes:
            raise LicenseFormatError.malformed(
                f"the file is larger than {self.limits.max_file_bytes} bytes "
                "(ReadLimits.maxFileBytes); a license file is a few hundred bytes"
            )

    def _convert_table(self, table: dict[str, Any], path: str, depth: int) -> dict[str, Any]:
        self._check_depth(path, depth)
        return {key: self._convert(table[key], f"{path}.{key}", depth) for key in sorted(table)}

    def _convert(self, value: Any, path: str, depth: int) -> Any:
        if isinstance(value, dict):
            return self._convert_table(value, path, depth + 1)
        if isinstance(value, list):
            self._check_depth(path, depth + 1)
            if len(value) > self.limits.max_array_length:
                raise LicenseFormatError.malformed(
                    f"{path} has {len(value)} items, more than {self.limits.max_array_length} "
                    "(ReadLimits.maxArrayLength)"
                )
            return [self._convert(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value)]
        if isinstance(value, str):
            length = _utf16_length(value)
            if length > self.limits.max_string_length:
                raise LicenseFormatError.malformed(
                    f"{path} is {length} characters long, more than "
                    f"{self.limits.max_string_length} (ReadLimits.maxStringLength)"
                )
            return value
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value
        if isinstance(value, _dt.datetime):
            return value.astimezone(_dt.timezone.utc) if value.tzinfo is not None else value
        if isinstance(value, (float, _dt.date, _dt.time)):
            return value
        raise LicenseFormatError.malformed(f"{path} has a value of an unsupported type")

    def _check_depth(self, path: str, depth: int) -> None:
        if depth > self.limits.max_nesting_depth:
            raise LicenseFormatError.malformed(
                f"{path} is nested {depth} levels deep, more than "
                f"{self.limits.max_nesting_depth} (ReadLimits.maxNestingDepth)"
            )


def _integer_out_of_range(value: Any, path: str) -> Optional[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            found = _integer_out_of_range(item, f"{path}.{key}" if path else key)
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _integer_out_of_range(item, f"{path}[{i}]")
            if found is not None:
                return found
    elif isinstance(value, int) and not isinstance(value, bool):
        if not _LONG_MIN <= value <= _LONG_MAX:
            return path
    return None


def _toml_message(parser_message: str) -> str:
    """``not a valid TOML file: line L, column C: what`` as the Java reader words it."""
    m = _TOML_POSITION.match(parser_message)
    if m:
        return f"not a valid TOML file: line {m.group(2)}, column {m.group(3)}: {m.group(1)}"
    return f"not a valid TOML file: {parser_message}"


def _format(toml: dict[str, Any]) -> int:
    fmt = toml.get("format")
    if fmt is None:
        raise LicenseFormatError.malformed(
            "'format' is missing; a license file starts with format = 1"
        )
    if isinstance(fmt, bool) or not isinstance(fmt, int) or fmt < 1:
        shown = _java_text(fmt)
        raise LicenseFormatError.malformed(
            f"'format' must be a positive whole number, found {shown}"
        )
    if fmt > MAX_FORMAT:
        raise LicenseFormatError(
            VerificationCode.UNSUPPORTED_FORMAT,
            f"license format {fmt} is newer than this product understands (format {MAX_FORMAT}); "
            "update the product to use this license",
        )
    return fmt


def _java_text(value: Any) -> str:
    """How Java's string concatenation shows a parsed TOML value in a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _java_double(value)
    return str(value)


def _java_double(d: float) -> str:
    if math.isnan(d):
        return "NaN"
    if math.isinf(d):
        return "Infinity" if d > 0 else "-Infinity"
    if d == int(d) and abs(d) < 1e7:
        return f"{d:.1f}"
    return repr(d)


def _signature(t: dict[str, Any]) -> LicenseSignature:
    for key in t:
        if key not in _SIGNATURE_KEYS:
            raise LicenseFormatError.malformed(f"unexpected key '{key}' in [signature]")
    algorithm = _signature_string(t, "algorithm")
    if algorithm != ED25519:
        raise LicenseFormatError(
            VerificationCode.UNSUPPORTED_FORMAT,
            f'signature algorithm "{algorithm}" is not supported; this reader knows "ed25519"',
        )
    key_id = _signature_string(t, "key_id")
    # Whitespace is dropped so that a value wrapped by a mail program still reads.
    value = _WHITESPACE.sub("", _signature_string(t, "value"))
    try:
        raw = _java_base64(value)
    except (binascii.Error, ValueError):
        raise LicenseFormatError.malformed("signature.value is not valid base64") from None
    if len(raw) != _ED25519_SIGNATURE_BYTES:
        raise LicenseFormatError.malformed(
            f"signature.value must be 64 bytes of Ed25519 signature, found {len(raw)}"
        )
    return LicenseSignature(algorithm, key_id, value)


def _java_base64(value: str) -> bytes:
    """Java's basic decoder: padding is accepted but not required."""
    if len(value) % 4 in (2, 3) and not value.endswith("="):
        value += "=" * (4 - len(value) % 4)
    return base64.b64decode(value, validate=True)


def _signature_string(t: dict[str, Any], key: str) -> str:
    v = t.get(key)
    if not isinstance(v, str) or not v.strip():
        raise LicenseFormatError.malformed(f"signature.{key} must be a non-empty string")
    return v


_SCAN_STOPS = re.compile(r"[#\"'\[\]{}]")


def _nesting_scan(text: str, max_depth: int) -> None:
    """Bounds bracket nesting before the TOML parser runs (it recurses once per level). Follows
    strings and comments only far enough to ignore brackets inside them."""
    allowed = max_depth + 2  # table headers add up to two levels ("[[a]]")
    depth = 0
    i = 0
    n = len(text)
    while True:
        m = _SCAN_STOPS.search(text, i)
        if m is None:
            return
        i = m.start()
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif c == '"' or c == "'":
            i = _skip_string(text, i, c)
        else:
            if c in "[{":
                depth += 1
                if depth > allowed:
                    raise LicenseFormatError.malformed(
                        f"brackets are nested more than {max_depth} levels deep "
                        "(ReadLimits.maxNestingDepth)"
                    )
            elif depth > 0:
                depth -= 1
            i += 1


_BASIC_STRING_STOPS = re.compile(r'[\\"\n]')


def _skip_string(text: str, start: int, quote: str) -> int:
    triple = quote * 3
    multiline = text.startswith(triple, start)
    i = start + (3 if multiline else 1)
    n = len(text)
    if quote == "'":
        # Literal strings have no escapes: the end is the next closing quote (or line end).
        end = text.find(triple if multiline else "'", i)
        if not multiline:
            newline = text.find("\n", i)
            if newline >= 0 and (end < 0 or newline < end):
                return newline  # unterminated: the parser will report it
        return n if end < 0 else end + (3 if multiline else 1)
    while i < n:
        m = _BASIC_STRING_STOPS.search(text, i)
        if m is None:
            return n
        i = m.start()
        c = text[i]
        if c == "\\":
            i += 2
        elif c == '"':
            if not multiline:
                return i + 1
            if text.startswith(triple, i):
                return i + 3
            i += 1
        elif not multiline:
            return i  # a newline: unterminated, the parser will report it
        else:
            i += 1
    return i


@functools.lru_cache(maxsize=64)
def _read_cached(text: str, limits: ReadLimits) -> SignedLicense:
    return LicenseReader(limits)._read_uncached(text)


def read_license(text: str, limits: ReadLimits = DEFAULT_LIMITS) -> SignedLicense:
    """Parses a license file's text; raises LicenseFormatError."""
    return _read_cached(text, limits)
