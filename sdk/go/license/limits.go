package license

import "fmt"

// ReadLimits bounds what the reader accepts, so a hostile file cannot exhaust
// memory or stack. Real license files are about a kilobyte.
type ReadLimits struct {
	MaxFileBytes    int // the reader never reads more than this + 1 bytes from a file
	MaxStringLength int // in UTF-16 code units, as Java counts a String's length
	MaxArrayLength  int
	MaxNestingDepth int // root table = 1, so [license.policy] is 3
}

// DefaultLimits are the defaults of docs/license-format.md.
var DefaultLimits = ReadLimits{
	MaxFileBytes:    64 * 1024,
	MaxStringLength: 4096,
	MaxArrayLength:  1024,
	MaxNestingDepth: 8,
}

// Validate says what is wrong with the limits, if anything.
func (l ReadLimits) Validate() error {
	for _, f := range []struct {
		name  string
		value int
	}{{"MaxFileBytes", l.MaxFileBytes}, {"MaxStringLength", l.MaxStringLength}, {"MaxArrayLength", l.MaxArrayLength}} {
		if f.value <= 0 {
			return fmt.Errorf("%s must be positive, was %d", f.name, f.value)
		}
	}
	if l.MaxNestingDepth < 3 {
		return fmt.Errorf("MaxNestingDepth must be at least 3 (a license needs [license.policy]), was %d", l.MaxNestingDepth)
	}
	return nil
}
