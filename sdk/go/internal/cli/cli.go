package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"keyturn.dev/go/client"
	"keyturn.dev/go/license"
	"keyturn.dev/go/lifecycle"
)

// Env is what a command may touch: its writers and the clock.
type Env struct {
	Out, Err io.Writer
	Clock    client.Clock
}

const mainHelp = `Usage: keyturn COMMAND
Keyturn for Go: verify license files and look after a product's license.
Commands:
  license verify  Verify a license file as a product would.
  status          Show a product's license standing, read from its state directory.
  install         Install a license file into a product's state directory.
Exit codes: 0 OK, 1 failure, 2 usage; status: 3 read-only, 4 locked.
`

// Run runs one command line and returns its exit code.
func Run(args []string, env Env) int {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprint(env.Out, mainHelp)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	switch {
	case args[0] == "license" && len(args) > 1 && args[1] == "verify":
		return command(env, "keyturn license verify", verifyHelp, args[2:], verifyOptions, 1, verify)
	case args[0] == "status":
		return command(env, "keyturn status", statusHelp, args[1:], productOptions, 0, status)
	case args[0] == "install":
		return command(env, "keyturn install", installHelp, args[1:], productOptions, 1, install)
	case args[0] == "license":
		fmt.Fprintln(env.Err, "keyturn: license needs a subcommand: verify")
	default:
		fmt.Fprintf(env.Err, "keyturn: Unmatched argument at index 0: '%s'\n", args[0])
	}
	fmt.Fprintln(env.Err, "Try 'keyturn --help' for more information.")
	return ExitUsage
}

func command(env Env, name, help string, args []string, opts []option, positionals int,
	run func(Env, parsed) (int, error)) int {
	for _, a := range args {
		if a == "--help" || a == "-h" {
			fmt.Fprint(env.Out, help)
			return ExitOK
		}
	}
	p, err := parse(args, append(opts, option{name: "--json", help: "JSON output"}), positionals)
	if err != nil {
		fmt.Fprintf(env.Err, "keyturn: %v\nTry '%s --help' for more information.\n", err, name)
		return ExitUsage
	}
	code, err := run(env, p)
	var usage usageError
	if errors.As(err, &usage) {
		fmt.Fprintf(env.Err, "keyturn: %v\nTry '%s --help' for more information.\n", err, name)
		return ExitUsage
	}
	if err != nil {
		fmt.Fprintf(env.Err, "keyturn: %v\n", err)
		return ExitFailure
	}
	return code
}

var trustOption = option{name: "--trust", value: true, repeatable: true, required: true, label: "DIR_OR_PEM",
	help: "A trusted public key (<id>.public.pem) or a folder of them (repeatable)."}
var domainOption = option{name: "--instance-domain", value: true, label: "D", help: "The product's own instance domain."}

var verifyOptions = []option{trustOption, domainOption,
	{name: "--at", value: true, label: "ISO", help: "Verify as of this instant (default: now)."}}

var productOptions = []option{
	{name: "--state-dir", value: true, required: true, label: "DIR", help: "The product's license state directory."},
	trustOption, domainOption,
	{name: "--zone", value: true, label: "ZONE", help: "Time zone for dates and for 'today'/'tomorrow'."}}

const verifyHelp = `Usage: keyturn license verify FILE --trust=DIR_OR_PEM [--trust=DIR_OR_PEM]...
                              [--at=ISO] [--instance-domain=D] [--json]
Verify a license file as a product would.
Checks that it is readable, signed by a trusted key, unchanged, for this instance, and
valid now (or at --at). Exits 0 only when the result is VALID; otherwise prints one of
MALFORMED, UNSUPPORTED_FORMAT, UNKNOWN_KEY_ID, SIGNATURE_MISMATCH, NOT_YET_VALID, EXPIRED
or INSTANCE_MISMATCH with the reason, and exits 1.
      FILE                  The .license.toml file.
      --trust=DIR_OR_PEM    A trusted public key (<id>.public.pem) or a folder of them (repeatable).
      --at=ISO              Verify as of this instant (default: now).
      --instance-domain=D   The product's own instance domain, checked against the license's.
      --json                Print {"code", "message", "license"} as JSON.
`

const statusHelp = `Usage: keyturn status --state-dir=DIR --trust=DIR_OR_PEM [--trust=DIR_OR_PEM]...
                      [--instance-domain=D] [--zone=ZONE] [--json]
Show a product's license standing, read from its state directory.
Reads only: nothing in the state directory is written.
Exits 0 when the product works normally, 3 when it is read-only (read-only
grace), 4 when it is locked (no license, grace over, revoked), 1 on error.
`

const installHelp = `Usage: keyturn install FILE --state-dir=DIR --trust=DIR_OR_PEM [--trust=DIR_OR_PEM]...
                       [--instance-domain=D] [--zone=ZONE] [--json]
Install a license file into a product's state directory.
The same checks and atomic write as the product's own paste box: signature,
instance domain, validity; then audited. Exits 0 when installed, 1 when refused.
A license that lowers a limit is checked against the usage the running product
recorded in its state (usage.json), refused with USAGE_EXCEEDS_LIMITS below it;
a record older than 24 hours is named as too old to trust.
`

