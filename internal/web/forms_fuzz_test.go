package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"

	hearth "github.com/hearth-org/hearth"
)

// FuzzParseForm feeds parseForm (every page's POST goes through it) any
// body under either form content type, sometimes behind a small body
// limit as the server sets one. It never panics; a refusal is the one
// Invalid "bad_form" error or the limit's own error (the 413 path); what it
// accepts is valid text that survives being encoded and read again.
func FuzzParseForm(f *testing.F) {
	for _, s := range []struct {
		body  string
		multi bool
		limit uint16
	}{
		{"name=Evening+Circle&topics=grief&topics=loss", false, 0},
		{"a=%00", false, 0}, {"a=%ff%fe", false, 0}, {"a=%zz", false, 0}, {"a;b=c", false, 0},
		{"=&&==&a=1=2", false, 0}, {"q=" + string(make([]byte, 300)), false, 64},
		{"--X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--X--\r\n", true, 0},
		{"--X\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\n\x00\r\n--X--\r\n", true, 0},
		{"--X\r\n\r\n", true, 0}, {"", true, 0}, {"", false, 0},
	} {
		f.Add([]byte(s.body), s.multi, s.limit)
	}
	f.Fuzz(func(t *testing.T, body []byte, multi bool, limit uint16) {
		v, err := parseFormBytes(body, multi, limit)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				if limit == 0 {
					t.Fatalf("a body limit error without a limit: %v", err)
				}
				return
			}
			if e := hearth.AsError(err); e == nil || e.Kind != hearth.Invalid || e.Code != "bad_form" {
				t.Fatalf("parsing %q: an error of the wrong kind: %v", body, err)
			}
			return
		}
		for k, vs := range v {
			for _, s := range vs {
				if !hearth.ValidText(s) {
					t.Fatalf("accepted invalid text %q in %q", s, k)
				}
			}
		}
		// Round trip: what was read, encoded again, reads the same.
		again, err := parseFormBytes([]byte(v.Encode()), false, 0)
		if err != nil {
			t.Fatalf("re-reading %q: %v", v.Encode(), err)
		}
		if len(v) == 0 && len(again) == 0 {
			return
		}
		if !reflect.DeepEqual(v, again) {
			t.Fatalf("round trip changed the form: %q then %q", v, again)
		}
	})
}

func parseFormBytes(body []byte, multi bool, limit uint16) (url.Values, error) {
	r := httptest.NewRequest("POST", "/x", bytes.NewReader(body))
	if multi {
		r.Header.Set("Content-Type", "multipart/form-data; boundary=X")
	} else {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if limit > 0 {
		r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, int64(limit))
	}
	return parseForm(r)
}

// fuzzBody has the field shapes the API's request bodies use.
type fuzzBody struct {
	Name    string            `json:"name"`
	Count   int               `json:"count"`
	Ratio   float64           `json:"ratio"`
	On      *bool             `json:"on,omitempty"`
	Tags    []string          `json:"tags"`
	Answers map[string]string `json:"answers"`
	Inner   *struct {
		At string `json:"at"`
	} `json:"inner,omitempty"`
}

// FuzzDecodeJSON feeds decodeJSON (every API request body goes through it)
// any body under any Content-Type. It never panics; a refusal is an
// Invalid or TooLarge *hearth.Error (400/413, never a 500); what it accepts
// is one object whose encoding decodes back to the same value.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []struct {
		body, ct string
	}{
		{`{"name":"Circle","count":3,"ratio":0.5,"on":true,"tags":["a"],"answers":{"1":"x"},"inner":{"at":"2030-01-01"}}`, "application/json"},
		{`{}`, "application/json; charset=utf-8"}, {`{}`, "application/json; charset=latin1"}, {`{}`, "text/plain"},
		{`{}`, "application/merge-patch+json"}, {`{}`, ";;"}, {`[]`, "application/json"}, {`null`, "application/json"},
		{`{"name":"\u0000"}`, "application/json"}, {`{"nope":1}`, "application/json"}, {`{"count":1e400}`, "application/json"},
		{`{"count":"3"}`, "application/json"}, {`{} {}`, "application/json"}, {`{"name":`, "application/json"},
		{"\xff{}", "application/json"}, {`{"name":"\ud800"}`, "application/json"}, {``, "application/json"},
		{`{"answers":{"a":null},"tags":null}`, "application/json"}, {`{"inner":{"at":{"deep":[1]}}}`, "application/json"},
	} {
		f.Add([]byte(s.body), s.ct, uint16(0))
	}
	f.Add([]byte(`{"name":"a long name that goes past the limit"}`), "application/json", uint16(16))
	f.Fuzz(func(t *testing.T, body []byte, ct string, limit uint16) {
		var v fuzzBody
		err := decodeJSONBytes(body, ct, limit, &v)
		if err != nil {
			if e := hearth.AsError(err); e == nil || (e.Kind != hearth.Invalid && e.Kind != hearth.TooLarge) {
				t.Fatalf("decoding %q as %q: an error of the wrong kind: %v", body, ct, err)
			}
			return
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("encoding what was accepted: %v", err)
		}
		var w fuzzBody
		if err := decodeJSONBytes(again, "application/json", 0, &w); err != nil {
			t.Fatalf("re-reading %s: %v", again, err)
		}
		if b, _ := json.Marshal(w); !bytes.Equal(b, again) {
			t.Fatalf("round trip changed the body: %s then %s", again, b)
		}
	})
}

func decodeJSONBytes(body []byte, ct string, limit uint16, v any) error {
	r := httptest.NewRequest("POST", "/api/v1/x", bytes.NewReader(body))
	r.Header.Set("Content-Type", ct)
	if limit > 0 {
		r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, int64(limit))
	}
	return decodeJSON(r, v)
}
