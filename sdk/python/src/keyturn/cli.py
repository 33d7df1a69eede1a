"""``python -m keyturn license verify|status|install``: the Java ``keyturn`` commands, with the same
arguments, ``--json`` documents and exit codes (verify: 0 only for VALID; status: 0 full, 3
read-only, 4 locked; 1 error; 2 usage). ``keyturn status`` and ``keyturn install`` are accepted too,
as the Java CLI spells them at the top level."""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import re
import sys
from pathlib import Path
from typing import Any, Callable, Optional, Sequence, TextIO

from ._time import UTC, iso
from .errors import KeyturnError, LicenseFormatError
from .jsonout import pretty
from .keys import KeyRing
from .license import SignedLicense, normalize_instance_domain
from .lifecycle import Mode, zones
from .reader import LicenseReader

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_READ_ONLY = 3
EXIT_LOCKED = 4

_INSTANT_FORMS = "use 2027-11-22T00:00:00Z, 2027-11-22T09:00:00+01:00 or 2027-11-22 (midnight UTC)"
_EXIT_CODES = """Exit codes:
  0  success; for status: the product works normally (full mode)
  1  invalid license, or the operation failed (the reason is printed)
  2  usage error (a missing or malformed option)
  3  status: the product is read-only (grace of a read-only policy)
  4  status: the product is locked (no license, grace over, or revoked)"""


class UsageError(Exception):
    def __init__(self, message: str, command: str) -> None:
        super().__init__(message)
        self.command = command


def instant_arg(value: str) -> _dt.datetime:
    s = value.strip()
    try:
        if len(s) == 10:
            return _dt.datetime.combine(_dt.date.fromisoformat(s), _dt.time(0), UTC)
        parsed = _dt.datetime.fromisoformat(s[:-1] + "+00:00" if s.endswith(("Z", "z")) else s)
        if parsed.tzinfo is None or "T" not in s.upper():
            raise ValueError
        return parsed.astimezone(UTC)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a date or an instant; {_INSTANT_FORMS}"
        ) from None


def domain_arg(value: str) -> str:
    try:
        return normalize_instance_domain(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"{e}; give a host name like tools.acme.example") from None


def zone_arg(value: str) -> zones.Zone:
    try:
        return zones.zone(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a time zone; use a region like Europe/Berlin, UTC or +02:00"
        ) from None


_REQUIRED = re.compile(r"the following arguments are required: (.+)")
_INVALID = re.compile(r"argument ([^:]+): (.+)", re.S)


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors worded as picocli words them for the Java CLI."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(self._java_words(message), self.prog)

    def _java_words(self, message: str) -> str:
        required = _REQUIRED.fullmatch(message)
        if required:
            names = [n.strip() for n in required.group(1).split(",")]
            actions = [self._action(n) for n in names]
            options = [a for a in actions if a is not None and a.option_strings]
            params = [a for a in actions if a is not None and not a.option_strings]
            if options:
                listed = ", ".join(f"'{a.option_strings[0]}={a.metavar}'" for a in options)
                head = f"Missing required option{'s' if len(options) > 1 else ''}: {listed}"
                chosen = options
            else:
                listed = ", ".join(f"'{a.metavar}'" for a in params)
                head = f"Missing required parameter{'s' if len(params) > 1 else ''}: {listed}"
                chosen = params
            lines = [head] + [
                f"  {a.option_strings[0] if a.option_strings else a.metavar}: {a.help}"
                for a in chosen
            ]
            return "\n".join(lines)
        invalid = _INVALID.fullmatch(message)
        if invalid and invalid.group(1).startswith("--"):
            option = invalid.group(1).split("/")[0]
            return f"Invalid value for option '{option}': {invalid.group(2)}"
        return message

    def _action(self, name: str) -> Optional[argparse.Action]:
        for a in self._actions:
            if name in a.option_strings or name in (a.metavar, a.dest):
                return a
        return None


