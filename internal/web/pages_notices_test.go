package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/mail"
)

// signIn signs a browser in with the test password.
func (b *browser) signIn(handle string) {
	b.t.Helper()
	if st, _, _ := b.post("/signin", url.Values{"login": {handle}, "password": {testPassword}}); st != http.StatusSeeOther {
		b.t.Fatalf("sign in %s: %d", handle, st)
	}
}

func TestNoticesPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		if ok, err := ts.App.LoadDemo(ctx); err != nil || !ok {
			t.Fatal(err)
		}
		view, err := ts.App.Group(ctx, hearth.Anonymous, "evening-grief-circle-online")
		if err != nil {
			t.Fatal(err)
		}
		g := view.Group
		u := ts.SignUp(t, "quiet-river", "river@example.org")
		moved := time.Date(2026, 12, 1, 18, 30, 0, 0, time.UTC)
		notify := func(n app.Notice) {
			t.Helper()
			if err := ts.App.Notify(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		notify(app.Notice{UserID: u.ID, Kind: app.NoticeSeatConfirmed, GroupID: g.ID, Key: "seat", Link: "/groups/" + g.Slug})
		notify(app.Notice{UserID: u.ID, Kind: app.NoticeMeetingMoved, GroupID: g.ID, Key: "moved", Link: "/groups/" + g.Slug, At: moved})

		b := newBrowser(t, ts, "en")
		t.Run("signed out, the notices page asks to sign in", func(t *testing.T) {
			st, _, h := b.do("GET", "/notices", nil)
			if st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/signin?next=") {
				t.Fatalf("%d %s", st, h.Get("Location"))
			}
		})
		b.signIn("quiet-river")

		t.Run("the header counts unread notices on every page", func(t *testing.T) {
			_, body := b.get("/groups")
			if !strings.Contains(body, `<a id="notices-link" href="/notices">Notices (2 new)</a>`) {
				t.Fatal(regexp.MustCompile(`(?s)<nav.*?</nav>`).FindString(body))
			}
		})

		var upTo string
		t.Run("the notices page lists them newest first, names the group and marks them new", func(t *testing.T) {
			st, body := b.get("/notices")
			if st != http.StatusOK {
				t.Fatalf("%d", st)
			}
			first, second := strings.Index(body, "has moved"), strings.Index(body, "is confirmed")
			if first < 0 || second < 0 || first > second {
				t.Fatalf("order or text wrong:\n%s", body)
			}
			if !strings.Contains(body, "A meeting of "+g.Name+" has moved") || strings.Count(body, `class="badge ok">New<`) != 2 ||
				!strings.Contains(body, `href="/groups/`+g.Slug+`"`) {
				t.Fatal(body)
			}
			// No zone chosen: the time is shown in the group's zone.
			loc, _ := time.LoadLocation(g.Location.TimeZone)
			if want := moved.In(loc).Format("MST"); !strings.Contains(body, want) {
				t.Fatalf("the time is not in the group's zone (%s)", want)
			}
			m := regexp.MustCompile(`name="up_to" value="(\d+)"`).FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no mark-read form")
			}
			upTo = m[1]
		})

		t.Run("mark all read marks only what was shown", func(t *testing.T) {
			notify(app.Notice{UserID: u.ID, Kind: app.NoticeWaitlistJoined, GroupID: g.ID, Key: "later"})
			st, _, h := b.post("/notices/read", url.Values{"up_to": {upTo}})
			if st != http.StatusSeeOther || h.Get("Location") != "/notices" {
				t.Fatalf("%d %s", st, h.Get("Location"))
			}
			_, body := b.get("/notices")
			if !strings.Contains(body, "All notices are marked as read.") || strings.Count(body, `class="badge ok">New<`) != 1 ||
				!strings.Contains(body, "Notices (1 new)") {
				t.Fatal(body)
			}
		})

		t.Run("a bad page cursor is a clear 400", func(t *testing.T) {
			if st, body := b.get("/notices?before=yesterday"); st != http.StatusBadRequest || !strings.Contains(body, "start from the newest") {
				t.Fatalf("%d", st)
			}
		})

		t.Run("another person sees none of them", func(t *testing.T) {
			ts.SignUp(t, "other-person", "")
			o := newBrowser(t, ts, "es")
			o.signIn("other-person")
			_, body := o.get("/notices")
			if !strings.Contains(body, `id="no-notices"`) || strings.Contains(body, g.Name) || !strings.Contains(body, "Avisos") {
				t.Fatal(body)
			}
		})

		t.Run("in Spanish the notices are in Spanish", func(t *testing.T) {
			es := newBrowser(t, ts, "es")
			es.signIn("quiet-river")
			_, body := es.get("/notices")
			if !strings.Contains(body, "Tu plaza en "+g.Name+" está confirmada.") || !strings.Contains(body, "Avisos (1 nuevo)") {
				t.Fatal(body)
			}
			if st, body := es.get("/notices?before=ayer"); st != http.StatusBadRequest || !strings.Contains(body, "empieza por los más recientes") {
				t.Fatalf("%d", st)
			}
		})

		t.Run("the account page says reminders are off while no mail server is set", func(t *testing.T) {
			_, body := b.get("/account")
			if !strings.Contains(body, `id="reminders-off"`) || !strings.Contains(body, "no email server") {
				t.Fatal(body)
			}
		})

		t.Run("with a mail server, the account page keeps the reminder choices", func(t *testing.T) {
			s, err := mail.ParseSMTPURL("smtp://127.0.0.1:2525?from=hearth@example.org")
			if err != nil {
				t.Fatal(err)
			}
			ts.App.UseMail("https://hearth.example.org", mail.NewWorker(mail.WorkerConfig{SMTP: s}))
			_, body := b.get("/account")
			if strings.Contains(body, `id="reminders-off"`) || !strings.Contains(body, `name="before_1h" type="checkbox" value="yes" checked`) {
				t.Fatal(body)
			}
			st, _, h := b.post("/account/reminders", url.Values{"before_24h": {"yes"}})
			if st != http.StatusSeeOther || h.Get("Location") != "/account#reminders" {
				t.Fatalf("%d %s", st, h.Get("Location"))
			}
			_, body = b.get("/account")
			if !strings.Contains(body, "Your reminder choices are saved.") || !strings.Contains(body, `name="before_24h" type="checkbox" value="yes" checked`) ||
				strings.Contains(body, `name="before_1h" type="checkbox" value="yes" checked`) {
				t.Fatal(body)
			}
			if p, _ := ts.App.ReminderPrefs(ctx, u.ID); p != (app.ReminderPrefs{Before24h: true}) {
				t.Fatalf("stored %+v", p)
			}
		})

		t.Run("someone who gave no email is told why reminders are off", func(t *testing.T) {
			o := newBrowser(t, ts, "en")
			o.signIn("other-person")
			if _, body := o.get("/account"); !strings.Contains(body, "because you gave no email") {
				t.Fatal(body)
			}
		})
	})
}

func TestNoticesAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer) {
		ctx := context.Background()
		u := ts.SignUp(t, "api-person", "api@example.org")
		token := ts.Token(t, u)
		at := time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)
		for i := range app.NoticePage + 3 {
			n := app.Notice{UserID: u.ID, Kind: app.NoticeReminder1h, Key: fmt.Sprint("r", i), At: at}
			if err := ts.App.Notify(ctx, n); err != nil {
				t.Fatal(err)
			}
		}

		t.Run("notices come a page at a time, with the unread count", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/account/notices", token, nil)
			res.wantStatus(t, http.StatusOK)
			list := res.JSON["notices"].([]any)
			next, ok := res.JSON["next_before"].(float64)
			if len(list) != app.NoticePage || res.JSON["unread"] != float64(app.NoticePage+3) || !ok {
				t.Fatalf("%d notices, unread %v, next %v", len(list), res.JSON["unread"], res.JSON["next_before"])
			}
			first := jsonObj(list[0])
			if first["kind"] != "reminder_1h" || first["at"] != "2026-12-01T18:00:00Z" || first["read"] != false || first["group"] != nil {
				t.Fatalf("%v", first)
			}
			res = ts.call(t, "GET", fmt.Sprintf("/api/v1/account/notices?before=%d", int64(next)), token, nil)
			res.wantStatus(t, http.StatusOK)
			if len(res.JSON["notices"].([]any)) != 3 || res.JSON["next_before"] != nil {
				t.Fatalf("second page: %s", res.Body)
			}
		})

		t.Run("marking read answers how many were", func(t *testing.T) {
			res := ts.call(t, "POST", "/api/v1/account/notices/read", token, map[string]any{})
			res.wantStatus(t, http.StatusOK)
			if res.JSON["marked"] != float64(app.NoticePage+3) {
				t.Fatalf("%s", res.Body)
			}
			ts.call(t, "POST", "/api/v1/account/notices/read", token, `{"up_to": -1}`).wantError(t, http.StatusBadRequest)
		})

		t.Run("reminder settings say why they are off, and choices are kept", func(t *testing.T) {
			res := ts.call(t, "GET", "/api/v1/account/reminders", token, nil)
			res.wantStatus(t, http.StatusOK)
			if res.JSON["active"] != false || res.JSON["off_reason"] != "no_mail_server" || res.JSON["before_24h"] != true {
				t.Fatalf("%s", res.Body)
			}
			res = ts.call(t, "PUT", "/api/v1/account/reminders", token, map[string]any{"before_24h": false, "before_1h": true})
			res.wantStatus(t, http.StatusOK)
			if res.JSON["before_24h"] != false || res.JSON["before_1h"] != true {
				t.Fatalf("%s", res.Body)
			}
			ts.call(t, "PUT", "/api/v1/account/reminders", token, map[string]any{"before_24h": true}).wantError(t, http.StatusBadRequest, "before_1h")
			ts.call(t, "PUT", "/api/v1/account/reminders", token, `{"before_24h": "yes", "before_1h": true}`).wantError(t, http.StatusBadRequest)
			if p, _ := ts.App.ReminderPrefs(ctx, u.ID); p != (app.ReminderPrefs{Before1h: true}) {
				t.Fatalf("stored %+v", p)
			}
		})

		t.Run("without a token every notice route is refused", func(t *testing.T) {
			for _, c := range []struct{ method, path string }{{"GET", "/api/v1/account/notices"}, {"POST", "/api/v1/account/notices/read"},
				{"GET", "/api/v1/account/reminders"}, {"PUT", "/api/v1/account/reminders"}} {
				ts.call(t, c.method, c.path, "", nil).wantError(t, http.StatusUnauthorized)
			}
		})
	})
}

func TestEveryNoticeKindHasItsTexts(t *testing.T) {
	cat := newTestServer(t, "sqlite").Server.catalog
	for _, lang := range []string{"en", "es"} {
		for _, kind := range mail.Kinds {
			for _, key := range []string{"notice." + kind, "mail." + kind + ".subject", "mail." + kind + ".body"} {
				if got := cat.Locale(lang).T(key); got == key || len(cat.Raw(lang, key)) == 0 {
					t.Errorf("%s has no %s text", key, lang)
				}
			}
		}
	}
}
