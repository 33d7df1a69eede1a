// Package cli is the keyturn command of the Go SDK: license verify, status and
// install, spelled as the Java CLI (keyturn-cli), with the same arguments,
// --json output and exit codes.
package cli

import (
	"fmt"
	"strings"
)

// Exit codes, as in the Java CLI.
const (
	ExitOK       = 0
	ExitFailure  = 1
	ExitUsage    = 2
	ExitReadOnly = 3
	ExitLocked   = 4
)

// option describes one --option of a command.
type option struct {
	name       string
	value      bool // takes a value
	repeatable bool
	required   bool
	label      string
	help       string
}

// parsed is a command line parsed against its options.
type parsed struct {
	values     map[string][]string
	flags      map[string]bool
	positional []string
}

func (p parsed) get(name string) string {
	if v := p.values[name]; len(v) > 0 {
		return v[len(v)-1]
	}
	return ""
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// parse accepts --name=value and --name value, options before or after the
// positional arguments, as picocli does.
func parse(args []string, opts []option, positionals int) (parsed, error) {
	p := parsed{values: map[string][]string{}, flags: map[string]bool{}}
	byName := map[string]option{}
	for _, o := range opts {
		byName[o.name] = o
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") || a == "--" {
			p.positional = append(p.positional, a)
			continue
		}
		name, value, hasValue := strings.Cut(a, "=")
		o, ok := byName[name]
		if !ok {
			return p, usageError{fmt.Sprintf("Unknown option: '%s'", name)}
		}
		if !o.value {
			if hasValue {
				return p, usageError{fmt.Sprintf("option '%s' takes no value", name)}
			}
			p.flags[name] = true
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return p, usageError{fmt.Sprintf("Missing required parameter for option '%s' (%s)", name, o.label)}
			}
			i++
			value = args[i]
		}
		if len(p.values[name]) > 0 && !o.repeatable {
			return p, usageError{fmt.Sprintf("option '%s' (%s) should be specified only once", name, o.label)}
		}
		p.values[name] = append(p.values[name], value)
	}
	var missing []string
	for _, o := range opts {
		if o.required && len(p.values[o.name]) == 0 {
			missing = append(missing, fmt.Sprintf("'%s=%s'", o.name, o.label))
		}
	}
	if len(p.positional) < positionals {
		return p, usageError{"Missing required parameter: 'FILE'"}
	}
	if len(p.positional) > positionals {
		return p, usageError{fmt.Sprintf("Unmatched argument at index %d: '%s'", positionals, p.positional[positionals])}
	}
	if len(missing) > 0 {
		label := "option"
		if len(missing) > 1 {
			label = "options"
		}
		return p, usageError{fmt.Sprintf("Missing required %s: %s", label, strings.Join(missing, ", "))}
	}
	return p, nil
}