func keyRing(p parsed) (*license.KeyRing, error) {
	ring := license.NewKeyRing()
	for _, path := range p.values["--trust"] {
		if err := ring.AddPath(path); err != nil {
			return nil, err
		}
	}
	return ring, nil
}

func domain(p parsed) (string, error) {
	d := p.get("--instance-domain")
	if d == "" {
		return "", nil
	}
	n, err := license.NormalizeDomain(d)
	if err != nil {
		return "", usageError{fmt.Sprintf("Invalid value for option '--instance-domain': %v; give a host name like tools.acme.example", err)}
	}
	return n, nil
}

// parseInstant reads 2027-11-22T00:00:00Z, 2027-11-22T09:00:00+01:00 or 2027-11-22 (midnight UTC).
func parseInstant(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) == 10 {
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return t, nil
		}
	} else if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Time{}, usageError{fmt.Sprintf("Invalid value for option '--at': '%s' is not a date or an instant; "+
		"use 2027-11-22T00:00:00Z, 2027-11-22T09:00:00+01:00 or 2027-11-22 (midnight UTC)", s)}
}

func verify(env Env, p parsed) (int, error) {
	ring, err := keyRing(p)
	if err != nil {
		return 0, err
	}
	d, err := domain(p)
	if err != nil {
		return 0, err
	}
	at := env.Clock.Now()
	if p.get("--at") != "" {
		if at, err = parseInstant(p.get("--at")); err != nil {
			return 0, err
		}
	}
	file := p.positional[0]
	if err := requireFile(file); err != nil {
		return 0, err
	}
	var v license.Verification
	if signed, err := (license.Reader{}).ReadFile(file); err != nil {
		var le *license.Error
		errors.As(err, &le)
		v = license.Verification{Code: le.Code, Message: le.Message}
	} else {
		v = license.NewVerifier(ring).VerifySigned(signed, at, d)
	}
	var view *licenseView
	if v.License != nil {
		view = newLicenseView(v.License)
	}
	if p.flags["--json"] {
		fmt.Fprintln(env.Out, pretty(orderedMap{{"code", v.Code}, {"message", v.Message}, {"license", view}}))
	} else {
		verdict := env.Out
		if !v.Valid() {
			verdict = env.Err
		}
		// The license's fields stay with the verdict: one message, on one stream.
		fmt.Fprintf(verdict, "%s: %s\n", v.Code, v.Message)
		if view != nil {
			fields(verdict, "  ", view.keyFields())
		}
	}
	if v.Valid() {
		return ExitOK, nil
	}
	return ExitFailure, nil
}

// requireFile fails unless file exists and is not a folder: a file that is not there is a failed
// operation (exit 1, "no such file"), not a MALFORMED license.
func requireFile(file string) error {
	info, err := os.Stat(file)
	if err != nil {
		return fmt.Errorf("no such file: %s", file)
	}
	if info.IsDir() {
		return fmt.Errorf("%s is a folder; give the .license.toml file in it", file)
	}
	return nil
}

func manager(env Env, p parsed, readOnly bool) (*client.Manager, *time.Location, error) {
	dir := p.get("--state-dir")
	info, err := os.Stat(dir)
	hint := "give the directory the product keeps its licenses in"
	if !readOnly {
		hint += " (create it first if the product has never run)"
	}
	if err != nil {
		return nil, nil, fmt.Errorf("no such directory: %s; %s", dir, hint)
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("%s is not a directory; %s", dir, hint)
	}
	ring, err := keyRing(p)
	if err != nil {
		return nil, nil, err
	}
	d, err := domain(p)
	if err != nil {
		return nil, nil, err
	}
	zone := time.Local
	if z := p.get("--zone"); z != "" {
		if zone, err = lifecycle.ParseZone(z); err != nil {
			return nil, nil, usageError{fmt.Sprintf("Invalid value for option '--zone': %v", err)}
		}
	}
	m, err := client.New(client.Options{StateDir: dir, TrustedKeys: ring, InstanceDomain: d, Clock: env.Clock, Zone: zone, ReadOnly: readOnly})
	return m, zone, err
}

func status(env Env, p parsed) (int, error) {
	m, zone, err := manager(env, p, true)
	if err != nil {
		return 0, err
	}
	s := m.Standing()
	if p.flags["--json"] {
		fmt.Fprintln(env.Out, pretty(newStatusView(s)))
	} else {
		printStatus(env.Out, s, p.get("--state-dir"), zone)
	}
	return exitCode(s.Mode), nil
}

func exitCode(mode lifecycle.Mode) int {
	switch mode {
	case lifecycle.ModeReadOnly:
		return ExitReadOnly
	case lifecycle.ModeLocked:
		return ExitLocked
	}
	return ExitOK
}

