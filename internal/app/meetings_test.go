package app_test

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

// clock is a fake clock the tests move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var madrid = mustZone("Europe/Madrid")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// meetingWorld is an app on a real database with a fake clock, an
// organization, a facilitator and a group in Madrid.
type meetingWorld struct {
	a     *app.App
	db    *sqldb.DB
	clk   *clock
	site  hearth.Actor
	fac   hearth.Actor
	slug  string
	group *hearth.Group
}

func newMeetingWorld(t *testing.T, e sqldb.Engine, format hearth.Format, start time.Time) *meetingWorld {
	t.Helper()
	ctx := context.Background()
	clk := &clock{t: start}
	db := sqldbtest.Open(t, e, sqldbtest.Options{Now: clk.Now})
	v, _, err := vault.OpenFile(ctx, db, filepath.Join(t.TempDir(), "master.key"), true, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Config{DB: db, Vault: v, Now: clk.Now, PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	w := &meetingWorld{a: a, db: db, clk: clk, site: hearth.Actor{SiteAdmin: true, UserID: -1}}
	if err := a.CreateOrganization(ctx, w.site, &hearth.Organization{Slug: "duelo-madrid", Name: "Duelo Madrid"}); err != nil {
		t.Fatal(err)
	}
	g := &hearth.Group{Name: "Grief circle " + string(format), Description: "A circle for people who lost someone.", Topics: []string{"grief"},
		Audience: hearth.Audience{AgeBand: "adults", Gender: "any", Languages: []string{"es"}}, Format: format,
		Leadership: hearth.PeerLed, Policy: hearth.Open, Visibility: hearth.Listed,
		Location: hearth.Location{Address: "Calle Mayor 1", City: "Madrid", Country: "ES", TimeZone: "Europe/Madrid", Lat: 40.4168, Lon: -3.7038, HasPoint: true},
		Cost:     hearth.Cost{Kind: hearth.Free}, Guidelines: "What is said here stays here.",
		Schedule: hearth.Schedule{Weekday: time.Tuesday, Start: 18*60 + 30, Duration: 90}}
	if err := a.CreateGroup(ctx, w.site, "duelo-madrid", g); err != nil {
		t.Fatal(err)
	}
	w.group, w.slug = g, g.Slug
	w.fac = w.person(t, "facilitator-ana", "")
	if err := a.AppointFacilitator(ctx, w.site, w.slug, "facilitator-ana", "Ana", ""); err != nil {
		t.Fatal(err)
	}
	w.fac = w.actor(t, w.fac.UserID)
	return w
}

func (w *meetingWorld) person(t *testing.T, handle, email string) hearth.Actor {
	t.Helper()
	u, _, err := w.a.CreateUser(context.Background(), handle, email, "a long enough password", false)
	if err != nil {
		t.Fatal(err)
	}
	return w.actor(t, u.ID)
}

func (w *meetingWorld) actor(t *testing.T, userID int64) hearth.Actor {
	t.Helper()
	ctx := context.Background()
	tok, _, err := w.a.CreateToken(ctx, hearth.Actor{UserID: userID}, "test")
	if err != nil {
		t.Fatal(err)
	}
	act, _, err := w.a.TokenActor(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	return act
}

func (w *meetingWorld) member(t *testing.T, handle, pseudonym string) hearth.Actor {
	t.Helper()
	p := w.person(t, handle, handle+"@example.org")
	if _, err := w.a.JoinGroup(context.Background(), p, w.slug, pseudonym, true); err != nil {
		t.Fatal(err)
	}
	return w.actor(t, p.UserID)
}

// deleteDefaults removes the meeting the group got from its schedule.
func (w *meetingWorld) deleteDefaults(t *testing.T) {
	t.Helper()
	v, err := w.a.Meetings(context.Background(), w.fac, w.slug)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range v.Meetings {
		if err := w.a.DeleteMeeting(context.Background(), w.fac, w.slug, m.Meeting.ID); err != nil {
			t.Fatal(err)
		}
	}
}

func (w *meetingWorld) meetings(t *testing.T) []app.MeetingView {
	t.Helper()
	v, err := w.a.Meetings(context.Background(), w.fac, w.slug)
	if err != nil {
		t.Fatal(err)
	}
	return v.Meetings
}

func online(url string) hearth.Attend {
	return hearth.Attend{Mode: hearth.Online, ConferenceURL: url}
}

func TestANewGroupGetsItsWeeklyMeeting(t *testing.T) {
	w := newMeetingWorld(t, sqldb.SQLite, hearth.InPerson, time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	ms := w.meetings(t)
	if len(ms) != 1 {
		t.Fatalf("%d meetings, want 1", len(ms))
	}
	m := ms[0]
	if m.Meeting.RRule != "FREQ=WEEKLY;BYDAY=TU" || !m.Ongoing || m.Meeting.Start.Hour() != 18 || m.Meeting.Start.Minute() != 30 || m.Meeting.Duration != 90 {
		t.Fatalf("default meeting %+v ongoing=%v", m.Meeting, m.Ongoing)
	}
	if m.Meeting.Start.Location().String() != "Europe/Madrid" || m.Upcoming[0].Start.Weekday() != time.Tuesday {
		t.Fatalf("start %v, upcoming %v", m.Meeting.Start, m.Upcoming[0].Start)
	}
}

func TestMeetingBadInputChangesNothing(t *testing.T) {
	w := newMeetingWorld(t, sqldb.SQLite, hearth.Online, time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	ctx := context.Background()
	good := app.MeetingInput{Start: "2026-03-17T18:30", Duration: 90, RRule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8", Attend: online("https://meet.example.org/grief")}
	before := len(w.meetings(t))
	cases := []struct {
		name  string
		edit  func(in *app.MeetingInput)
		field string
		code  string
	}{
		{"a rule that never ends and is not marked ongoing", func(in *app.MeetingInput) { in.RRule = "FREQ=WEEKLY;BYDAY=TU" }, "rrule", "endless"},
		{"a time zone that does not exist", func(in *app.MeetingInput) { in.TimeZone = "Mars/Olympus_Mons" }, "time_zone", "unknown"},
		{"a length of zero minutes", func(in *app.MeetingInput) { in.Duration = 0 }, "duration_minutes", "too_short"},
		{"a length over a day", func(in *app.MeetingInput) { in.Duration = 24*60 + 1 }, "duration_minutes", "too_long"},
		{"a one-off in the past", func(in *app.MeetingInput) { in.RRule, in.Start = "", "2026-03-01T18:30" }, "start", "past"},
		{"a javascript: link", func(in *app.MeetingInput) { in.Attend.ConferenceURL = "javascript:alert(1)" }, "conference_url", "https"},
		{"a plain http link", func(in *app.MeetingInput) { in.Attend.ConferenceURL = "http://meet.example.org/x" }, "conference_url", "https"},
		{"an online meeting without a link", func(in *app.MeetingInput) { in.Attend.ConferenceURL = "" }, "conference_url", "required"},
		{"a first date off the schedule", func(in *app.MeetingInput) { in.Start = "2026-03-18T18:30" }, "rrule", "start_off_schedule"},
		{"an unreadable start", func(in *app.MeetingInput) { in.Start = "next tuesday" }, "start", "format"},
		{"an unknown way to attend", func(in *app.MeetingInput) { in.Attend.Mode = "telepathy" }, "mode", "unknown"},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused with a message on "+c.field, func(t *testing.T) {
			in := good
			c.edit(&in)
			_, err := w.a.CreateMeeting(ctx, w.fac, w.slug, in)
			e := hearth.AsError(err)
			if e == nil || e.Kind != hearth.Invalid {
				t.Fatalf("got %v, want invalid", err)
			}
			found := false
			for _, f := range e.Fields {
				found = found || (f.Field == c.field && f.Code == c.code && f.Message != "")
			}
			if !found {
				t.Fatalf("fields %+v, want %s/%s", e.Fields, c.field, c.code)
			}
			if n := len(w.meetings(t)); n != before {
				t.Fatalf("%d meetings after a refused one, want %d", n, before)
			}
		})
	}
	t.Run("the same rule marked ongoing is accepted", func(t *testing.T) {
		in := good
		in.RRule, in.Ongoing = "FREQ=WEEKLY;BYDAY=TU", true
		if _, err := w.a.CreateMeeting(ctx, w.fac, w.slug, in); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a member who does not run the group may not add a meeting", func(t *testing.T) {
		m := w.member(t, "plain-member", "Pat")
		_, err := w.a.CreateMeeting(ctx, m, w.slug, good)
		if hearth.ErrorKind(err) != hearth.Forbidden {
			t.Fatalf("got %v, want forbidden", err)
		}
	})
}

func TestBiweeklyMadridMeetingStaysAtItsLocalTimeAcrossDaylightSaving(t *testing.T) {
	w := newMeetingWorld(t, sqldb.SQLite, hearth.Online, time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	ctx := context.Background()
	w.deleteDefaults(t)
	_, err := w.a.CreateMeeting(ctx, w.fac, w.slug, app.MeetingInput{Start: "2026-03-17T18:30", Duration: 90,
		RRule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8", Attend: online("https://meet.example.org/grief")})
	if err != nil {
		t.Fatal(err)
	}
	occs, err := w.a.Occurrences(ctx, hearth.Anonymous, w.slug, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(occs) != 8 {
		t.Fatalf("%d occurrences, want 8", len(occs))
	}
	for i, o := range occs {
		local := o.Start.In(madrid)
		if local.Hour() != 18 || local.Minute() != 30 || local.Weekday() != time.Tuesday {
			t.Fatalf("occurrence %d at %v local", i, local)
		}
		if o.Attend.ConferenceURL != "" {
			t.Fatal("a visitor sees the conference link")
		}
	}
	// 17 March is winter time (UTC+1), 31 March summer time (UTC+2).
	if occs[0].Start.UTC().Hour() != 17 || occs[1].Start.UTC().Hour() != 16 {
		t.Fatalf("UTC hours %d and %d, want 17 and 16", occs[0].Start.UTC().Hour(), occs[1].Start.UTC().Hour())
	}
	t.Run("the group's simple schedule follows the first recurring meeting", func(t *testing.T) {
		v, err := w.a.Group(ctx, hearth.Anonymous, w.slug)
		if err != nil {
			t.Fatal(err)
		}
		if s := v.Group.Schedule; s.Weekday != time.Tuesday || s.Start != 18*60+30 || s.Duration != 90 {
			t.Fatalf("schedule %+v", s)
		}
	})
}

func TestExceptionsTellMembersAndRefuseOccurrencesThatDoNotExist(t *testing.T) {
	w := newMeetingWorld(t, sqldb.SQLite, hearth.Online, time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	ctx := context.Background()
	w.deleteDefaults(t)
	m, err := w.a.CreateMeeting(ctx, w.fac, w.slug, app.MeetingInput{Start: "2026-03-17T18:30", Duration: 90,
		RRule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8", Attend: online("https://meet.example.org/grief")})
	if err != nil {
		t.Fatal(err)
	}
	pat := w.member(t, "pat-member", "Pat")
	second := time.Date(2026, 3, 31, 18, 30, 0, 0, madrid)
	t.Run("an exception for an occurrence that does not exist is refused", func(t *testing.T) {
		_, err := w.a.ChangeOccurrence(ctx, w.fac, w.slug, m.ID, app.ExceptionInput{Original: second.Add(24 * time.Hour), Cancel: true})
		if e := hearth.AsError(err); e == nil || e.Kind != hearth.Invalid || e.Fields[0].Code != "no_occurrence" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("cancelling one occurrence keeps it listed as cancelled and tells members", func(t *testing.T) {
		if _, err := w.a.ChangeOccurrence(ctx, w.fac, w.slug, m.ID, app.ExceptionInput{Original: second, Cancel: true, Note: "Holiday"}); err != nil {
			t.Fatal(err)
		}
		v, err := w.a.Occurrence(ctx, pat, w.slug, m.ID, second)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Occurrence.Cancelled || v.Occurrence.Note != "Holiday" || v.Link != app.LinkCancelled {
			t.Fatalf("occurrence %+v link %q", v.Occurrence, v.Link)
		}
		ns, err := w.db.Notices(ctx, pat.UserID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) != 1 || ns[0].Kind != "meeting_cancelled" || !strings.Contains(ns[0].Link, "/meetings/") {
			t.Fatalf("notices %+v", ns)
		}
		// The facilitator who cancelled it is not told what she just did.
		mine, err := w.db.Notices(ctx, w.fac.UserID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range mine {
			if n.Kind == "meeting_cancelled" {
				t.Errorf("the facilitator who cancelled got a notice: %+v", n)
			}
		}
	})
	t.Run("moving an occurrence to the past is refused; to the future is told", func(t *testing.T) {
		third := time.Date(2026, 4, 14, 18, 30, 0, 0, madrid)
		_, err := w.a.ChangeOccurrence(ctx, w.fac, w.slug, m.ID, app.ExceptionInput{Original: third, Start: "2026-03-01T18:30"})
		if hearth.ErrorKind(err) != hearth.Invalid {
			t.Fatalf("got %v", err)
		}
		if _, err := w.a.ChangeOccurrence(ctx, w.fac, w.slug, m.ID, app.ExceptionInput{Original: third, Start: "2026-04-15T19:00", Duration: 60}); err != nil {
			t.Fatal(err)
		}
		v, err := w.a.Occurrence(ctx, pat, w.slug, m.ID, third)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Occurrence.Moved || v.Occurrence.Start.In(madrid).Day() != 15 || v.Occurrence.End.Sub(v.Occurrence.Start) != time.Hour {
			t.Fatalf("moved %+v", v.Occurrence)
		}
		ns, _ := w.db.Notices(ctx, pat.UserID, 0, 10)
		if len(ns) != 2 || ns[0].Kind != "meeting_moved" {
			t.Fatalf("notices %+v", ns)
		}
	})
}

func TestRSVPCapacity(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) { rsvpCapacity(t, e) })
	}
}

func rsvpCapacity(t *testing.T, e sqldb.Engine) {
	{
		w := newMeetingWorld(t, e, hearth.InPerson, time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
		ctx := context.Background()
		m, err := w.a.CreateMeeting(ctx, w.fac, w.slug, app.MeetingInput{Start: "2026-03-19T10:00", Duration: 60, Capacity: 2,
			Attend: hearth.Attend{Mode: hearth.InPerson, VenueNotes: "Room 2"}})
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 3, 19, 10, 0, 0, 0, madrid)
		a, b, c := w.member(t, "member-a", "Ann"), w.member(t, "member-b", "Bea"), w.member(t, "member-c", "Cy")
		if err := w.a.RSVP(ctx, a, w.slug, m.ID, at); err != nil {
			t.Fatal(err)
		}
		t.Run("a second RSVP by the same person is refused", func(t *testing.T) {
			if err := w.a.RSVP(ctx, a, w.slug, m.ID, at); hearth.ErrorKind(err) != hearth.Conflict {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("two people taking the last place at once: exactly one gets it", func(t *testing.T) {
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, who := range []hearth.Actor{b, c} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = w.a.RSVP(ctx, who, w.slug, m.ID, at)
				}()
			}
			wg.Wait()
			ok, full := 0, 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case hearth.AsError(err) != nil && hearth.AsError(err).Code == "meeting_full":
					full++
				default:
					t.Fatalf("unexpected %v", err)
				}
			}
			if ok != 1 || full != 1 {
				t.Fatalf("%d took a place, %d were told it is full", ok, full)
			}
			v, err := w.a.Occurrence(ctx, w.fac, w.slug, m.ID, at)
			if err != nil {
				t.Fatal(err)
			}
			if v.Taken != 2 || !v.Full {
				t.Fatalf("taken %d full %v", v.Taken, v.Full)
			}
		})
		t.Run("past capacity, an RSVP gets a clear message and changes nothing", func(t *testing.T) {
			d := w.member(t, "member-d", "Dee")
			err := w.a.RSVP(ctx, d, w.slug, m.ID, at)
			if e := hearth.AsError(err); e == nil || e.Code != "meeting_full" || !strings.Contains(e.Message, "full") {
				t.Fatalf("got %v", err)
			}
			v, _ := w.a.Occurrence(ctx, w.fac, w.slug, m.ID, at)
			if v.Taken != 2 {
				t.Fatalf("taken %d", v.Taken)
			}
		})
		t.Run("cancelling an RSVP frees the place", func(t *testing.T) {
			if err := w.a.CancelRSVP(ctx, a, w.slug, m.ID, at); err != nil {
				t.Fatal(err)
			}
			v, _ := w.a.Occurrence(ctx, w.fac, w.slug, m.ID, at)
			if v.Taken != 1 || v.Full {
				t.Fatalf("taken %d", v.Taken)
			}
		})
		t.Run("someone outside a group that is not open and online may not RSVP", func(t *testing.T) {
			out := w.person(t, "outsider", "")
			if err := w.a.RSVP(ctx, out, w.slug, m.ID, at); hearth.ErrorKind(err) != hearth.Forbidden {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func TestConferenceLinkIsProtected(t *testing.T) {
	start := time.Date(2026, 3, 17, 18, 30, 0, 0, madrid)
	w := newMeetingWorld(t, sqldb.SQLite, hearth.Online, start.Add(-2*time.Hour))
	ctx := context.Background()
	w.deleteDefaults(t)
	const secret = "https://meet.example.org/grief-room?pwd=s3cret"
	m, err := w.a.CreateMeeting(ctx, w.fac, w.slug, app.MeetingInput{Start: "2026-03-17T18:30", Duration: 90,
		RRule: "FREQ=WEEKLY;BYDAY=TU", Ongoing: true, Attend: online(secret)})
	if err != nil {
		t.Fatal(err)
	}
	pat := w.member(t, "pat-member", "Pat")
	visitor := w.person(t, "visitor", "")

	view := func(t *testing.T, who hearth.Actor) *app.OccurrenceView {
		t.Helper()
		v, err := w.a.Occurrence(ctx, who, w.slug, m.ID, start)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	t.Run("nobody but the group's runners sees the link two hours before", func(t *testing.T) {
		for _, who := range []hearth.Actor{hearth.Anonymous, visitor, pat} {
			v := view(t, who)
			if v.LinkPath != "" || v.Meeting.Attend.ConferenceURL != "" || v.Occurrence.Attend.ConferenceURL != "" {
				t.Fatalf("link shown: %+v", v)
			}
		}
		if v := view(t, pat); v.Link != app.LinkNotYet || !v.LinkOpens.Equal(start.Add(-30*time.Minute)) {
			t.Fatalf("member sees %q opens %v", v.Link, v.LinkOpens)
		}
		if v := view(t, visitor); v.Link != app.LinkMembersOnly {
			t.Fatalf("visitor sees %q", v.Link)
		}
		meetings, err := w.a.Meetings(ctx, visitor, w.slug)
		if err != nil {
			t.Fatal(err)
		}
		if meetings.Meetings[0].Meeting.Attend.ConferenceURL != "" {
			t.Fatal("the meetings list shows the link to a visitor")
		}
	})
	var token string
	t.Run("from 30 minutes before, a member gets a personal link that leads to the conference", func(t *testing.T) {
		w.clk.Set(start.Add(-20 * time.Minute))
		v := view(t, pat)
		if v.Link != app.LinkOpen || !strings.HasPrefix(v.LinkPath, "/go/") || strings.Contains(v.LinkPath, "meet.example.org") {
			t.Fatalf("member sees %q %q", v.Link, v.LinkPath)
		}
		token = strings.TrimPrefix(v.LinkPath, "/go/")
		out, err := w.a.FollowLink(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		if out.State != app.LinkOpen || out.URL != secret {
			t.Fatalf("follow %+v", out)
		}
		if again := view(t, pat); again.LinkPath != v.LinkPath {
			t.Fatalf("token changed between views: %q then %q", v.LinkPath, again.LinkPath)
		}
	})
	t.Run("viewing the occurrence writes nothing: it works while another transaction holds the only writer", func(t *testing.T) {
		held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			done <- w.db.InTx(ctx, func(tx *sqldb.Tx) error {
				close(held)
				<-release
				return nil
			})
		}()
		<-held
		short, cancel := context.WithTimeout(ctx, 3*time.Second)
		v, err := w.a.Occurrence(short, pat, w.slug, m.ID, start)
		cancel()
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if err != nil || v.LinkPath != "/go/"+token {
			t.Fatalf("while the writer was held: %v %+v", err, v)
		}
	})
	t.Run("a token altered in any byte, or moved to another meeting, leads nowhere", func(t *testing.T) {
		for i := 0; i < len(token); i += 5 {
			b := []byte(token)
			b[i] = map[bool]byte{true: 'A', false: 'B'}[b[i] != 'A']
			if out, err := w.a.FollowLink(ctx, string(b)); hearth.ErrorKind(err) != hearth.NotFound {
				t.Fatalf("altered at %d: %+v %v", i, out, err)
			}
		}
		for _, bad := range []string{"", "short", strings.Repeat("A", 60), token + "A"} {
			if _, err := w.a.FollowLink(ctx, bad); hearth.ErrorKind(err) != hearth.NotFound {
				t.Fatalf("%q: %v", bad, err)
			}
		}
	})
	t.Run("after the meeting the link waits for the next one", func(t *testing.T) {
		w.clk.Set(start.Add(2 * time.Hour))
		out, err := w.a.FollowLink(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		if out.State != app.LinkNotYet || out.URL != "" || !out.Opens.Equal(start.AddDate(0, 0, 7).Add(-30*time.Minute)) {
			t.Fatalf("follow %+v", out)
		}
		w.clk.Set(start.Add(-20 * time.Minute))
	})
	t.Run("a revoked link leads nowhere, and a restored person gets a new one", func(t *testing.T) {
		if err := w.a.SetLinkRevoked(ctx, w.fac, w.slug, m.ID, pat.UserID, true); err != nil {
			t.Fatal(err)
		}
		out, err := w.a.FollowLink(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		if out.State != app.LinkRevoked || out.URL != "" {
			t.Fatalf("follow %+v", out)
		}
		if v := view(t, pat); v.Link != app.LinkRevoked || v.LinkPath != "" {
			t.Fatalf("member sees %q %q", v.Link, v.LinkPath)
		}
		if err := w.a.SetLinkRevoked(ctx, pat, w.slug, m.ID, pat.UserID, false); hearth.ErrorKind(err) != hearth.Forbidden {
			t.Fatalf("a member restored their own link: %v", err)
		}
		if err := w.a.SetLinkRevoked(ctx, w.fac, w.slug, m.ID, pat.UserID, false); err != nil {
			t.Fatal(err)
		}
		v := view(t, pat)
		if v.Link != app.LinkOpen || v.LinkPath == "/go/"+token {
			t.Fatalf("after restore %q %q", v.Link, v.LinkPath)
		}
		if out, err := w.a.FollowLink(ctx, token); hearth.ErrorKind(err) != hearth.NotFound {
			t.Fatalf("the old token still leads somewhere: %+v %v", out, err)
		}
	})
	t.Run("a group that publishes its link shows it to everyone", func(t *testing.T) {
		if err := w.a.SetMeetingPolicy(ctx, w.fac, w.slug, hearth.MeetingPolicy{PublishLink: true, LinkLeadMinutes: 30}); err != nil {
			t.Fatal(err)
		}
		v := view(t, hearth.Anonymous)
		if v.Link != app.LinkPublished || v.LinkPath != secret {
			t.Fatalf("visitor sees %q %q", v.Link, v.LinkPath)
		}
	})
	t.Run("a lead time outside 0 to 1440 minutes is refused", func(t *testing.T) {
		err := w.a.SetMeetingPolicy(ctx, w.fac, w.slug, hearth.MeetingPolicy{LinkLeadMinutes: -5})
		if hearth.ErrorKind(err) != hearth.Invalid {
			t.Fatalf("got %v", err)
		}
	})
}

func TestOpenOnlineGroupLetsAnyoneSignedInRSVPAndSeeTheLink(t *testing.T) {
	start := time.Date(2026, 3, 17, 18, 30, 0, 0, madrid)
	w := newMeetingWorld(t, sqldb.SQLite, hearth.Online, start.Add(-10*time.Minute))
	ctx := context.Background()
	w.deleteDefaults(t)
	m, err := w.a.CreateMeeting(ctx, w.fac, w.slug, app.MeetingInput{Start: "2026-03-17T18:30", Duration: 60,
		RRule: "FREQ=WEEKLY;BYDAY=TU", Ongoing: true, Attend: online("https://meet.example.org/anxiety")})
	if err != nil {
		t.Fatal(err)
	}
	guest := w.person(t, "guest", "")
	if v, _ := w.a.Occurrence(ctx, guest, w.slug, m.ID, start); v.Link != app.LinkMembersOnly || !v.CanRSVP {
		t.Fatalf("before RSVP: %q can %v", v.Link, v.CanRSVP)
	}
	if err := w.a.RSVP(ctx, guest, w.slug, m.ID, start); err != nil {
		t.Fatal(err)
	}
	v, err := w.a.Occurrence(ctx, guest, w.slug, m.ID, start)
	if err != nil {
		t.Fatal(err)
	}
	if v.Link != app.LinkOpen || !strings.HasPrefix(v.LinkPath, "/go/") {
		t.Fatalf("after RSVP: %q %q", v.Link, v.LinkPath)
	}
	out, _ := w.a.FollowLink(ctx, strings.TrimPrefix(v.LinkPath, "/go/"))
	if out.URL != "https://meet.example.org/anxiety" {
		t.Fatalf("follow %+v", out)
	}
	t.Run("the RSVP covers only that occurrence", func(t *testing.T) {
		next := start.AddDate(0, 0, 7)
		if v, _ := w.a.Occurrence(ctx, guest, w.slug, m.ID, next); v.Link != app.LinkMembersOnly {
			t.Fatalf("next week: %q", v.Link)
		}
	})
}

func TestAttendanceRatesAndReachOut(t *testing.T) {
	first := time.Date(2026, 3, 3, 18, 30, 0, 0, madrid)
	w := newMeetingWorld(t, sqldb.SQLite, hearth.InPerson, first.Add(-time.Hour))
	ctx := context.Background()
	w.deleteDefaults(t)
	m, err := w.a.CreateMeeting(ctx, w.fac, w.slug, app.MeetingInput{Start: "2026-03-03T18:30", Duration: 90,
		RRule: "FREQ=WEEKLY;BYDAY=TU;COUNT=10", Attend: hearth.Attend{Mode: hearth.InPerson}})
	if err != nil {
		t.Fatal(err)
	}
	pat, sam := w.member(t, "pat-member", "Pat"), w.member(t, "sam-member", "Sam")
	t.Run("attendance cannot be taken before the meeting begins", func(t *testing.T) {
		err := w.a.TakeAttendance(ctx, w.fac, w.slug, m.ID, first, map[int64]hearth.AttendanceMark{pat.UserID: hearth.Present})
		if e := hearth.AsError(err); e == nil || e.Code != "not_started" {
			t.Fatalf("got %v", err)
		}
	})
	w.clk.Set(first.AddDate(0, 0, 28))
	for i, marks := range []map[int64]hearth.AttendanceMark{
		{pat.UserID: hearth.Present, sam.UserID: hearth.Present},
		{pat.UserID: hearth.Absent, sam.UserID: hearth.Excused},
		{pat.UserID: hearth.Absent, sam.UserID: hearth.Present},
		{pat.UserID: hearth.Absent, sam.UserID: hearth.Absent},
	} {
		if err := w.a.TakeAttendance(ctx, w.fac, w.slug, m.ID, first.AddDate(0, 0, 7*i), marks); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("a mark that is not present, absent or excused is refused", func(t *testing.T) {
		err := w.a.TakeAttendance(ctx, w.fac, w.slug, m.ID, first, map[int64]hearth.AttendanceMark{pat.UserID: "late"})
		if hearth.ErrorKind(err) != hearth.Invalid {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a member may not take attendance", func(t *testing.T) {
		err := w.a.TakeAttendance(ctx, pat, w.slug, m.ID, first, map[int64]hearth.AttendanceMark{pat.UserID: hearth.Present})
		if hearth.ErrorKind(err) != hearth.Forbidden {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("facilitators see rates and who to reach out to", func(t *testing.T) {
		rep, err := w.a.Attendance(ctx, w.fac, w.slug)
		if err != nil {
			t.Fatal(err)
		}
		rates := map[string]app.MemberAttendance{}
		for _, ma := range rep.Members {
			rates[ma.Pseudonym] = ma
		}
		if p := rates["Pat"]; p.Present != 1 || p.Absent != 3 || p.Rate != 0.25 || p.AbsentStreak != 3 {
			t.Fatalf("Pat %+v", p)
		}
		if s := rates["Sam"]; s.Present != 2 || s.Absent != 1 || s.Excused != 1 || s.AbsentStreak != 1 {
			t.Fatalf("Sam %+v", s)
		}
		if len(rep.ReachOut) != 1 || rep.ReachOut[0].Pseudonym != "Pat" {
			t.Fatalf("reach out %+v", rep.ReachOut)
		}
	})
	t.Run("a member sees only their own marks", func(t *testing.T) {
		rep, err := w.a.Attendance(ctx, sam, w.slug)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Members) != 0 || len(rep.ReachOut) != 0 || len(rep.Mine) != 4 || rep.Mine[0].Mark != hearth.Absent {
			t.Fatalf("report %+v", rep)
		}
	})
}

func TestRemindersArriveOnceEach(t *testing.T) {
	start := time.Date(2026, 3, 19, 18, 30, 0, 0, madrid)
	w := newMeetingWorld(t, sqldb.SQLite, hearth.InPerson, start.Add(-48*time.Hour))
	ctx := context.Background()
	w.deleteDefaults(t)
	m, err := w.a.CreateMeeting(ctx, w.fac, w.slug, app.MeetingInput{Start: "2026-03-19T18:30", Duration: 90,
		RRule: "FREQ=WEEKLY;BYDAY=TH", Ongoing: true, Attend: hearth.Attend{Mode: hearth.InPerson}})
	if err != nil {
		t.Fatal(err)
	}
	early := w.member(t, "early-member", "Early")
	kinds := func(t *testing.T, who hearth.Actor) []string {
		t.Helper()
		ns, err := w.db.Notices(ctx, who.UserID, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, n := range ns {
			if strings.HasPrefix(n.Kind, "reminder") {
				out = append(out, n.Kind+"@"+n.About.In(madrid).Format("01-02T15:04"))
			}
		}
		return out
	}
	run := func(t *testing.T) {
		t.Helper()
		if _, err := w.a.SendReminders(ctx); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("nothing is sent more than 24 hours ahead", func(t *testing.T) {
		run(t)
		if k := kinds(t, early); len(k) != 0 {
			t.Fatalf("got %v", k)
		}
	})
	w.clk.Set(start.Add(-24*time.Hour + time.Minute))
	late := w.member(t, "late-member", "Late")
	t.Run("the 24-hour reminder arrives once, however often the chore runs", func(t *testing.T) {
		run(t)
		w.clk.Add(time.Minute)
		run(t)
		run(t)
		if k := kinds(t, early); len(k) != 1 || k[0] != "reminder_24h@03-19T18:30" {
			t.Fatalf("got %v", k)
		}
		if mails, _ := w.db.MailTo(ctx, early.UserID, 10); len(mails) != 1 {
			t.Fatalf("%d emails queued", len(mails))
		}
	})
	t.Run("someone who joined after the 24-hour mark gets only the 1-hour reminder", func(t *testing.T) {
		if k := kinds(t, late); len(k) != 0 {
			t.Fatalf("got %v", k)
		}
		w.clk.Set(start.Add(-50 * time.Minute))
		run(t)
		run(t)
		if k := kinds(t, late); len(k) != 1 || k[0] != "reminder_1h@03-19T18:30" {
			t.Fatalf("late got %v", k)
		}
		if k := kinds(t, early); len(k) != 2 {
			t.Fatalf("early got %v", k)
		}
	})
	t.Run("a cancelled occurrence sends no reminder", func(t *testing.T) {
		next := start.AddDate(0, 0, 7)
		if _, err := w.a.ChangeOccurrence(ctx, w.fac, w.slug, m.ID, app.ExceptionInput{Original: next, Cancel: true}); err != nil {
			t.Fatal(err)
		}
		w.clk.Set(next.Add(-23 * time.Hour))
		run(t)
		w.clk.Set(next.Add(-30 * time.Minute))
		run(t)
		if k := kinds(t, early); len(k) != 2 {
			t.Fatalf("early got %v", k)
		}
	})
	t.Run("a second process sharing the database sends nothing twice", func(t *testing.T) {
		week3 := start.AddDate(0, 0, 14)
		w.clk.Set(week3.Add(-40 * time.Minute))
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() { defer wg.Done(); _, _ = w.a.SendReminders(ctx) }()
		}
		wg.Wait()
		if k := kinds(t, early); len(k) != 3 || k[0] != "reminder_1h@04-02T18:30" {
			t.Fatalf("early got %v", k)
		}
	})
}

func TestSomeoneRemovedFromAnOpenOnlineGroupCannotRSVPOrFollowTheLink(t *testing.T) {
	start := time.Date(2026, 3, 17, 18, 30, 0, 0, madrid)
	w := newMeetingWorld(t, sqldb.SQLite, hearth.Online, start.Add(-10*time.Minute))
	ctx := context.Background()
	w.deleteDefaults(t)
	m, err := w.a.CreateMeeting(ctx, w.fac, w.slug, app.MeetingInput{Start: "2026-03-17T18:30", Duration: 60,
		RRule: "FREQ=WEEKLY;BYDAY=TU", Ongoing: true, Attend: online("https://meet.example.org/anxiety")})
	if err != nil {
		t.Fatal(err)
	}
	troll := w.member(t, "troll", "Troll")
	if err := w.a.RSVP(ctx, troll, w.slug, m.ID, start); err != nil {
		t.Fatal(err)
	}
	v, _ := w.a.Occurrence(ctx, troll, w.slug, m.ID, start)
	token := strings.TrimPrefix(v.LinkPath, "/go/")
	mv, err := w.a.MyMembership(ctx, troll, w.slug)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.a.RemoveMember(ctx, w.fac, w.slug, mv.Membership.ID, "Disrupted the meeting", true); err != nil {
		t.Fatal(err)
	}
	troll = w.actor(t, troll.UserID)
	if out, err := w.a.FollowLink(ctx, token); err != nil || out.State != app.LinkRevoked || out.URL != "" {
		t.Fatalf("follow after a ban: %+v %v", out, err)
	}
	if err := w.a.RSVP(ctx, troll, w.slug, m.ID, start.AddDate(0, 0, 7)); hearth.ErrorKind(err) != hearth.Forbidden {
		t.Fatalf("RSVP after a ban: %v", err)
	}
	if v, _ := w.a.Occurrence(ctx, troll, w.slug, m.ID, start); v.CanRSVP || v.LinkPath != "" {
		t.Fatalf("view after a ban: %+v", v)
	}
}

func TestRemindersFollowAMovedMeetingAndReachGuestsWhoRSVPd(t *testing.T) {
	start := time.Date(2026, 3, 17, 18, 30, 0, 0, madrid)
	w := newMeetingWorld(t, sqldb.SQLite, hearth.Online, start.Add(-72*time.Hour))
	ctx := context.Background()
	w.deleteDefaults(t)
	m, err := w.a.CreateMeeting(ctx, w.fac, w.slug, app.MeetingInput{Start: "2026-03-17T18:30", Duration: 60,
		RRule: "FREQ=WEEKLY;BYDAY=TU", Ongoing: true, Attend: online("https://meet.example.org/anxiety")})
	if err != nil {
		t.Fatal(err)
	}
	guest := w.person(t, "guest-reminded", "guest@example.org")
	if err := w.a.RSVP(ctx, guest, w.slug, m.ID, start); err != nil {
		t.Fatal(err)
	}
	// Moved three days later, to 20:00.
	if _, err := w.a.ChangeOccurrence(ctx, w.fac, w.slug, m.ID, app.ExceptionInput{Original: start, Start: "2026-03-20T20:00"}); err != nil {
		t.Fatal(err)
	}
	moved := time.Date(2026, 3, 20, 20, 0, 0, 0, madrid)
	w.clk.Set(start.Add(-30 * time.Minute)) // the original time: nothing is due for it
	if _, err := w.a.SendReminders(ctx); err != nil {
		t.Fatal(err)
	}
	w.clk.Set(moved.Add(-45 * time.Minute))
	if _, err := w.a.SendReminders(ctx); err != nil {
		t.Fatal(err)
	}
	ns, err := w.db.Notices(ctx, guest.UserID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range ns {
		got = append(got, n.Kind+"@"+n.About.In(madrid).Format("01-02T15:04"))
	}
	if len(got) != 2 || got[0] != "reminder_1h@03-20T20:00" || got[1] != "meeting_moved@03-20T20:00" {
		t.Fatalf("guest notices %v", got)
	}
}

func TestChangingAScheduleDropsTheExceptionsItNoLongerHas(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			w := newMeetingWorld(t, e, hearth.InPerson, time.Date(2026, 3, 1, 12, 0, 0, 0, madrid))
			ctx := context.Background()
			w.deleteDefaults(t)
			in := app.MeetingInput{Start: "2026-03-03T18:30", Duration: 90, RRule: "FREQ=WEEKLY;BYDAY=TU", Ongoing: true,
				Attend: hearth.Attend{Mode: hearth.InPerson}}
			m, err := w.a.CreateMeeting(ctx, w.fac, w.slug, in)
			if err != nil {
				t.Fatal(err)
			}
			for _, day := range []int{10, 17} {
				at := time.Date(2026, 3, day, 18, 30, 0, 0, madrid)
				if _, err := w.a.ChangeOccurrence(ctx, w.fac, w.slug, m.ID, app.ExceptionInput{Original: at, Cancel: true, Note: "Holiday"}); err != nil {
					t.Fatal(err)
				}
			}
			t.Run("a change that keeps every occurrence keeps every exception", func(t *testing.T) {
				in.Duration = 60
				up, err := w.a.UpdateMeeting(ctx, w.fac, w.slug, m.ID, in)
				if err != nil || up.DroppedExceptions != 0 {
					t.Fatalf("%+v %v", up, err)
				}
				if n := len(w.meetings(t)[0].Exceptions); n != 2 {
					t.Fatalf("%d exceptions left", n)
				}
			})
			t.Run("moving the meeting to Wednesdays drops both, gives back a place on a Tuesday and tells its holder", func(t *testing.T) {
				kim := w.member(t, "kim-member", "Kim")
				tuesday := time.Date(2026, 3, 24, 18, 30, 0, 0, madrid)
				if err := w.a.RSVP(ctx, kim, w.slug, m.ID, tuesday); err != nil {
					t.Fatal(err)
				}
				in.Start, in.RRule = "2026-03-04T18:30", "FREQ=WEEKLY;BYDAY=WE"
				up, err := w.a.UpdateMeeting(ctx, w.fac, w.slug, m.ID, in)
				if err != nil || up.DroppedExceptions != 2 || up.DroppedPlaces != 1 {
					t.Fatalf("%+v %v", up, err)
				}
				if rs, _ := w.db.RSVPsOf(ctx, kim.UserID, time.Time{}); len(rs) != 0 {
					t.Fatalf("places left %+v", rs)
				}
				ns, err := w.db.Notices(ctx, kim.UserID, 0, 10)
				if err != nil || len(ns) != 1 || ns[0].Kind != "meeting_cancelled" || ns[0].Link != "/groups/"+w.slug || !ns[0].About.Equal(tuesday) {
					t.Fatalf("notices %+v %v", ns, err)
				}
				mv := w.meetings(t)[0]
				if len(mv.Exceptions) != 0 {
					t.Fatalf("exceptions left %+v", mv.Exceptions)
				}
				for _, o := range mv.Upcoming {
					if o.Cancelled {
						t.Fatalf("an occurrence is still cancelled: %+v", o)
					}
				}
			})
			t.Run("when the group's zone changes, a cancellation stays on its local date and time", func(t *testing.T) {
				at := time.Date(2026, 3, 11, 18, 30, 0, 0, madrid)
				if _, err := w.a.ChangeOccurrence(ctx, w.fac, w.slug, m.ID, app.ExceptionInput{Original: at, Cancel: true}); err != nil {
					t.Fatal(err)
				}
				pat := w.member(t, "pat-member", "Pat")
				if err := w.a.RSVP(ctx, pat, w.slug, m.ID, time.Date(2026, 3, 18, 18, 30, 0, 0, madrid)); err != nil {
					t.Fatal(err)
				}
				cur, err := w.a.Group(ctx, w.fac, w.slug)
				if err != nil {
					t.Fatal(err)
				}
				g := *cur.Group
				g.Location.TimeZone = "Atlantic/Canary"
				if err := w.a.UpdateGroup(ctx, w.fac, w.slug, &g); err != nil {
					t.Fatal(err)
				}
				canary := mustZone("Atlantic/Canary")
				mv := w.meetings(t)[0]
				if len(mv.Exceptions) != 1 || !mv.Exceptions[0].Original.Equal(time.Date(2026, 3, 11, 18, 30, 0, 0, canary)) {
					t.Fatalf("exceptions %+v", mv.Exceptions)
				}
				found := false
				for _, o := range mv.Upcoming {
					if o.Original.Equal(time.Date(2026, 3, 11, 18, 30, 0, 0, canary)) {
						found = true
						if !o.Cancelled {
							t.Fatalf("the cancelled occurrence is back: %+v", o)
						}
					}
				}
				if !found {
					t.Fatalf("no occurrence on the 11th at 18:30 local: %+v", mv.Upcoming)
				}
				day := time.Date(2026, 3, 18, 0, 0, 0, 0, canary)
				items, err := w.a.Occurrences(ctx, pat, w.slug, day, day.Add(24*time.Hour))
				if err != nil || len(items) != 1 || !items[0].Original.Equal(time.Date(2026, 3, 18, 18, 30, 0, 0, canary)) || !items[0].Mine || items[0].Taken != 1 {
					t.Fatalf("Pat's place on the 18th did not follow the zone: %+v %v", items, err)
				}
			})
		})
	}
}

func TestAMeetingWrittenElsewhereGetsItsLinkKeyFromTheChore(t *testing.T) {
	start := time.Date(2026, 3, 17, 18, 30, 0, 0, madrid)
	w := newMeetingWorld(t, sqldb.SQLite, hearth.Online, start.Add(-10*time.Minute))
	ctx := context.Background()
	w.deleteDefaults(t)
	const secret = "https://meet.example.org/imported-room"
	// As an import writes it: straight to storage, no use case after it.
	m := &hearth.Meeting{GroupID: w.group.ID, Start: start, Duration: 60, RRule: "FREQ=WEEKLY;BYDAY=TU", Attend: online(secret)}
	if err := w.db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.InsertMeeting(ctx, m) }); err != nil {
		t.Fatal(err)
	}
	pat := w.member(t, "pat-member", "Pat")
	t.Run("until the key is sealed, a member still gets the link, and nothing is written", func(t *testing.T) {
		v, err := w.a.Occurrence(ctx, pat, w.slug, m.ID, start)
		if err != nil || v.Link != app.LinkOpen || v.LinkPath != secret {
			t.Fatalf("%v %+v", err, v)
		}
		if k, _ := w.db.MeetingLinkKey(ctx, m.ID); k != nil {
			t.Fatal("viewing the page sealed a key")
		}
	})
	t.Run("the reminder chore seals it, sealed (not the raw secret), and personal links follow", func(t *testing.T) {
		if _, err := w.a.SendReminders(ctx); err != nil {
			t.Fatal(err)
		}
		k, err := w.db.MeetingLinkKey(ctx, m.ID)
		if err != nil || len(k) <= 32 {
			t.Fatalf("stored key %d bytes: %v", len(k), err)
		}
		v, err := w.a.Occurrence(ctx, pat, w.slug, m.ID, start)
		if err != nil || !strings.HasPrefix(v.LinkPath, "/go/") {
			t.Fatalf("%v %+v", err, v)
		}
		out, err := w.a.FollowLink(ctx, strings.TrimPrefix(v.LinkPath, "/go/"))
		if err != nil || out.State != app.LinkOpen || out.URL != secret {
			t.Fatalf("follow %+v %v", out, err)
		}
	})
}

func TestAGroupWithAnUnknownZoneIsAClearErrorAndDoesNotStopTheChores(t *testing.T) {
	w := newMeetingWorld(t, sqldb.SQLite, hearth.InPerson, time.Date(2026, 3, 2, 12, 0, 0, 0, madrid))
	ctx := context.Background()
	healthy := *w.group
	w.member(t, "pat-member", "Pat")
	broken, err := w.db.GroupBySlug(ctx, w.slug)
	if err != nil {
		t.Fatal(err)
	}
	// A second group keeps its zone: the chore must still reach it.
	healthy.ID, healthy.Slug, healthy.Name = 0, "", "Second circle"
	if err := w.a.CreateGroup(ctx, w.site, "duelo-madrid", &healthy); err != nil {
		t.Fatal(err)
	}
	broken.Location.TimeZone = "Mars/Olympus_Mons" // corrupt data, as no form would write it
	if err := w.db.UpdateGroup(ctx, broken, nil); err != nil {
		t.Fatal(err)
	}
	var ze *sqldb.ZoneError
	for name, call := range map[string]func() error{
		"the meetings list": func() error { _, err := w.a.Meetings(ctx, w.fac, w.slug); return err },
		"the upcoming list": func() error {
			_, err := w.a.Occurrences(ctx, w.fac, w.slug, w.clk.Now(), w.clk.Now().Add(time.Hour))
			return err
		},
		"the calendar": func() error { return w.a.GroupCalendar(ctx, w.slug, "https://hearth.example", io.Discard) },
	} {
		t.Run(name+" names the group and its zone", func(t *testing.T) {
			err := call()
			if !errors.As(err, &ze) || ze.Zones[broken.ID] != "Mars/Olympus_Mons" || hearth.ErrorKind(err) != hearth.Internal {
				t.Fatalf("got %v", err)
			}
		})
	}
	t.Run("the reminder chore leaves that group out and still reminds the other", func(t *testing.T) {
		sam := w.person(t, "sam-member", "sam@example.org")
		if _, err := w.a.JoinGroup(ctx, sam, healthy.Slug, "Sam", true); err != nil {
			t.Fatal(err)
		}
		w.clk.Set(time.Date(2026, 3, 2, 20, 0, 0, 0, madrid)) // 22½ hours before Tuesday 18:30
		n, err := w.a.SendReminders(ctx)
		if err != nil || n == 0 {
			t.Fatalf("%d reminders: %v", n, err)
		}
	})
}
