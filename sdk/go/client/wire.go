package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"keyturn.dev/go/license"
)

// The check-in wire contract: the request body, the POST, and how answers are read.

// RequestBody is the JSON the client posts: compact, keys sorted, as the Java client writes it.
func RequestBody(req CheckInRequest) []byte {
	if req.Usage == nil {
		req.Usage = map[string]int64{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(req)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func send(ctx context.Context, s *CheckInSettings, req CheckInRequest, signatureHash string) (CheckInReply, error) {
	body := RequestBody(req)
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Endpoint(), bytes.NewReader(body))
	if err != nil {
		return CheckInReply{}, err
	}
	r.Header.Set("Authorization", "Bearer "+license.CheckInTokenPrefix+signatureHash)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Accept", "application/json")
	resp, err := s.HTTPClient.Do(r)
	if err != nil {
		return CheckInReply{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxCheckInBody+1))
	if err != nil {
		return CheckInReply{}, err
	}
	if len(data) > maxCheckInBody {
		return CheckInReply{Kind: ReplyUnexpected, Status: resp.StatusCode, Reason: fmt.Sprintf("the answer is larger than %d bytes", maxCheckInBody)}, nil
	}
	return DecodeCheckInReply(resp.StatusCode, data), nil
}

// DecodeCheckInReply reads an answer of the wire contract:
//
//	200 {"standing": {…}, "revoked": false, "license": "<newest file or null>", "check_in_after": "PT12H"}
//	401 unknown license · 403 {"revoked": true, "reason": …} · 409 another instance holds this license
func DecodeCheckInReply(status int, body []byte) CheckInReply {
	switch status {
	case 200:
		return decodeOK(body)
	case 401:
		return CheckInReply{Kind: ReplyUnknownLicense, Status: status}
	case 403:
		// Only an explicit revocation locks: a 403 from a proxy or a misconfiguration must not.
		var v map[string]any
		if json.Unmarshal(body, &v) == nil && v["revoked"] == true {
			return CheckInReply{Kind: ReplyRevoked, Status: status, Reason: text(v, "reason")}
		}
		return CheckInReply{Kind: ReplyUnexpected, Status: status, Reason: `403 without "revoked": true`}
	case 409:
		return CheckInReply{Kind: ReplyConflict, Status: status}
	}
	return CheckInReply{Kind: ReplyUnexpected, Status: status, Reason: fmt.Sprintf("HTTP status %d", status)}
}

func decodeOK(body []byte) CheckInReply {
	var v map[string]any
	if json.Unmarshal(body, &v) != nil || v == nil {
		return CheckInReply{Kind: ReplyUnexpected, Status: 200, Reason: "the answer is not a JSON object"}
	}
	r := CheckInReply{Kind: ReplyOK, Status: 200, Reason: text(v, "reason"), PaymentFailing: v["payment_failing"] == true}
	switch l := v["license"].(type) {
	case nil:
	case string:
		r.License = &l
	default:
		return CheckInReply{Kind: ReplyUnexpected, Status: 200, Reason: `"license" is not a string`}
	}
	if after := text(v, "check_in_after"); after != "" {
		d, err := ParseISODuration(after)
		if err != nil {
			return CheckInReply{Kind: ReplyUnexpected, Status: 200, Reason: `"check_in_after" is not an ISO-8601 duration`}
		}
		r.CheckInAfter = &d
	}
	if standing, ok := v["standing"].(map[string]any); ok {
		r.PaymentFailing = r.PaymentFailing || standing["payment_failing"] == true
		if flags, ok := standing["flags"].([]any); ok {
			for _, f := range flags {
				r.PaymentFailing = r.PaymentFailing || f == "PAYMENT_FAILING"
			}
		}
		r.StandingMessage = text(standing, "message")
	}
	if v["revoked"] == true {
		r.Kind = ReplyRevoked
	}
	return r
}

func text(v map[string]any, key string) string {
	s, _ := v[key].(string)
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

// ParseISODuration reads the durations Java's Duration.parse reads: PnDTnHnMn.nS.
func ParseISODuration(s string) (time.Duration, error) {
	m := isoDuration.FindStringSubmatch(strings.ToUpper(s))
	if m == nil || s == "P" || strings.HasSuffix(strings.ToUpper(s), "T") {
		return 0, fmt.Errorf("'%s' is not an ISO-8601 duration", s)
	}
	var d time.Duration
	for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second} {
		if m[i+2] != "" {
			var n int64
			fmt.Sscan(strings.TrimPrefix(m[i+2], "+"), &n)
			d += time.Duration(n) * unit
		}
	}
	if m[6] != "" {
		frac := (m[6] + "000000000")[:9]
		var n int64
		fmt.Sscan(frac, &n)
		if strings.HasPrefix(m[5], "-") {
			n = -n
		}
		d += time.Duration(n)
	}
	if m[1] == "-" {
		d = -d
	}
	return d, nil
}

var isoDuration = regexp.MustCompile(`^([-+]?)P(?:([-+]?[0-9]+)D)?(?:T(?:([-+]?[0-9]+)H)?(?:([-+]?[0-9]+)M)?(?:([-+]?[0-9]+)(?:[.,]([0-9]{0,9}))?S)?)?$`)
