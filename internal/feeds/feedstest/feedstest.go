// Package feedstest checks feeds against the rules of the formats they
// follow, for tests. It shares no code with package feeds, so a mistake
// there is caught here.
package feedstest

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// SpecTypes are the Meeting Guide type codes of code4recovery's spec
// (data/types.json), without the proposed ones.
var SpecTypes = strings.Fields("11 12x12 A ABSI AF AL AL-AN AM AR ASL B BA BE BG BI BRK C CAN CF D DA DB DD DE DR EL EN FA FF FI FR G GR H HE HI HR HU IS ITA JA KA KOR L LGBTQ LIT LS LT M MED ML MT N NB NDG NE NL NO O OUT P POA POC POL POR PUN RUS S SEN SK SL SM SP ST SV T TC TH TL TR TUR UK W X XB XT Y")

// specFields are the keys the spec defines for a meeting.
var specFields = strings.Fields(`name slug day time end_time timezone types notes location location_notes
	formatted_address address city state postal_code country region sub_region regions latitude longitude approximate
	conference_url conference_url_notes conference_phone conference_phone_notes url edit_url updated group group_notes
	venmo square paypal homegroup_online feedback_emails feedback_url
	entity entity_email entity_location entity_logo entity_phone entity_url entity_website_url
	contact_1_name contact_1_email contact_1_phone contact_2_name contact_2_email contact_2_phone
	contact_3_name contact_3_email contact_3_phone`)

var (
	urlSafe  = regexp.MustCompile(`^[A-Za-z0-9._~-]+$`)
	hhmm     = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	updatedR = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$`)
)

// MeetingGuideProblems lists every way data breaks the Meeting Guide spec
// as Hearth promises to follow it: a JSON array of meetings, each with a
// name, a unique URL-safe slug of at most 64 characters, day 0–6 (or an
// array of them), time and end_time as HH:MM, an IANA timezone, only the
// spec's type codes, "updated" as UTC YYYY-MM-DD HH:MM:SS, approximate
// "yes" or "no", coordinates on Earth, an https conference_url, the entity
// named when any entity field is, and no key the spec does not define.
func MeetingGuideProblems(data []byte) []string {
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal(data, &rows); err != nil {
		return []string{"not a JSON array of objects: " + err.Error()}
	}
	var p []string
	add := func(i int, format string, args ...any) {
		p = append(p, fmt.Sprintf("meeting %d: ", i)+fmt.Sprintf(format, args...))
	}
	slugs := map[string]int{}
	for i, r := range rows {
		str := func(key string) (string, bool) {
			v, ok := r[key]
			if !ok {
				return "", false
			}
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				add(i, "%s is not a string: %s", key, v)
				return "", false
			}
			return s, true
		}
		for k := range r {
			if !slices.Contains(specFields, k) {
				add(i, "%q is not a field of the spec", k)
			}
		}
		if name, _ := str("name"); strings.TrimSpace(name) == "" || len([]rune(name)) > 255 {
			add(i, "name %q must be 1–255 characters", name)
		}
		slug, _ := str("slug")
		switch {
		case slug == "":
			add(i, "no slug")
		case len(slug) > 64:
			add(i, "slug %q is longer than 64 characters", slug)
		case !urlSafe.MatchString(slug):
			add(i, "slug %q is not URL-safe", slug)
		}
		if j, dup := slugs[slug]; dup {
			add(i, "slug %q is also meeting %d's", slug, j)
		}
		slugs[slug] = i

		var days []int
		var one int
		if err := json.Unmarshal(r["day"], &one); err == nil {
			days = []int{one}
		} else if err := json.Unmarshal(r["day"], &days); err != nil || len(days) == 0 {
			add(i, "day %s is not a number or a non-empty array of numbers", r["day"])
		}
		for _, d := range days {
			if d < 0 || d > 6 {
				add(i, "day %d is not 0–6", d)
			}
		}
		if len(slices.Compact(slices.Sorted(slices.Values(days)))) != len(days) {
			add(i, "day %s repeats a day", r["day"])
		}
		if t, _ := str("time"); !hhmm.MatchString(t) {
			add(i, "time %q is not HH:MM", t)
		}
		if t, ok := str("end_time"); ok && !hhmm.MatchString(t) {
			add(i, "end_time %q is not HH:MM", t)
		}
		if tz, _ := str("timezone"); tz == "" || tz == "Local" {
			add(i, "no IANA timezone")
		} else if _, err := time.LoadLocation(tz); err != nil {
			add(i, "timezone %q is not an IANA zone", tz)
		}
		if v, ok := r["types"]; ok {
			var types []string
			if err := json.Unmarshal(v, &types); err != nil {
				add(i, "types is not an array of strings")
			}
			for _, c := range types {
				if !slices.Contains(SpecTypes, c) {
					add(i, "type %q is not a code of the spec", c)
				}
			}
			if len(slices.Compact(slices.Sorted(slices.Values(types)))) != len(types) {
				add(i, "types %v repeat a code", types)
			}
		}
		if u, ok := str("updated"); ok {
			if _, err := time.Parse("2006-01-02 15:04:05", u); err != nil || !updatedR.MatchString(u) {
				add(i, "updated %q is not YYYY-MM-DD HH:MM:SS", u)
			}
		}
		if a, ok := str("approximate"); ok && a != "yes" && a != "no" {
			add(i, "approximate %q is not yes or no", a)
		}
		_, hasLat := r["latitude"]
		_, hasLon := r["longitude"]
		if hasLat != hasLon {
			add(i, "latitude and longitude come together")
		}
		if hasLat && hasLon {
			var lat, lon float64
			if json.Unmarshal(r["latitude"], &lat) != nil || json.Unmarshal(r["longitude"], &lon) != nil ||
				math.Abs(lat) > 90 || math.Abs(lon) > 180 {
				add(i, "latitude %s, longitude %s are not a place on Earth", r["latitude"], r["longitude"])
			}
		}
		if u, ok := str("conference_url"); ok && !strings.HasPrefix(u, "https://") {
			add(i, "conference_url %q does not start with https://", u)
		}
		if ph, ok := str("conference_phone"); ok && strings.Trim(ph, "+0123456789,*#") != "" {
			add(i, "conference_phone %q has characters other than digits, +, comma, * and #", ph)
		}
		entity, _ := str("entity")
		for _, k := range []string{"entity_email", "entity_location", "entity_logo", "entity_phone", "entity_url", "entity_website_url"} {
			if _, ok := r[k]; ok && entity == "" {
				add(i, "%s without entity", k)
			}
		}
	}
	return p
}

// CheckMeetingGuide fails the test for every problem MeetingGuideProblems
// finds.
func CheckMeetingGuide(t testing.TB, data []byte) {
	t.Helper()
	for _, p := range MeetingGuideProblems(data) {
		t.Error("Meeting Guide spec: " + p)
	}
}
