package web

// The acceptance test of issue 3, as its "done means" reads: a facilitator
// sets up a closed 8-week grief cohort meeting every other Tuesday at 18:30
// Madrid time plus an open online anxiety group, people join, queue and get
// seats fairly, calendars and the Meeting Guide feed validate, and
// reminders arrive once each. Everything goes through the HTTP API (as an
// app or a script would), with a fake clock, two Hearth processes on one
// database and a real SMTP server on loopback.

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth/internal/feeds/feedstest"
	"github.com/hearth-org/hearth/internal/i18n"
	"github.com/hearth-org/hearth/internal/mail"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

func TestIssue3Acceptance(t *testing.T) {
	// Like forEachEngine, with a site of its own: the story needs the
	// clock, the mail and a second process (acceptance_helpers_test.go).
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			issue3Story(t, newAcceptanceSite(t, e, time.Date(2027, 9, 6, 9, 0, 0, 0, time.UTC)))
		})
	}
}

// storyPerson is someone using Hearth through the API.
type storyPerson struct {
	handle, email, pseudonym, answer string
	locale                           string // "" for English
	token                            string
}

// mustStep runs a step the rest of the story builds on: when it fails,
// the story stops there.
func mustStep(t *testing.T, name string, step func(t *testing.T)) {
	t.Helper()
	if !t.Run(name, step) {
		t.FailNow()
	}
}

