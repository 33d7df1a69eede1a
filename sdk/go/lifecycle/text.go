package lifecycle

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	_ "time/tzdata" // zones work the same on a machine without /usr/share/zoneinfo
)

func notYetValidText(notBefore time.Time, zone *time.Location) string {
	return "This license becomes valid on " + DateTime(notBefore, zone) + "."
}

func expiringText(now, expiresAt time.Time, days int64, zone *time.Location) string {
	if days > 1 {
		return fmt.Sprintf("Your license expires in %d days, on %s. Renew it to keep working without interruption.",
			days, DateTime(expiresAt, zone))
	}
	// The last 24 hours: "today" or "tomorrow" as the viewer's own calendar has it.
	when := "tomorrow"
	if sameDay(now, expiresAt, zone) {
		when = "today"
	}
	return "Your license expires " + when + " at " + clock(expiresAt, zone) +
		". Renew it now to keep working without interruption."
}

func graceText(expiresAt time.Time, daysUntilLock int64, p *Policy, zone *time.Location) string {
	expired := "Your license expired on " + DateTime(expiresAt, zone) + ". "
	unit := " days"
	if daysUntilLock == 1 {
		unit = " day"
	}
	remaining := fmt.Sprintf("%d%s remaining before ", daysUntilLock, unit)
	action := "suspension"
	if p.lockAction == Lock {
		action = "lock"
	}
	if p.graceMode == "read-only" {
		return expired + "The product is read-only: " + remaining + action + ". Renew to resume full use."
	}
	return expired + remaining + action + ". Renew to keep working."
}

func lockedText(expiresAt time.Time, p *Policy, zone *time.Location) string {
	return "Your license expired on " + DateTime(expiresAt, zone) +
		" and the grace period has ended: the product is " + p.lockAction.pastTense() +
		". Paste a renewed license to continue; none of your data has been touched."
}

// SameDay reports whether a and b fall on the same calendar day in zone.
func sameDay(a, b time.Time, zone *time.Location) bool {
	x, y := a.In(zone), b.In(zone)
	return x.Year() == y.Year() && x.YearDay() == y.YearDay()
}

// SameDay reports whether a and b fall on the same calendar day in zone.
func SameDay(a, b time.Time, zone *time.Location) bool { return sameDay(a, b, zone) }

// DateTime writes t as the Java reference does ("d MMM uuuu, HH:mm z"):
// "22 Nov 2027, 00:00 UTC".
func DateTime(t time.Time, zone *time.Location) string {
	local := t.In(zone)
	return local.Format("2 Jan 2006, 15:04 ") + ZoneName(local)
}

func clock(t time.Time, zone *time.Location) string {
	local := t.In(zone)
	return local.Format("15:04 ") + ZoneName(local)
}

// javaNames are the English short names Java (CLDR) gives zones whose tz
// database abbreviation is only a number ("-03"); [standard, daylight].
var javaNames = map[string][2]string{
	"America/Sao_Paulo": {"BRT", "BRST"}, "America/Argentina/Buenos_Aires": {"ART", "ARST"},
	"America/Bogota": {"COT", "COST"}, "America/Lima": {"PET", "PEST"}, "America/Santiago": {"CLT", "CLST"},
	"America/Caracas": {"VET", "VET"}, "America/Montevideo": {"UYT", "UYST"},
	"Asia/Kathmandu": {"NPT", "NPT"}, "Asia/Singapore": {"SGT", "SGT"}, "Asia/Dubai": {"GST", "GST"},
	"Asia/Kuala_Lumpur": {"MYT", "MYT"}, "Asia/Bangkok": {"ICT", "ICT"}, "Asia/Ho_Chi_Minh": {"ICT", "ICT"},
	"Asia/Tashkent": {"UZT", "UZST"}, "Asia/Yerevan": {"AMT", "AMST"}, "Asia/Baku": {"AZT", "AZST"},
	"Asia/Tbilisi": {"GET", "GET"}, "Asia/Almaty": {"ALMT", "ALMST"}, "Asia/Kabul": {"AFT", "AFT"},
	"Asia/Tehran": {"IRST", "IRDT"}, "Asia/Dhaka": {"BDT", "BDT"}, "Asia/Colombo": {"IST", "IST"},
	"Asia/Yangon": {"MMT", "MMT"}, "Asia/Manila": {"PHT", "PHST"},
	"Pacific/Kiritimati": {"LINT", "LINT"}, "Pacific/Chatham": {"CHAST", "CHADT"},
	"Pacific/Fiji": {"FJT", "FJST"}, "Pacific/Tongatapu": {"TOT", "TOST"}, "Pacific/Apia": {"WSST", "WSDT"},
	"Atlantic/Azores": {"AZOT", "AZOST"}, "Atlantic/Cape_Verde": {"CVT", "CVST"},
	"Europe/Istanbul": {"TRT", "TRT"}, "Europe/Samara": {"SAMT", "SAMST"},
	"Indian/Maldives": {"MVT", "MVT"}, "Indian/Mauritius": {"MUT", "MUST"},
}

var offsetZone = regexp.MustCompile(`^[+-]\d\d(:\d\d)?(:\d\d)?$`)

// ZoneName is the zone's short name as Java's "z" pattern writes it in English.
func ZoneName(t time.Time) string {
	name, offset := t.Zone()
	if offsetZone.MatchString(t.Location().String()) {
		return t.Location().String() // a fixed offset zone is written as its id, "+09:00"
	}
	if names, ok := javaNames[t.Location().String()]; ok {
		if t.IsDST() {
			return names[1]
		}
		return names[0]
	}
	if name == "" || name[0] == '+' || name[0] == '-' {
		return "GMT" + formatOffset(offset)
	}
	return name
}

func formatOffset(seconds int) string {
	if seconds == 0 {
		return ""
	}
	sign := "+"
	if seconds < 0 {
		sign, seconds = "-", -seconds
	}
	return fmt.Sprintf("%s%02d:%02d", sign, seconds/3600, seconds/60%60)
}

// ParseZone reads a zone as Java's ZoneId.of does: a region ("Europe/Paris",
// "UTC"), an offset ("+09:00") or "Z".
func ParseZone(id string) (*time.Location, error) {
	switch {
	case id == "Z":
		return time.UTC, nil
	case offsetZone.MatchString(id):
		sign := 1
		if id[0] == '-' {
			sign = -1
		}
		parts := strings.Split(id[1:], ":")
		seconds := 0
		for i, unit := range []int{3600, 60, 1} {
			if i < len(parts) {
				var n int
				fmt.Sscanf(parts[i], "%d", &n)
				seconds += n * unit
			}
		}
		if seconds > 18*3600 {
			return nil, fmt.Errorf("'%s' is not a time zone", id)
		}
		return time.FixedZone(id, sign*seconds), nil
	case id == "" || strings.EqualFold(id, "local"):
		return nil, fmt.Errorf("'%s' is not a time zone", id)
	}
	loc, err := time.LoadLocation(id)
	if err != nil {
		return nil, fmt.Errorf("'%s' is not a time zone; use a region like Europe/Berlin, UTC or +02:00", id)
	}
	return loc, nil
}