def _parser() -> argparse.ArgumentParser:
    root = _Parser(
        prog="keyturn",
        description="Signed offline license files and their lifecycle (Python SDK).",
        epilog=_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = root.add_subparsers(dest="command", parser_class=_Parser)
    license_ = commands.add_parser("license", help="verify a license file; status and install")
    license_commands = license_.add_subparsers(dest="license_command", parser_class=_Parser)
    _verify_parser(license_commands)
    for group in (license_commands, commands):
        _status_parser(group)
        _install_parser(group)
    audit = commands.add_parser("audit", help="check a product's local audit log")
    audit_commands = audit.add_subparsers(dest="audit_command", parser_class=_Parser)
    p = audit_commands.add_parser(
        "verify",
        prog="keyturn audit verify",
        description="Check that a product's audit log is complete and unchanged. Reads only. Exits 0 "
        "when intact, 1 with the first line that was changed, removed or torn.",
    )
    p.add_argument(
        "--state-dir", required=True, metavar="DIR", help="The product's license state directory."
    )
    p.add_argument(
        "--json",
        action="store_true",
        help='Print {"intact", "lines", "broken_line", "message"} as JSON.',
    )
    return root


def _verify_parser(group: Any) -> None:
    p = group.add_parser(
        "verify",
        prog="keyturn license verify",
        description="Verify a license file as a product would. Exits 0 only when the result is "
        "VALID; otherwise prints the code with the reason and exits 1.",
    )
    p.add_argument("file", metavar="FILE", help="The .license.toml file.")
    p.add_argument(
        "--trust",
        action="append",
        required=True,
        metavar="DIR_OR_PEM",
        help="A trusted public key (<id>.public.pem) or a folder of them (repeatable).",
    )
    p.add_argument(
        "--at", type=instant_arg, metavar="ISO", help="Verify as of this instant (default: now)."
    )
    p.add_argument(
        "--instance-domain",
        type=domain_arg,
        metavar="D",
        help="The product's own instance domain, checked against the license's.",
    )
    p.add_argument(
        "--json", action="store_true", help='Print {"code", "message", "license"} as JSON.'
    )


def _product_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--state-dir",
        required=True,
        metavar="DIR",
        help="The product's license state directory (licenses/, state.json, audit.log).",
    )
    p.add_argument(
        "--trust",
        action="append",
        required=True,
        metavar="DIR_OR_PEM",
        help="A public key the product trusts (<id>.public.pem) or a folder of them "
        "(repeatable). The state directory does not record them: give the keys the product "
        "trusts.",
    )
    p.add_argument(
        "--instance-domain",
        type=domain_arg,
        metavar="D",
        help="The product's instance domain, if it is configured with one.",
    )
    p.add_argument(
        "--zone",
        type=zone_arg,
        metavar="ZONE",
        help="Time zone for dates and for 'today'/'tomorrow' (default: this machine's, as the "
        "product's banners use).",
    )


def _status_parser(group: Any) -> None:
    p = group.add_parser(
        "status",
        prog="keyturn status",
        description="Show a product's license standing, read from its state directory (nothing "
        "is written). Exits 0 full, 3 read-only, 4 locked, 1 on error.",
    )
    _product_options(p)
    p.add_argument("--json", action="store_true", help="Print the standing as a JSON object.")


def _install_parser(group: Any) -> None:
    p = group.add_parser(
        "install",
        prog="keyturn install",
        description="Install a license file into a product's state directory, with the checks "
        "and atomic write of the product's own paste box. Exits 0 when installed, 1 when refused.",
    )
    p.add_argument("file", metavar="FILE", help="The .license.toml file.")
    _product_options(p)
    p.add_argument(
        "--json",
        action="store_true",
        help='Print {"code", "message", "installed", ..., "status"} as JSON.',
    )