func issue3Story(t *testing.T, site *acceptanceSite) {
	ts, clk, inbox := site.ts, site.clk, site.inbox
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en, es := cat.Locale("en"), cat.Locale("es")
	// kinds lists the messages of a notice kind that reached an address,
	// known by their subject in the reader's language.
	kinds := func(addr, kind string) []inboxMail {
		var out []inboxMail
		for _, m := range inbox.to(addr) {
			if m.Subject == en.T("mail."+kind+".subject") || m.Subject == es.T("mail."+kind+".subject") {
				out = append(out, m)
			}
		}
		return out
	}
	// notices lists a person's in-app notices of a kind.
	notices := func(t *testing.T, token, kind string) []map[string]any {
		t.Helper()
		res := ts.call(t, "GET", "/api/v1/account/notices", token, nil)
		res.wantStatus(t, 200)
		var out []map[string]any
		for _, n := range res.list("notices") {
			if jsonObj(n)["kind"] == kind {
				out = append(out, jsonObj(n))
			}
		}
		return out
	}
	signUp := func(t *testing.T, p *storyPerson) {
		t.Helper()
		body := map[string]any{"handle": p.handle, "password": testPassword, "locale": cmp.Or(p.locale, "en")}
		if p.email != "" {
			body["email"] = p.email
		}
		res := ts.call(t, "POST", "/api/v1/account", "", body)
		res.wantStatus(t, 201)
		p.token, _ = res.JSON["token"].(string)
		if p.token == "" {
			t.Fatalf("sign-up of %s gave no token: %s", p.handle, res.Body)
		}
	}

	madrid := mustZone(t, "Europe/Madrid")
	// The cohort's eight sessions, computed here independently of Hearth:
	// every other Tuesday at 18:30 in Madrid, from 21 September 2027,
	// across the change back to winter time on 31 October.
	var sessions []time.Time
	for i := range 8 {
		sessions = append(sessions, time.Date(2027, 9, 21+14*i, 18, 30, 0, 0, madrid))
	}
	if sessions[0].UTC().Hour() != 16 || sessions[7].UTC().Hour() != 17 {
		t.Fatal("the test's sessions do not straddle the clock change")
	}
	const (
		org          = "hospice-madrid"
		grief        = "duelo-martes-cohorte"
		anxiety      = "calma-online"
		griefName    = "Grief Cohort Tuesdays"
		anxietyName  = "Anxiety Circle Online"
		secretLink   = "https://meet.example.org/calma?pwd=Zx81-secret"
		decision     = "Welcome, we will keep a chair for you."
		cancelNote   = "The facilitator is at a family funeral."
		griefVenue   = "Centro cívico Atocha, sala 3"
		intakePrompt = "Who did you lose, and when?"
	)
	griefAPI, anxietyAPI := "/api/v1/groups/"+grief, "/api/v1/groups/"+anxiety

	admin := ts.SiteAdmin(t, "site-admin")
	adminTok := ts.Token(t, admin)
	marisol := &storyPerson{handle: "marisol-fac", email: "marisol@example.org", pseudonym: "Marisol"}
	noor := &storyPerson{handle: "noor-fac", email: "noor@example.org", pseudonym: "Noor"}
	luz := &storyPerson{handle: "luz-r", email: "luz@example.org", pseudonym: "Luz", answer: "My mother, in June. I still do not sleep."}
	omar := &storyPerson{handle: "omar-b", email: "omar@example.org", pseudonym: "Omar", answer: "My brother, last winter."}
	tere := &storyPerson{handle: "tere-g", email: "tere@example.net", pseudonym: "Tere", answer: "Mi marido, hace tres meses.", locale: "es"}
	nube := &storyPerson{handle: "nube", pseudonym: "Nube", answer: "A friend. I would rather not say more."} // no email
	var anxietyMeeting int64

	mustStep(t, "1. an organization, its facilitators, a closed grief cohort of 8 sessions every other Tuesday and an open online anxiety group", func(t *testing.T) {
		ts.call(t, "POST", "/api/v1/organizations", adminTok, map[string]any{"slug": org, "name": "Hospice Madrid"}).wantStatus(t, 201)
		closed := groupBody(grief, griefName)
		closed["policy"], closed["languages"] = "closed", []string{"es", "en"}
		closed["audience"] = map[string]any{"age_band": "adults", "gender": "any"}
		closed["location"] = map[string]any{"address": "Calle de Atocha 10", "city": "Madrid", "region": "Madrid", "postal_code": "28012",
			"country": "ES", "lat": 40.4125, "lon": -3.6995, "time_zone": "Europe/Madrid"}
		closed["venue_notes"] = griefVenue
		closed["schedule"] = map[string]any{"weekday": "tuesday", "start": "18:30", "duration_minutes": 90}
		closed["enrollment"] = map[string]any{"cap": 2, "sessions": 8, "opens": "2027-09-01", "closes": "2027-09-19", "starts": "2027-09-21"}
		ts.call(t, "POST", "/api/v1/organizations/"+org+"/groups", adminTok, closed).wantStatus(t, 201)
		open := groupBody(anxiety, anxietyName)
		open["format"], open["topics"], open["languages"] = "online", []string{"anxiety"}, []string{"es"}
		open["audience"] = map[string]any{"age_band": "adults", "gender": "any"}
		open["location"] = map[string]any{"city": "Madrid", "country": "ES", "time_zone": "Europe/Madrid"}
		open["schedule"] = map[string]any{"weekday": "thursday", "start": "20:00", "duration_minutes": 60}
		delete(open, "venue_notes")
		delete(open, "accessibility")
		ts.call(t, "POST", "/api/v1/organizations/"+org+"/groups", adminTok, open).wantStatus(t, 201)

		for _, f := range []struct {
			p    *storyPerson
			slug string
		}{{marisol, grief}, {noor, anxiety}} {
			signUp(t, f.p)
			ts.call(t, "POST", "/api/v1/groups/"+f.slug+"/facilitators", f.p.token, map[string]any{"handle": f.p.handle, "pseudonym": f.p.pseudonym}).wantError(t, 403)
			ts.call(t, "POST", "/api/v1/groups/"+f.slug+"/facilitators", adminTok, map[string]any{"handle": f.p.handle, "pseudonym": f.p.pseudonym}).wantStatus(t, 201)
		}
		ts.call(t, "PUT", "/api/v1/account/preferences", marisol.token, map[string]any{"locale": "en", "time_zone": "Atlantic/Canary"}).wantStatus(t, 204)

		// Marisol turns the group's weekly placeholder into the cohort's
		// eight sessions, and asks one question of applicants.
		list := ts.call(t, "GET", griefAPI+"/meetings", marisol.token, nil)
		list.wantStatus(t, 200)
		if len(list.list("meetings")) != 1 {
			t.Fatalf("a new group should have its one weekly meeting: %s", list.Body)
		}
		id := int64(jsonObj(list.list("meetings")[0])["id"].(float64))
		res := ts.call(t, "PUT", fmt.Sprintf("%s/meetings/%d", griefAPI, id), marisol.token, map[string]any{
			"start": "2027-09-21T18:30", "duration_minutes": 90, "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8",
			"attend": map[string]any{"mode": "in_person", "venue_notes": griefVenue}})
		res.wantStatus(t, 200)
		if jsonObj(res.JSON["schedule"])["kind"] != "biweekly" {
			t.Fatalf("not every other week: %s", res.Body)
		}
		occ := ts.call(t, "GET", griefAPI+"/occurrences?from=2027-09-01&to=2028-02-01", "", nil)
		occ.wantStatus(t, 200)
		if got := occ.list("occurrences"); len(got) != 8 {
			t.Fatalf("%d sessions listed: %s", len(got), occ.Body)
		}
		for i, o := range occ.list("occurrences") {
			if start := jsonObj(o)["start"]; start != sessions[i].UTC().Format(time.RFC3339) || jsonObj(o)["local_start"] != sessions[i].Format("2006-01-02T15:04") {
				t.Errorf("session %d is %v (%v), want %s", i+1, start, jsonObj(o)["local_start"], sessions[i].Format(time.RFC3339))
			}
		}
		ts.call(t, "PUT", griefAPI+"/intake", marisol.token, map[string]any{"questions": []any{
			map[string]any{"prompt": intakePrompt, "required": true}}}).wantStatus(t, 200)

		// Noor gives the anxiety meeting its conference link, protected
		// (the default): nobody outside sees it.
		list = ts.call(t, "GET", anxietyAPI+"/meetings", noor.token, nil)
		anxietyMeeting = int64(jsonObj(list.list("meetings")[0])["id"].(float64))
		ts.call(t, "PUT", fmt.Sprintf("%s/meetings/%d", anxietyAPI, anxietyMeeting), noor.token, map[string]any{
			"start": "2027-09-09T20:00", "duration_minutes": 60, "rrule": "FREQ=WEEKLY;BYDAY=TH", "ongoing": true,
			"attend": map[string]any{"mode": "online", "conference_url": secretLink}}).wantStatus(t, 200)
		pol := ts.call(t, "GET", anxietyAPI+"/meeting-policy", noor.token, nil)
		pol.wantStatus(t, 200)
		if pol.JSON["publish_link"] != false {
			t.Fatalf("the link is published by default: %s", pol.Body)
		}
		for _, path := range []string{anxietyAPI, anxietyAPI + "/meetings", anxietyAPI + "/occurrences"} {
			if body := ts.call(t, "GET", path, "", nil).Body; strings.Contains(string(body), "meet.example.org") {
				t.Fatalf("%s shows the link to anyone: %s", path, body)
			}
		}
	})

	ids := map[string]int64{} // pseudonym → membership id in the grief group
	mustStep(t, "2. four people apply; two are seated, two wait in order", func(t *testing.T) {
		qs := ts.call(t, "GET", griefAPI+"/intake", "", nil)
		qs.wantStatus(t, 200)
		qID := jsonObj(qs.list("questions")[0])["id"]
		for _, p := range []*storyPerson{luz, omar, tere, nube} {
			signUp(t, p)
			clk.Set(clk.Now().Add(time.Minute))
			res := ts.call(t, "POST", griefAPI+"/apply", p.token, map[string]any{"pseudonym": p.pseudonym, "accept_guidelines": true,
				"commit_sessions": true, "answers": []any{map[string]any{"question_id": qID, "answer": p.answer}}})
			res.wantStatus(t, 201)
			if m := jsonObj(res.JSON["membership"]); m["status"] != "applicant" || m["committed_sessions"] != 8.0 {
				t.Fatalf("%s applied: %s", p.pseudonym, res.Body)
			}
		}
		members := ts.call(t, "GET", griefAPI+"/members", marisol.token, nil)
		members.wantStatus(t, 200)
		for _, a := range members.list("applicants") {
			ids[jsonObj(a)["pseudonym"].(string)] = int64(jsonObj(a)["id"].(float64))
		}
		if len(ids) != 4 {
			t.Fatalf("the facilitator sees %d applicants: %s", len(ids), members.Body)
		}
		if strings.Contains(string(members.Body), nube.handle) || strings.Contains(string(members.Body), "luz@example.org") {
			t.Fatalf("a handle or an unshared email reaches the facilitator: %s", members.Body)
		}
		for i, p := range []*storyPerson{luz, omar, tere, nube} {
			clk.Set(clk.Now().Add(time.Minute))
			ts.call(t, "POST", fmt.Sprintf("%s/members/%d/approve", griefAPI, ids[p.pseudonym]), luz.token, map[string]any{}).wantError(t, 403)
			res := ts.call(t, "POST", fmt.Sprintf("%s/members/%d/approve", griefAPI, ids[p.pseudonym]), marisol.token, map[string]any{"message": decision})
			res.wantStatus(t, 200)
			want := "active"
			if i >= 2 {
				want = "waitlisted"
			}
			if res.JSON["status"] != want {
				t.Fatalf("%s approved as %v, want %s", p.pseudonym, res.JSON["status"], want)
			}
		}
		for i, p := range []*storyPerson{tere, nube} {
			m := jsonObj(ts.call(t, "GET", griefAPI+"/membership", p.token, nil).JSON["membership"])
			if m["status"] != "waitlisted" || m["position"] != float64(i+1) || m["line_length"] != 2.0 || m["offer_expires"] != nil {
				t.Fatalf("%s: %v", p.pseudonym, m)
			}
		}
		if g := ts.call(t, "GET", griefAPI, "", nil); jsonObj(g.JSON["enrollment"])["cap"] != 2.0 || g.JSON["accepting_new_members"] != false {
			t.Fatalf("the directory shows %s", g.Body)
		}
	})

	mustStep(t, "a seat freed is offered to the first in line for 48 hours; the offer lapses and passes on; nobody jumps the line", func(t *testing.T) {
		clk.Set(clk.Now().Add(time.Hour))
		left := clk.Now().UTC().Truncate(time.Second)
		ts.call(t, "POST", griefAPI+"/membership/leave", omar.token, nil).wantStatus(t, 204)
		site.deliverMail(t)
		m := jsonObj(ts.call(t, "GET", griefAPI+"/membership", tere.token, nil).JSON["membership"])
		deadline, err := time.Parse(time.RFC3339, fmt.Sprint(m["offer_expires"]))
		if err != nil || !deadline.Equal(left.Add(48*time.Hour)) {
			t.Fatalf("Tere's offer lasts until %v, want 48 hours after %v", m["offer_expires"], left)
		}
		if n := jsonObj(ts.call(t, "GET", griefAPI+"/membership", nube.token, nil).JSON["membership"]); n["position"] != 2.0 || n["offer_expires"] != nil {
			t.Fatalf("Nube: %v", n)
		}
		// Nube cannot take the seat offered to Tere, now or at any time
		// before the offer lapses.
		ts.call(t, "POST", griefAPI+"/membership/offer/accept", nube.token, nil).wantError(t, 409)
		clk.Set(left.Add(47 * time.Hour))
		site.chores(t)
		ts.call(t, "POST", griefAPI+"/membership/offer/accept", nube.token, nil).wantError(t, 409)
		if m := jsonObj(ts.call(t, "GET", griefAPI+"/membership", tere.token, nil).JSON["membership"]); m["offer_expires"] == nil {
			t.Fatalf("the offer lapsed early: %v", m)
		}
		// Tere reads Spanish: her email says, in Spanish and in Madrid
		// time, until when the place is kept.
		offer := kinds(tere.email, mail.WaitlistOffer)
		if len(offer) != 1 || offer[0].Subject != es.T("mail.waitlist_offer.subject") || !strings.Contains(offer[0].Body, es.DateTime(deadline.In(madrid))) {
			t.Fatalf("Tere's offer emails (want %q): %+v", es.DateTime(deadline.In(madrid)), offer)
		}

		clk.Set(left.Add(48*time.Hour + time.Minute))
		site.chores(t)
		gone := ts.call(t, "GET", griefAPI+"/membership", tere.token, nil)
		if gone.JSON["membership"] != nil || !slices.ContainsFunc(gone.list("history"), func(e any) bool { return jsonObj(e)["kind"] == "offer_expired" }) {
			t.Fatalf("after the deadline Tere has %s", gone.Body)
		}
		if len(kinds(tere.email, mail.WaitlistOfferExpired)) != 1 {
			t.Fatal("Tere is not told by email, once, that the offer passed on")
		}
		n := jsonObj(ts.call(t, "GET", griefAPI+"/membership", nube.token, nil).JSON["membership"])
		if n["position"] != 1.0 || n["offer_expires"] == nil {
			t.Fatalf("the offer did not pass to Nube: %v", n)
		}
		if len(notices(t, nube.token, "waitlist_offer")) != 1 {
			t.Fatal("Nube (no email) has no notice of the offer")
		}
		if res := ts.call(t, "POST", griefAPI+"/membership/offer/accept", tere.token, nil); res.Status < 400 {
			t.Fatalf("Tere took a seat after her offer lapsed: %s", res.Body)
		}
		res := ts.call(t, "POST", griefAPI+"/membership/offer/accept", nube.token, nil)
		res.wantStatus(t, 200)
		if jsonObj(res.JSON["membership"])["status"] != "active" {
			t.Fatalf("Nube: %s", res.Body)
		}
		roster := ts.call(t, "GET", griefAPI+"/members", marisol.token, nil)
		var seated []string
		for _, m := range roster.list("members") {
			if jsonObj(m)["status"] == "active" && jsonObj(m)["role"] == "member" {
				seated = append(seated, jsonObj(m)["pseudonym"].(string))
			}
		}
		slices.Sort(seated)
		if !slices.Equal(seated, []string{"Luz", "Nube"}) || roster.JSON["seats_taken"] != 2.0 || len(roster.list("waitlist")) != 0 {
			t.Fatalf("seated %v: %s", seated, roster.Body)
		}
	})

	t.Run("the anxiety group's link reaches a member only as a personal link, from 30 minutes before", func(t *testing.T) {
		ts.call(t, "POST", anxietyAPI+"/join", omar.token, map[string]any{"pseudonym": "Omar", "accept_guidelines": true}).wantStatus(t, 201)
		next := time.Date(2027, 9, 16, 20, 0, 0, 0, madrid)
		occ := fmt.Sprintf("%s/meetings/%d/occurrences/%d", anxietyAPI, anxietyMeeting, next.Unix())
		clk.Set(next.Add(-2 * time.Hour))
		if link := jsonObj(ts.call(t, "GET", occ, omar.token, nil).JSON["link"]); link["state"] != "not_yet" || link["url"] != nil {
			t.Fatalf("two hours before: %v", link)
		}
		clk.Set(next.Add(-20 * time.Minute))
		link := jsonObj(ts.call(t, "GET", occ, omar.token, nil).JSON["link"])
		u, _ := link["url"].(string)
		i := strings.Index(u, "/go/")
		if link["state"] != "open" || i < 0 || strings.Contains(u, "meet.example.org") {
			t.Fatalf("20 minutes before, Omar gets %v", link)
		}
		res, err := ts.Client.Get(ts.URL + u[i:])
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != secretLink {
			t.Fatalf("the personal link leads to %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		if body := ts.call(t, "GET", occ, "", nil).Body; strings.Contains(string(body), "meet.example.org") || strings.Contains(string(body), "/go/") {
			t.Fatalf("a visitor sees a link: %s", body)
		}
	})

	t.Run("3. reminders: one 24-hour and one 1-hour reminder each, whatever the processes and repeats", func(t *testing.T) {
		first := sessions[0]
		reminders := func(addr string) (day, hour []inboxMail) {
			return kinds(addr, mail.Reminder24h), kinds(addr, mail.Reminder1h)
		}
		clk.Set(first.Add(-25 * time.Hour))
		if n := site.remind(t); n != 0 {
			t.Fatalf("25 hours before, %d reminders were sent", n)
		}
		if d, h := reminders(luz.email); len(d)+len(h) != 0 {
			t.Fatal("a reminder arrived 25 hours before")
		}
		clk.Set(first.Add(-23 * time.Hour))
		site.remind(t)
		day, hour := reminders(luz.email)
		if len(day) != 1 || len(hour) != 0 {
			t.Fatalf("23 hours before, Luz has %d day and %d hour reminders", len(day), len(hour))
		}
		if !strings.Contains(day[0].Body, "6:30 PM") || !strings.Contains(day[0].Body, acceptanceBase+"/notices") {
			t.Fatalf("the reminder does not say when, in Madrid time, or where to read more:\n%s", day[0].Body)
		}
		clk.Set(first.Add(-90 * time.Minute))
		site.remind(t)
		if day, hour = reminders(luz.email); len(day) != 1 || len(hour) != 0 {
			t.Fatalf("90 minutes before, Luz has %d day and %d hour reminders", len(day), len(hour))
		}
		clk.Set(first.Add(-59 * time.Minute))
		site.remind(t)
		clk.Set(first.Add(-30 * time.Minute))
		site.remind(t)
		day, hour = reminders(luz.email)
		if len(day) != 1 || len(hour) != 1 {
			t.Fatalf("Luz has %d day and %d hour reminders, want one each", len(day), len(hour))
		}
		// Marisol chose the Canary Islands' time for herself: her
		// reminder says 17:30 there, the hour before Madrid's 18:30.
		if d := kinds(marisol.email, mail.Reminder24h); len(d) != 1 || !strings.Contains(d[0].Body, en.DateTime(first.In(mustZone(t, "Atlantic/Canary")))) {
			t.Errorf("Marisol's reminder is not in her zone: %+v", d)
		}
		for _, gone := range []*storyPerson{omar, tere} {
			if d, h := reminders(gone.email); len(d)+len(h) != 0 {
				t.Errorf("%s, who holds no seat, was reminded", gone.pseudonym)
			}
		}
		if d, h := reminders(marisol.email); len(d) > 1 || len(h) > 1 {
			t.Errorf("the facilitator got %d and %d reminders", len(d), len(h))
		}
		// Nube gave no email: the same reminders, once each, in the app.
		for _, kind := range []string{mail.Reminder24h, mail.Reminder1h} {
			got := notices(t, nube.token, kind)
			if len(got) != 1 || got[0]["at"] != first.UTC().Format(time.RFC3339) {
				t.Errorf("Nube's %s notices: %v", kind, got)
			}
		}
		// …and reads them on the notices page, behind the sign-in, where
		// the group may be named; the account page says why no email comes.
		b := signedInBrowser(t, ts, nube.handle, "en")
		st, body := b.get("/notices")
		if st != 200 || !strings.Contains(text(body), "Reminder: "+griefName+" meets Tuesday, September 21, 2027") || !strings.Contains(body, "6:30 PM") {
			t.Errorf("Nube's notices page (%d):\n%s", st, body)
		}
		if _, body := b.get("/account"); !strings.Contains(text(body), en.T("account.reminders_off_no_email")) {
			t.Errorf("the account page does not say why reminders are off for Nube:\n%s", body)
		}
	})

	t.Run("4. one session is cancelled: members are told, and nobody is reminded of it", func(t *testing.T) {
		third := sessions[2]
		meetings := ts.call(t, "GET", griefAPI+"/meetings", marisol.token, nil)
		id := int64(jsonObj(meetings.list("meetings")[0])["id"].(float64))
		ts.call(t, "POST", fmt.Sprintf("%s/meetings/%d/exceptions", griefAPI, id), luz.token, map[string]any{
			"original_start": third.UTC().Format(time.RFC3339), "action": "cancel"}).wantError(t, 403)
		ts.call(t, "POST", fmt.Sprintf("%s/meetings/%d/exceptions", griefAPI, id), marisol.token, map[string]any{
			"original_start": third.UTC().Format(time.RFC3339), "action": "cancel", "note": cancelNote}).wantStatus(t, 201)
		site.deliverMail(t)
		for _, p := range []*storyPerson{luz, nube} {
			got := notices(t, p.token, mail.MeetingCancelled)
			if len(got) != 1 || got[0]["at"] != third.UTC().Format(time.RFC3339) {
				t.Errorf("%s's cancellation notices: %v", p.pseudonym, got)
			}
		}
		cancelled := kinds(luz.email, mail.MeetingCancelled)
		if len(cancelled) != 1 || !strings.Contains(cancelled[0].Body, "October 19, 2027") {
			t.Fatalf("Luz's cancellation emails: %+v", cancelled)
		}
		if len(kinds(omar.email, mail.MeetingCancelled)) != 0 {
			t.Error("Omar, who left, is told of the cancellation")
		}
		before := len(inbox.messages())
		for _, lead := range []time.Duration{23 * time.Hour, 59 * time.Minute} {
			clk.Set(third.Add(-lead))
			if n := site.remind(t); n != 0 {
				t.Errorf("%v before the cancelled session, %d reminders", lead, n)
			}
		}
		if after := inbox.messages(); len(after) != before {
			t.Errorf("mail about a cancelled session: %+v", after[before:])
		}
		for _, kind := range []string{mail.Reminder24h, mail.Reminder1h} {
			if got := notices(t, nube.token, kind); len(got) != 1 {
				t.Errorf("Nube has %d %s notices after the cancelled session", len(got), kind)
			}
		}
	})

	t.Run("5. the public calendar carries the eight sessions with the cancelled one excluded, and no private data", func(t *testing.T) {
		res, body := getFeed(t, ts, "/groups/"+grief+"/calendar.ics")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("calendar: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
		}
		ics := string(body)
		exdate := "EXDATE;TZID=Europe/Madrid:" + sessions[2].Format("20060102T150405")
		for _, must := range []string{"TZID:Europe/Madrid", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8", exdate} {
			if !strings.Contains(strings.ReplaceAll(ics, "\r\n ", ""), must) {
				t.Errorf("the calendar lacks %s:\n%s", must, ics)
			}
		}
		for _, p := range []*storyPerson{luz, nube, marisol} {
			if strings.Contains(ics, p.pseudonym) || (p.answer != "" && strings.Contains(ics, p.answer)) {
				t.Errorf("the public calendar carries %s or what they wrote", p.pseudonym)
			}
		}
		if _, body := getFeed(t, ts, "/groups/"+anxiety+"/calendar.ics"); strings.Contains(string(body), "meet.example.org") {
			t.Error("the anxiety group's public calendar carries its protected link")
		}
		t.Run("ical.js, the parser Thunderbird uses, reads every other Tuesday at 18:30 Madrid across the clock change", func(t *testing.T) {
			ical := requireICAL(t)
			got := ical.read(t, body, time.Date(2027, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 2, 1, 0, 0, 0, 0, time.UTC))
			var starts []int64
			for _, o := range got.Occurrences {
				if o.Status == "CANCELLED" {
					continue
				}
				starts = append(starts, o.Start)
				local := time.Unix(o.Start, 0).In(madrid)
				if local.Weekday() != time.Tuesday || local.Hour() != 18 || local.Minute() != 30 || o.End-o.Start != 90*60 {
					t.Errorf("ical.js reads a session at %v for %d minutes", local, (o.End-o.Start)/60)
				}
			}
			var want []int64
			for i, s := range sessions {
				if i != 2 {
					want = append(want, s.Unix())
				}
			}
			if !slices.Equal(starts, want) {
				t.Fatalf("ical.js reads %v, want the eight sessions less the cancelled one %v", starts, want)
			}
		})
	})

	t.Run("5. the Meeting Guide feed follows the spec, with the anxiety meeting and no protected link", func(t *testing.T) {
		a := ts.feed(t, "GET", "/feeds/meeting-guide.json", map[string]string{"Origin": "https://intergroup.example.org"})
		if a.Status != 200 {
			t.Fatalf("feed %d: %s", a.Status, a.Body)
		}
		wantCORS(t, a)
		feedstest.CheckMeetingGuide(t, a.Body)
		if strings.Contains(string(a.Body), "meet.example.org") {
			t.Fatal("the feed carries the protected link")
		}
		var entries []map[string]any
		if err := json.Unmarshal(a.Body, &entries); err != nil {
			t.Fatal(err)
		}
		var calma map[string]any
		for _, e := range entries {
			u, _ := e["url"].(string)
			switch {
			case strings.HasSuffix(u, "/groups/"+anxiety):
				calma = e
			case strings.HasSuffix(u, "/groups/"+grief):
				t.Errorf("the every-other-week cohort is exported as a weekly meeting: %v", e)
			}
		}
		if calma == nil {
			t.Fatalf("the anxiety group is not in the feed: %s", a.Body)
		}
		if calma["day"] != 4.0 || calma["time"] != "20:00" || calma["end_time"] != "21:00" || calma["timezone"] != "Europe/Madrid" ||
			calma["conference_url"] != nil || !slices.Contains(jsonList(calma["types"]), any("O")) {
			t.Errorf("the anxiety meeting reads %v", calma)
		}
	})

	t.Run("after the eighth session the cohort ends, its members are alumni, and no ninth session is announced", func(t *testing.T) {
		clk.Set(sessions[6].Add(-23 * time.Hour))
		site.remind(t)
		if day := kinds(luz.email, mail.Reminder24h); len(day) != 2 || !strings.Contains(day[1].Body, "December 14, 2027") {
			t.Fatalf("Luz's day reminders by the seventh session: %+v", day)
		}
		clk.Set(sessions[7].Add(90*time.Minute + time.Minute))
		site.chores(t)
		for _, p := range []*storyPerson{luz, nube} {
			m := jsonObj(ts.call(t, "GET", griefAPI+"/membership", p.token, nil).JSON["membership"])
			if m["status"] != "alumni" {
				t.Errorf("%s is %v after the last session", p.pseudonym, m["status"])
			}
		}
		before := len(inbox.messages())
		clk.Set(sessions[7].AddDate(0, 0, 14).Add(-23 * time.Hour))
		if n := site.remind(t); n != 0 || len(inbox.messages()) != before {
			t.Errorf("%d reminders after the cohort ended", n)
		}
	})

	t.Run("no email names a group or carries anything anyone wrote", func(t *testing.T) {
		all := inbox.messages()
		if len(all) == 0 {
			t.Fatal("no mail arrived at all")
		}
		never := []string{griefName, anxietyName, grief, anxiety, "Grief", "Anxiety", "Hospice", griefVenue, "sala 3",
			decision, cancelNote, intakePrompt, secretLink, "meet.example.org", "/groups/"}
		for _, p := range []*storyPerson{marisol, noor, luz, omar, tere, nube} {
			never = append(never, p.pseudonym, p.handle)
			if p.answer != "" {
				never = append(never, p.answer)
			}
		}
		seen := map[string]bool{}
		for _, m := range all {
			for _, s := range never {
				if strings.Contains(m.Subject, s) || strings.Contains(m.Body, s) {
					t.Errorf("an email to %s carries %q:\n%s\n%s", m.To, s, m.Subject, m.Body)
				}
			}
			if seen[m.MessageID] {
				t.Errorf("the message %s arrived twice", m.MessageID)
			}
			seen[m.MessageID] = true
		}
		for _, m := range all {
			t.Logf("delivered to %s: %s", m.To, m.Subject)
		}
	})
}
