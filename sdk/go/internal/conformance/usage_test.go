package conformance

import (
	"reflect"
	"testing"

	"keyturn.dev/go/lifecycle"
)

// The records of usage.json (the signed usage.json file) run in client/internal/store.

type usageGrant struct {
	Seats          int64            `json:"seats"`
	Limits         map[string]int64 `json:"limits"`
	OveragePercent map[string]int64 `json:"overage_percent"`
}

func (g usageGrant) grant() lifecycle.Grant {
	return lifecycle.Grant{Seats: g.Seats, Limits: g.Limits, OveragePercent: g.OveragePercent}
}

type limitJSON struct {
	Limit          string `json:"limit"`
	Usage          int64  `json:"usage"`
	Licensed       int64  `json:"licensed"`
	OveragePercent int64  `json:"overage_percent"`
	Ceiling        int64  `json:"ceiling"`
	Level          string `json:"level"`
	Text           string `json:"text"`
}

type usageFile struct {
	Standing []struct {
		Name     string           `json:"name"`
		License  usageGrant       `json:"license"`
		Usage    map[string]int64 `json:"usage"`
		Expected struct {
			Level  string      `json:"level"`
			Limits []limitJSON `json:"limits"`
			Banner struct {
				Level     string `json:"level"`
				Dismissal string `json:"dismissal"`
				Text      string `json:"text"`
			} `json:"banner"`
		} `json:"expected"`
	} `json:"standing"`
	Increase []struct {
		Name     string     `json:"name"`
		License  usageGrant `json:"license"`
		Limit    string     `json:"limit"`
		Usage    int64      `json:"usage"`
		By       int64      `json:"by"`
		Expected struct {
			Allowed bool   `json:"allowed"`
			After   int64  `json:"after"`
			Ceiling *int64 `json:"ceiling"`
			Message string `json:"message"`
		} `json:"expected"`
	} `json:"increase"`
	Errors []struct {
		Name    string           `json:"name"`
		Call    string           `json:"call"`
		License usageGrant       `json:"license"`
		Usage   map[string]int64 `json:"usage"`
		Limit   string           `json:"limit"`
		By      int64            `json:"by"`
		Error   string           `json:"error"`
	} `json:"errors"`
}

func TestUsageVectors(t *testing.T) {
	var f usageFile
	load(t, "usage.json", &f)
	for _, c := range f.Standing {
		t.Run("standing/"+c.Name, func(t *testing.T) {
			s, err := lifecycle.EvaluateUsage(c.License.grant(), c.Usage)
			if err != nil {
				t.Fatal(err)
			}
			if string(s.Level()) != c.Expected.Level {
				t.Errorf("level %s, want %s", s.Level(), c.Expected.Level)
			}
			got := []limitJSON{}
			for _, l := range s.Limits {
				got = append(got, limitJSON{l.Limit, l.Usage, l.Licensed, l.OveragePercent, l.Ceiling, string(l.Level), l.Text})
			}
			if !reflect.DeepEqual(got, append([]limitJSON{}, c.Expected.Limits...)) {
				t.Errorf("limits\n got: %+v\nwant: %+v", got, c.Expected.Limits)
			}
			b := s.Banner()
			if string(b.Level) != c.Expected.Banner.Level || string(b.Dismissal) != c.Expected.Banner.Dismissal || b.Text != c.Expected.Banner.Text {
				t.Errorf("banner %+v, want %+v", b, c.Expected.Banner)
			}
		})
	}
	for _, c := range f.Increase {
		t.Run("increase/"+c.Name, func(t *testing.T) {
			d, err := lifecycle.Increase(c.License.grant(), c.Limit, c.Usage, c.By)
			if err != nil {
				t.Fatal(err)
			}
			e := c.Expected
			if d.Allowed != e.Allowed || d.After != e.After || d.Message != e.Message || !reflect.DeepEqual(d.Ceiling, e.Ceiling) {
				t.Errorf("got %+v, want %+v", d, e)
			}
		})
	}
	for _, c := range f.Errors {
		t.Run("errors/"+c.Name, func(t *testing.T) {
			var err error
			if c.Call == "evaluate" {
				_, err = lifecycle.EvaluateUsage(c.License.grant(), c.Usage)
			} else {
				_, err = lifecycle.Increase(c.License.grant(), c.Limit, c.Usage[c.Limit], c.By)
			}
			if err == nil || err.Error() != c.Error {
				t.Errorf("error %v, want %q", err, c.Error)
			}
		})
	}
}