def main(
    argv: Optional[Sequence[str]] = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    now: Callable[[], _dt.datetime] = lambda: _dt.datetime.now(UTC),
) -> int:
    """Runs one command; returns its exit code. ``now`` is where the real clock is chosen."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    try:
        args = parser.parse_args(args_list)
    except UsageError as e:
        err.write(f"keyturn: {e}\nTry '{e.command} --help' for more information.\n")
        return EXIT_USAGE
    command = args.command
    if command == "license":
        command = args.license_command
    elif command == "audit":
        command = "audit verify" if args.audit_command else None
    if command is None:
        parser.print_help(out)
        return EXIT_USAGE
    try:
        if command == "verify":
            return _verify(args, out, err, now)
        if command == "status":
            return _status(args, out, now)
        if command == "audit verify":
            return _audit_verify(args, out, err)
        return _install(args, out, err, now)
    except (KeyturnError, OSError, ValueError) as e:
        code = f"{e.code}: " if isinstance(e, LicenseFormatError) else ""
        err.write(f"keyturn: {code}{e}\n")
        return EXIT_FAILED


def _ring(paths: Sequence[str]) -> KeyRing:
    return KeyRing.from_paths(*paths)


def _require_file(file: str) -> Path:
    """A file that is not there is a failed operation (exit 1), not a MALFORMED license."""
    p = Path(file)
    if p.is_dir():
        raise KeyturnError(f"{file} is a folder; give the .license.toml file in it")
    if not p.exists():
        raise KeyturnError(f"no such file: {file}")
    return p


def _read_license_file(file: str) -> SignedLicense:
    return LicenseReader().read_file(_require_file(file))


def _verify(
    args: argparse.Namespace, out: TextIO, err: TextIO, now: Callable[[], _dt.datetime]
) -> int:
    from .verify import LicenseVerifier, Verification

    verifier = LicenseVerifier(_ring(args.trust))
    when = args.at or now()
    _require_file(args.file)
    try:
        v = verifier.verify_signed(_read_license_file(args.file), when, args.instance_domain)
    except LicenseFormatError as e:
        v = Verification(e.code, e.message)
    view = license_view(v.signed) if v.signed is not None else None
    if args.json:
        out.write(pretty({"code": v.code.value, "message": v.message, "license": view}) + "\n")
    else:
        # The verdict goes where a script looks for it: stdout when valid, stderr when not; the
        # license's fields stay with it, so one message is on one stream.
        verdict = out if v.valid else err
        verdict.write(f"{v.code.value}: {v.message}\n")
        if view is not None:
            _fields(verdict, "  ", [r for r in _view_rows(view) if r[0] in _KEY_FIELDS])
    return EXIT_OK if v.valid else EXIT_FAILED


_KEY_FIELDS = {
    "id",
    "customer",
    "subscription_id",
    "instance_domain",
    "tier",
    "seats",
    "not_before",
    "expires_at",
    "key_id",
}


def license_view(signed: SignedLicense) -> dict[str, Any]:
    """The license as ``verify --json`` shows it: snake_case like the file, instants in UTC."""
    lic = signed.license
    rules = lic.policy.rules
    policy: dict[str, Any]
    if rules is None:
        policy = {
            "preset": lic.policy.preset,
            "grace_days": lic.policy.grace_days,
            "grace_mode": lic.policy.grace_mode.toml_name,
        }
    else:
        # A format-2 license: the whole policy, keyed as the file keys it.
        policy = {
            "name": rules.name,
            "grace_days": lic.policy.grace_days,
            "grace_mode": lic.policy.grace_mode.toml_name,
            "lock_action": rules.lock_action,
            "reminders": [
                {
                    "days_before": r.days_before,
                    "banner": r.banner,
                    "dismissal": r.dismissal,
                    "notify": list(r.recipients),
                }
                for r in rules.reminders
            ],
            "expiry_notify": list(rules.expiry_notify),
            "lock_notify": list(rules.lock_notify),
        }
    for k in sorted(lic.policy.extensions):
        policy[k] = _plain(lic.policy.extensions[k])
    return {
        "format": signed.format,
        "id": lic.id,
        "subscription_id": lic.subscription_id,
        "customer": lic.customer,
        "instance_domain": lic.instance_domain,
        "tier": lic.tier,
        "seats": lic.seats,
        "features": list(lic.features),
        "tags": list(lic.tags),
        "issued_at": iso(lic.issued_at),
        "not_before": iso(lic.not_before),
        "expires_at": iso(lic.expires_at),
        "limits": lic.sorted_limits(),
        "overage_percent": dict(sorted(lic.overage_percent.items())),
        "policy": policy,
        "extensions": {k: _plain(lic.extensions[k]) for k in sorted(lic.extensions)},
        "key_id": signed.signature.key_id,
    }


def _plain(value: Any) -> Any:
    """Extension values in JSON-friendly form, as the Java CLI writes them."""
    import math

    if isinstance(value, dict):
        return {str(k): _plain(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            return iso(value)
        return value.date().isoformat() + "T" + _java_local_time(value.time())
    if isinstance(value, _dt.time):
        return _java_local_time(value)
    return str(value)


def _java_local_time(t: _dt.time) -> str:
    """Java's ``LocalTime.toString()``: seconds only when not zero, a fraction in groups of three."""
    text = f"{t.hour:02d}:{t.minute:02d}"
    if t.second or t.microsecond:
        text += f":{t.second:02d}"
        if t.microsecond:
            micros = t.microsecond
            text += f".{micros // 1000:03d}" if micros % 1000 == 0 else f".{micros:06d}"
    return text


