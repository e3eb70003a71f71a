package web

import (
	"math"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	hearth "github.com/hearth-org/hearth"
)

// FuzzQueryParams feeds any query string through the page's own readers of
// query and form values (board search and page, a page number, a notice
// cursor, counts, decimals and days typed in forms). None panics; a
// refusal is an Invalid *hearth.Error; what is accepted is in range and
// reads back the same when written out again.
func FuzzQueryParams(f *testing.F) {
	for _, s := range []string{
		"page=2&q=grief", "page=0", "page=-1", "page=100001", "page=1e3", "page=%00", "page=+7", "page=007",
		"q=%ff%fe", "q=" + string(make([]byte, 250)), "cursor=9223372036854775808", "cursor=-0", "cursor=12",
		"count=999999", "count=1000000", "count=-0", "dec=1,5", "dec=1.5,5", "dec=-.", "dec=1e9", "dec=NaN",
		"day=2030-02-29", "day=2024-02-29", "day=1999-12-31", "day=2200-12-31", "page=2&page=3", "%zz=1", ";;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := httptest.NewRequest("GET", "/x", nil)
		r.URL.RawQuery = raw
		v, _ := url.ParseQuery(raw)
		invalid := func(what string, err error) {
			t.Helper()
			if e := hearth.AsError(err); e == nil || e.Kind != hearth.Invalid {
				t.Fatalf("%s of %q: an error of the wrong kind: %v", what, raw, err)
			}
		}
		if q, err := boardQuery(r); err != nil {
			invalid("boardQuery", err)
		} else if q.Page < 1 || q.Page > 100000 || !hearth.ValidText(q.Q) || len(q.Q) > 200 {
			t.Fatalf("boardQuery of %q accepted %+v", raw, q)
		}
		if n, err := pageParam(r); err != nil {
			invalid("pageParam", err)
		} else if n < 1 || n > 100000 {
			t.Fatalf("pageParam of %q accepted %d", raw, n)
		} else if v.Get("page") != "" {
			r2 := httptest.NewRequest("GET", "/x?page="+strconv.Itoa(n), nil)
			if m, err := pageParam(r2); err != nil || m != n {
				t.Fatalf("page %d written out reads %d, %v", n, m, err)
			}
		}
		if n, err := pageCursor(v.Get("cursor")); err != nil {
			invalid("pageCursor", err)
		} else if n < 0 {
			t.Fatalf("pageCursor of %q accepted %d", raw, n)
		} else if m, err := pageCursor(strconv.FormatInt(n, 10)); err != nil || m != n {
			t.Fatalf("cursor %d written out reads %d, %v", n, m, err)
		}
		if n, ok := parseCount(v.Get("count")); ok {
			if n < 0 || n > 999999 {
				t.Fatalf("parseCount of %q accepted %d", raw, n)
			}
			if m, ok := parseCount(strconv.Itoa(n)); !ok || m != n {
				t.Fatalf("count %d written out reads %d", n, m)
			}
		}
		if x, ok := parseDecimal(v.Get("dec")); ok {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("parseDecimal of %q accepted %v", raw, x)
			}
			if s := strconv.FormatFloat(x, 'f', -1, 64); len(s) <= 400 {
				if y, ok := parseDecimal(s); !ok || y != x {
					t.Fatalf("decimal %v written out as %s reads %v, %v", x, s, y, ok)
				}
			}
		}
		if y, m, d, ok := parseDay(v.Get("day")); ok {
			if y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
				t.Fatalf("parseDay of %q accepted %d-%d-%d", raw, y, m, d)
			}
		}
	})
}
