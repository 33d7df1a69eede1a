package conformance

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"keyturn.dev/go/client"
	"keyturn.dev/go/license"
)

func TestCheckInVectors(t *testing.T) {
	var file struct {
		Endpoint struct {
			Path           string `json:"path"`
			MaxAnswerBytes int    `json:"max_answer_bytes"`
		} `json:"endpoint"`
		Intervals struct {
			Default int64 `json:"default_seconds"`
			Retry   int64 `json:"retry_after_failure_seconds"`
			Min     int64 `json:"min_seconds"`
			Max     int64 `json:"max_seconds"`
		} `json:"intervals"`
		Tokens []struct {
			Name            string  `json:"name"`
			FileBase64      string  `json:"file_base64"`
			SignatureHash   string  `json:"signature_hash"`
			CheckInToken    string  `json:"check_in_token"`
			TokenOfCRLFCopy *string `json:"token_of_crlf_copy"`
		} `json:"tokens"`
		Requests []struct {
			Name             string                `json:"name"`
			Input            client.CheckInRequest `json:"input"`
			ExpectedBodyText string                `json:"expected_body_text"`
		} `json:"requests"`
		Answers []struct {
			Name     string `json:"name"`
			Status   int    `json:"status"`
			Body     string `json:"body"`
			Expected struct {
				Kind                string  `json:"kind"`
				Reason              *string `json:"reason"`
				License             *string `json:"license"`
				CheckInAfterSeconds *int64  `json:"check_in_after_seconds"`
				NextCheckInSeconds  int64   `json:"next_check_in_seconds"`
				PaymentFailing      bool    `json:"payment_failing"`
				StandingMessage     *string `json:"standing_message"`
			} `json:"expected"`
		} `json:"answers"`
	}
	load(t, "check-in.json", &file)
	if file.Endpoint.Path != client.CheckInPath {
		t.Errorf("path %s, want %s", client.CheckInPath, file.Endpoint.Path)
	}
	seconds := func(d time.Duration) int64 { return int64(d / time.Second) }
	if got := []int64{seconds(client.DefaultCheckInInterval), seconds(client.DefaultRetryAfterFailure), seconds(client.MinCheckInInterval), seconds(client.MaxCheckInInterval)}; !reflect.DeepEqual(got,
		[]int64{file.Intervals.Default, file.Intervals.Retry, file.Intervals.Min, file.Intervals.Max}) {
		t.Errorf("intervals %v, want %+v", got, file.Intervals)
	}
	for _, c := range file.Tokens {
		data, _ := base64.StdEncoding.DecodeString(c.FileBase64)
		signed, err := license.Read(data)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if signed.SignatureHash() != c.SignatureHash || signed.CheckInToken() != c.CheckInToken {
			t.Errorf("%s: %s, want %s", c.Name, signed.CheckInToken(), c.CheckInToken)
		}
	}
	for _, c := range file.Requests {
		if got := client.RequestBody(c.Input); string(got) != c.ExpectedBodyText {
			t.Errorf("%s\n got: %s\nwant: %s", c.Name, got, c.ExpectedBodyText)
		}
	}
	if len(file.Answers) == 0 {
		t.Fatal("no answers")
	}
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	for _, c := range file.Answers {
		r := client.DecodeCheckInReply(c.Status, []byte(c.Body))
		e := c.Expected
		var after *int64
		if r.CheckInAfter != nil {
			v := seconds(*r.CheckInAfter)
			after = &v
		}
		got := []any{string(r.Kind), str(r.Reason), r.License, after, seconds(r.NextCheckIn(client.CheckInSettings{})), r.PaymentFailing, str(r.StandingMessage)}
		want := []any{e.Kind, e.Reason, e.License, e.CheckInAfterSeconds, e.NextCheckInSeconds, e.PaymentFailing, e.StandingMessage}
		if !reflect.DeepEqual(got, want) {
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			t.Errorf("%s\n got: %s\nwant: %s", c.Name, gj, wj)
		}
	}
}