def _view_rows(view: dict[str, Any]) -> list[tuple[str, str]]:
    def joined(m: dict[str, Any]) -> str:
        return ", ".join(f"{k} = {_java_str(v)}" for k, v in m.items())

    def items(xs: list[str]) -> str:
        return ", ".join(xs) if xs else "(none)"

    rows = [
        ("id", view["id"]),
        ("subscription_id", view["subscription_id"]),
        ("customer", view["customer"]),
        ("instance_domain", view["instance_domain"] or "(any instance)"),
        ("tier", view["tier"]),
        ("seats", "unlimited" if view["seats"] == 0 else str(view["seats"])),
        ("features", items(view["features"])),
        ("tags", items(view["tags"])),
        ("issued_at", view["issued_at"]),
        ("not_before", view["not_before"]),
        ("expires_at", view["expires_at"]),
        ("limits", joined(view["limits"]) if view["limits"] else "(none)"),
        ("policy", joined(view["policy"])),
    ]
    rows += [(k, _java_str(v)) for k, v in view["extensions"].items()]
    rows.append(("key_id", view["key_id"]))
    return rows


def _java_str(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _fields(out: TextIO, indent: str, rows: Sequence[tuple[str, str]]) -> None:
    width = max((len(r[0]) for r in rows), default=0)
    for label, value in rows:
        out.write(f"{indent}{label.ljust(width)}  {value}\n")


def _manager(args: argparse.Namespace, now: Callable[[], _dt.datetime], read_only: bool):
    from .client import LicenseManager
    from .client.clock import SystemClock

    class _CliClock(SystemClock):
        def now(self) -> _dt.datetime:
            return now()

    return LicenseManager(
        args.state_dir,
        _ring(args.trust),
        instance_domain=args.instance_domain,
        clock=_CliClock(),
        zone=_zone(args),
        background=False,
        read_only=read_only,
    )


def _zone(args: argparse.Namespace) -> zones.Zone:
    if args.zone is not None:
        return args.zone
    from .client.manager import _system_zone

    return _system_zone()


def _require_state_dir(state_dir: str, hint: str) -> None:
    """A mistyped path must neither read as "no license" nor become a new, empty directory."""
    p = Path(state_dir)
    if not p.is_dir():
        what = (
            f"{state_dir} is not a directory" if p.exists() else f"no such directory: {state_dir}"
        )
        raise KeyturnError(f"{what}; {hint}")


def _status(args: argparse.Namespace, out: TextIO, now: Callable[[], _dt.datetime]) -> int:
    from . import status_report

    _require_state_dir(args.state_dir, "give the directory the product keeps its licenses in")
    manager = _manager(args, now, read_only=True)
    standing = manager.standing()
    if args.json:
        out.write(pretty(status_report.status_view(standing)) + "\n")
    else:
        status_report.print_report(out, standing, Path(args.state_dir), _zone(args))
    return exit_code(standing.mode)


def _audit_verify(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .client import verify_audit_log
    from .client.audit import FILE
    from .client.state import KEY_FILE

    state_dir = Path(args.state_dir)
    # A mistyped directory has no log at all, which would otherwise read as an intact empty one.
    if not state_dir.is_dir():
        raise KeyturnError(f"no such directory: {args.state_dir}")
    v = verify_audit_log(state_dir)
    log = state_dir / FILE
    if args.json:
        document = {
            "intact": v.intact,
            "lines": v.lines,
            "broken_line": v.broken_line,
            "message": v.message,
        }
        out.write(pretty(document) + "\n")
    elif v.intact:
        out.write(f"{log}: {v.message}\n")
        secret = state_dir / KEY_FILE
        if secret.exists() and not os.access(secret, os.R_OK):
            err.write(
                f"keyturn: note: this user cannot read {secret}, so lines cut from the end of the log "
                "cannot be detected; run as the product's user\n"
            )
    else:
        err.write(
            f"keyturn: {log} is broken at line {v.broken_line} ({v.lines} lines): {v.message}\n"
        )
    return EXIT_OK if v.intact else EXIT_FAILED


def exit_code(mode: Mode) -> int:
    """0 in full mode, 3 read-only, 4 locked: a monitoring script needs nothing else."""
    return {Mode.FULL: EXIT_OK, Mode.READ_ONLY: EXIT_READ_ONLY, Mode.LOCKED: EXIT_LOCKED}[mode]


def _install(
    args: argparse.Namespace, out: TextIO, err: TextIO, now: Callable[[], _dt.datetime]
) -> int:
    from . import status_report

    _require_state_dir(
        args.state_dir,
        "give the directory the product keeps its licenses in (create it first if the product "
        "has never run)",
    )
    manager = _manager(args, now, read_only=False)
    _require_file(args.file)
    before = manager.standing().license
    result = manager.install_file(args.file)
    standing = manager.standing()
    lowered = (
        status_report.lowered_limits(before, result.license)
        if result.in_force and result.license is not None
        else []
    )
    if args.json:
        document = {
            "code": result.code.value,
            "message": result.message,
            "installed": result.installed,
            "in_force": result.in_force,
            "license": status_report.license_info(result.license) if result.license else None,
            "excesses": [
                {"limit": e.limit, "usage": e.usage, "new_value": e.new_value}
                for e in result.excesses
            ],
            "lowered_limits": [
                {"limit": name, "from": old, "to": new} for name, old, new in lowered
            ],
            "status": status_report.status_view(standing),
        }
        out.write(pretty(document) + "\n")
    elif result.installed:
        message = result.message
        out.write(message[:1].upper() + message[1:] + ".\n")
        if lowered and "(usage as the product recorded it" not in message:
            described = ", ".join(
                f"{name} from {'unlimited' if old is None else old} to {new}"
                for name, old, new in lowered
            )
            err.write(
                f"keyturn: note: this license lowers {described}. The product has not recorded "
                "its usage in its state directory, so keyturn did not check that usage fits the "
                "new limits (the product's own install does).\n"
            )
        out.write("\nIn force now:\n")
        status_report.print_report(out, standing, Path(args.state_dir), _zone(args))
    else:
        in_force = (
            f"{standing.license.id} ({standing.license.customer}), " if standing.license else ""
        )
        err.write(f"keyturn: {result.code.value}: {result.message}\n")
        err.write(
            f"keyturn: nothing was installed; in force: {in_force}{status_report.headline(standing)}\n"
        )
    return EXIT_OK if result.installed else EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