func install(env Env, p parsed) (int, error) {
	m, zone, err := manager(env, p, false)
	if err != nil {
		return 0, err
	}
	if err := requireFile(p.positional[0]); err != nil {
		return 0, err
	}
	before := m.Standing().License
	result, err := m.InstallFile(p.positional[0])
	if err != nil {
		return 0, err
	}
	s := m.Standing()
	low := []loweredLimit{}
	if result.InForce {
		low = lowered(before, result.License)
	}
	if p.flags["--json"] {
		fmt.Fprintln(env.Out, pretty(orderedMap{{"code", result.Code}, {"message", result.Message},
			{"installed", result.Installed()}, {"in_force", result.InForce}, {"license", newLicenseInfo(result.License)},
			{"excesses", result.Excesses}, {"lowered_limits", low}, {"status", newStatusView(s)}}))
	} else if result.Installed() {
		fmt.Fprintln(env.Out, capitalized(result.Message)+".")
		if len(low) > 0 && !strings.Contains(result.Message, "(usage as the product recorded it") {
			parts := make([]string, len(low))
			for i, l := range low {
				parts[i] = l.String()
			}
			fmt.Fprintf(env.Err, "keyturn: note: this license lowers %s. The product has not recorded its usage in its state directory,"+
				" so keyturn did not check that usage fits the new limits (the product's own install does).\n", strings.Join(parts, ", "))
		}
		fmt.Fprintln(env.Out)
		fmt.Fprintln(env.Out, "In force now:")
		printStatus(env.Out, s, p.get("--state-dir"), zone)
	} else {
		fmt.Fprintf(env.Err, "keyturn: %s: %s\n", result.Code, result.Message)
		inForce := ""
		if s.License != nil {
			inForce = s.License.ID + " (" + s.License.Customer + "), "
		}
		fmt.Fprintf(env.Err, "keyturn: nothing was installed; in force: %s%s\n", inForce, headline(s))
	}
	if result.Installed() {
		return ExitOK, nil
	}
	return ExitFailure, nil
}

func capitalized(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func headline(s client.Standing) string {
	switch s.Mode {
	case lifecycle.ModeReadOnly:
		return s.Summary + " (read-only)"
	case lifecycle.ModeLocked:
		if strings.HasPrefix(s.Summary, "locked") {
			return s.Summary
		}
		return "locked: " + s.Summary
	}
	return s.Summary
}

func when(t time.Time, zone *time.Location) string {
	local := t.In(zone)
	return local.Format("2006-01-02 15:04 ") + lifecycle.ZoneName(local)
}

func printStatus(out io.Writer, s client.Standing, stateDir string, zone *time.Location) {
	fmt.Fprintln(out, headline(s))
	var rows [][2]string
	if l := s.License; l != nil {
		rows = append(rows, [2]string{"customer", l.Customer}, [2]string{"license", l.ID}, [2]string{"tier", l.Tier},
			[2]string{"expires", when(l.ExpiresAt, zone)})
		if t := s.LocksAt(); t != nil {
			rows = append(rows, [2]string{"locks", when(*t, zone)})
		}
	} else {
		rows = append(rows, [2]string{"license", "none installed"}, [2]string{"hint", noLicenseHint(stateDir)})
	}
	modeText := map[lifecycle.Mode]string{
		lifecycle.ModeFull:     "FULL (the product works normally)",
		lifecycle.ModeReadOnly: "READ_ONLY (data can be viewed, not changed)",
		lifecycle.ModeLocked:   "LOCKED (lock screen with a paste box; no data is touched)",
	}
	rows = append(rows, [2]string{"mode", modeText[s.Mode]})
	flags := "none"
	if len(s.Flags) > 0 {
		names := make([]string, len(s.Flags))
		for i, f := range s.Flags {
			names[i] = string(f)
		}
		flags = strings.Join(names, ", ")
	}
	rows = append(rows, [2]string{"flags", flags})
	if s.Has(client.FlagClockRollback) {
		rows = append(rows, [2]string{"clock", when(s.ClockTime, zone) + "; licensing uses " + when(s.EvaluatedAt, zone) + ", the latest time seen"})
	}
	b := s.Banner
	banner := "none"
	switch b.Display {
	case client.DisplayShown:
		banner = b.Text
	case client.DisplayHidden:
		banner = b.Text
		if b.HiddenUntil != nil {
			banner += " [dismissed until " + when(*b.HiddenUntil, zone) + "]"
		}
	case client.DisplayPill:
		banner = b.Text + " [collapsed to a pill: " + b.PillText + "]"
	}
	rows = append(rows, [2]string{"banner", banner})
	fields(out, "  ", rows)
}

func noLicenseHint(stateDir string) string {
	matches, _ := filepath.Glob(filepath.Join(stateDir, "licenses", "*.license.toml"))
	if len(matches) > 0 {
		return fmt.Sprintf("%d license file(s) in %s but none is signed by the trusted keys for this instance: check --trust and --instance-domain",
			len(matches), filepath.Join(stateDir, "licenses"))
	}
	return "install one with: keyturn install FILE --state-dir " + stateDir + " --trust KEYS"
}

func fields(out io.Writer, indent string, rows [][2]string) {
	width := 0
	for _, r := range rows {
		if len(r[0]) > width {
			width = len(r[0])
		}
	}
	for _, r := range rows {
		fmt.Fprintf(out, "%s%-*s  %s\n", indent, width, r[0], r[1])
	}
}
