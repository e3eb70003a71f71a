package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
)

// TestRoutesRefuseMembersWhereTheyHaveNoRole walks every signed-in route
// that acts on an organization or a group as three people who must not pass:
// an ordinary member, a facilitator of another group, and the admin of
// another organization. Each sends a valid request (so a refusal is a
// permission check, not a validation error), must get 403 or 404, and the
// directory must be unchanged afterwards.
func TestRoutesRefuseMembersWhereTheyHaveNoRole(t *testing.T) {
	ts := demoServer(t, "sqlite")
	ctx := context.Background()
	const org, slug = "harborlight-hospice", "evening-grief-circle-online"
	site := hearth.Actor{SiteAdmin: true}

	member := ts.SignUp(t, "plain-member", "")
	if _, err := ts.App.JoinGroup(ctx, ts.Actor(t, ts.Token(t, member)), slug, "Plain", true); err != nil {
		t.Fatal(err)
	}
	otherFac := ts.SignUp(t, "other-facilitator", "")
	if err := ts.App.AppointFacilitator(ctx, site, "grief-support-south-austin", "other-facilitator", "Sam", ""); err != nil {
		t.Fatal(err)
	}
	otherAdmin := ts.SignUp(t, "other-org-admin", "")
	if err := ts.App.AddOrgAdmin(ctx, site, "lantern-recovery-intergroup", "other-org-admin"); err != nil {
		t.Fatal(err)
	}
	before, _ := ts.App.Group(ctx, site, slug)
	plainView, err := ts.App.MyMembership(ctx, ts.Actor(t, ts.Token(t, member)), slug)
	if err != nil {
		t.Fatal(err)
	}
	memberID := strconv.FormatInt(plainView.Membership.ID, 10) // {id}: a real member of the group
	// meetings: {meeting} is the group's meeting, {at} its next occurrence,
	// {person} the plain member.
	meetingsBefore, err := ts.App.Meetings(ctx, site, slug)
	if err != nil || len(meetingsBefore.Meetings) == 0 || len(meetingsBefore.Meetings[0].Upcoming) == 0 {
		t.Fatalf("the walk's group has no upcoming meeting: %v", err)
	}
	meetingID := strconv.FormatInt(meetingsBefore.Meetings[0].Meeting.ID, 10)
	occAt := meetingsBefore.Meetings[0].Upcoming[0].Original
	personID := strconv.FormatInt(member.ID, 10)
	meetingForm := url.Values{"frequency": {"weekly"}, "day": {"tue"}, "start_date": {"2030-01-01"}, "start_time": {"18:30"},
		"duration_minutes": {"60"}, "ends": {"ongoing"}, "mode": {"in_person"}}
	meetingJSON := map[string]any{"start": "2030-01-01T18:30", "duration_minutes": 60, "rrule": "FREQ=WEEKLY;BYDAY=TU", "ongoing": true,
		"attend": map[string]any{"mode": "in_person"}}

	formFor := map[string]url.Values{
		"POST /manage/organizations":       {"name": {"Sneaky Org"}},
		"POST /manage/{org}/admins":        {"handle": {"plain-member"}},
		"POST /manage/{org}/groups":        openGroupForm("Sneaky Group"),
		"POST /groups/{slug}/edit":         openGroupForm("Renamed By Someone Else"),
		"POST /groups/{slug}/facilitators": {"handle": {"plain-member"}, "pseudonym": {"Boss"}, "role": {"facilitator"}},
		// membership (the facilitators' members page)
		"POST /groups/{slug}/members/{id}/approve": {"message": {"Welcome"}},
		"POST /groups/{slug}/members/{id}/decline": {"message": {"Sorry"}},
		"POST /groups/{slug}/members/{id}/remove":  {"reason": {"Removed by someone else"}, "ban": {"yes"}},
		"POST /groups/{slug}/intake":               {"prompt_1": {"Why do you want to join?"}, "required_1": {"yes"}},
		"POST /groups/{slug}/cohorts":              {"cap": {"8"}, "sessions": {"6"}, "opens": {"2027-01-01"}, "closes": {"2027-01-20"}, "starts": {"2027-02-01"}},
		"POST /groups/{slug}/cohorts/{id}/end":     {},
		"POST /groups/{slug}/seats":                {"cap": {"1"}, "offer_hours": {"24"}},
		// meetings
		"POST /groups/{slug}/meetings":                           meetingForm,
		"POST /groups/{slug}/meetings/{meeting}":                 meetingForm,
		"POST /groups/{slug}/meetings/{meeting}/delete":          {},
		"POST /groups/{slug}/meeting-policy":                     {"publish_link": {"yes"}, "link_lead_minutes": {"30"}},
		"POST /groups/{slug}/room-settings":                      {"room_retention_days": {"0"}, "room_lead_minutes": {"60"}},
		"POST /groups/{slug}/meeting-links/{meeting}/{person}":   {"action": {"revoke"}},
		"POST /groups/{slug}/meetings/{meeting}/{at}/change":     {"action": {"cancel"}, "note": {"Cancelled by someone else"}},
		"POST /groups/{slug}/meetings/{meeting}/{at}/attendance": {"mark_" + personID: {"absent"}},
		// safety: alerts and an organization's on-call settings
		"POST /safety/escalations/{id}": {"do": {"acknowledge"}},
		"POST /manage/{org}/safety":     {"on_call": {""}, "ack_minutes": {"5"}},
		// moderation: the review queue's actions ({id} is no report or appeal of theirs)
		"POST /groups/{slug}/moderation/settings": {"new_member_days": {"7"}, "new_member_posts_per_hour": {"5"}, "posts_per_hour": {"60"}},
		"POST /reports/{id}/act":                  {"kind": {"warn"}, "reason": {"spam"}},
		"POST /reports/{id}/dismiss":              {},
		"POST /appeals/{id}/decide":               {"decision": {"overturn"}},
	}
	pageGets := []string{"/manage/{org}", "/manage/{org}/groups/new", "/groups/{slug}/edit", "/groups/{slug}/members", "/groups/{slug}/meetings",
		"/manage/{org}/safety", "/manage/{org}/audit", "/safety/escalations/{id}",
		"/groups/{slug}/reports", "/manage/{org}/reports", "/reports/{id}"}
	jsonFor := map[string]any{
		"POST /api/v1/organizations":              map[string]any{"slug": "sneaky-org", "name": "Sneaky Org"},
		"PUT /api/v1/organizations/{org}":         map[string]any{"name": "Renamed Org"},
		"POST /api/v1/organizations/{org}/admins": map[string]any{"handle": "plain-member"},
		"POST /api/v1/organizations/{org}/groups": groupBody("sneaky-group", "Sneaky Group"),
		"PUT /api/v1/groups/{slug}":               groupBody(slug, "Renamed By Someone Else"),
		"POST /api/v1/groups/{slug}/facilitators": map[string]any{"handle": "plain-member", "pseudonym": "Boss", "role": "facilitator"},
		// membership
		"PUT /api/v1/groups/{slug}/intake":                map[string]any{"questions": []any{map[string]any{"prompt": "Why?", "required": true}}},
		"POST /api/v1/groups/{slug}/members/{id}/approve": map[string]any{"message": "Welcome"},
		"POST /api/v1/groups/{slug}/members/{id}/decline": map[string]any{"message": "Sorry"},
		"POST /api/v1/groups/{slug}/members/{id}/remove":  map[string]any{"reason": "Removed by someone else"},
		"POST /api/v1/groups/{slug}/members/{id}/ban":     map[string]any{"reason": "Banned by someone else"},
		"POST /api/v1/groups/{slug}/cohorts":              map[string]any{"cap": 8, "sessions": 6, "opens": "2027-01-01", "closes": "2027-01-20", "starts": "2027-02-01"},
		"POST /api/v1/groups/{slug}/cohorts/{id}/end":     map[string]any{},
		"PUT /api/v1/groups/{slug}/seats":                 map[string]any{"cap": 1, "offer_hours": 24},
		// meetings
		"POST /api/v1/groups/{slug}/meetings":                                      meetingJSON,
		"PUT /api/v1/groups/{slug}/meetings/{meeting}":                             meetingJSON,
		"DELETE /api/v1/groups/{slug}/meetings/{meeting}":                          nil,
		"POST /api/v1/groups/{slug}/meetings/{meeting}/exceptions":                 map[string]any{"original_start": occAt.UTC().Format(time.RFC3339), "action": "cancel"},
		"DELETE /api/v1/groups/{slug}/meetings/{meeting}/exceptions/{at}":          nil,
		"PUT /api/v1/groups/{slug}/meetings/{meeting}/occurrences/{at}/attendance": map[string]any{"marks": map[string]any{personID: "absent"}},
		"PUT /api/v1/groups/{slug}/meeting-policy":                                 map[string]any{"publish_link": true, "link_lead_minutes": 30},
		"PUT /api/v1/groups/{slug}/room-settings":                                  map[string]any{"room_retention_days": 0, "room_lead_minutes": 60},
		"DELETE /api/v1/groups/{slug}/meetings/{meeting}/links/{person}":           nil,
		"POST /api/v1/groups/{slug}/meetings/{meeting}/links/{person}":             nil,
		// safety
		"POST /api/v1/safety/escalations/{id}":   map[string]any{"acknowledge": true},
		"PUT /api/v1/organizations/{org}/safety": map[string]any{"on_call": []string{}, "ack_minutes": 5},
		// moderation
		"POST /api/v1/groups/{slug}/moderation/actions": map[string]any{"subject": map[string]any{"kind": "member", "id": plainView.Membership.ID},
			"kind": "mute", "reason": "spam", "minutes": 60},
		"PUT /api/v1/groups/{slug}/moderation/settings":      map[string]any{"new_member_days": 7, "new_member_posts_per_hour": 5, "posts_per_hour": 60, "approve_first_posts": true},
		"POST /api/v1/groups/{slug}/moderation/trusted/{id}": nil,
		"POST /api/v1/reports/{id}/dismiss":                  nil,
		"POST /api/v1/appeals/{id}/decision":                 map[string]any{"overturn": true},
	}
	apiGets := []string{"/api/v1/organizations/{org}/groups", "/api/v1/groups/{slug}/facilitators", "/api/v1/groups/{slug}/members", "/api/v1/groups/{slug}/cohorts",
		"/api/v1/groups/{slug}/meetings/{meeting}/occurrences/{at}/attendance", "/api/v1/groups/{slug}/meeting-policy",
		"/api/v1/organizations/{org}/safety", "/api/v1/organizations/{org}/audit", "/api/v1/safety/escalations/{id}",
		"/api/v1/groups/{slug}/reports", "/api/v1/organizations/{org}/reports", "/api/v1/reports/{id}", "/api/v1/groups/{slug}/moderation/settings",
		"/api/v1/groups/{slug}/room-settings"}

	// Every signed-in route of the table must be in one of the lists above
	// or be one a member may use on their own behalf.
	ownUse := map[string]bool{
		"GET /account": true, "POST /account/preferences": true, "POST /account/tokens": true, "POST /account/tokens/{id}/revoke": true,
		"GET /manage": true, "POST /groups/{slug}/join": true, "POST /api/v1/groups/{slug}/join": true,
		"GET /api/v1/account": true, "GET /api/v1/account/groups": true, "PUT /api/v1/account/preferences": true, "GET /api/v1/account/tokens": true,
		"POST /api/v1/account/tokens": true, "DELETE /api/v1/account/tokens/{id}": true, "GET /api/v1/organizations": true,
		// notices and reminder choices: one's own, by the actor alone
		"GET /notices": true, "POST /notices/read": true, "POST /account/reminders": true, "GET /api/v1/account/notices": true,
		"POST /api/v1/account/notices/read": true, "GET /api/v1/account/reminders": true, "PUT /api/v1/account/reminders": true,
		// membership: one's own application and standing
		"GET /groups/{slug}/apply": true, "POST /groups/{slug}/apply": true, "GET /groups/{slug}/membership": true,
		"GET /groups/{slug}/membership/leave": true, "POST /groups/{slug}/membership/leave": true,
		"POST /groups/{slug}/membership/offer/accept": true, "POST /groups/{slug}/membership/offer/decline": true,
		"POST /groups/{slug}/membership/guidelines": true, "POST /groups/{slug}/membership/contact": true,
		"POST /api/v1/groups/{slug}/apply": true, "GET /api/v1/groups/{slug}/membership": true, "POST /api/v1/groups/{slug}/membership/leave": true,
		"POST /api/v1/groups/{slug}/membership/offer/accept": true, "POST /api/v1/groups/{slug}/membership/offer/decline": true,
		"POST /api/v1/groups/{slug}/membership/guidelines": true, "PUT /api/v1/groups/{slug}/membership/contact": true,
		// meetings: one's own place, own attendance and own calendar address
		"POST /groups/{slug}/meetings/{meeting}/{at}/rsvp": true, "POST /groups/{slug}/meetings/{meeting}/{at}/rsvp/cancel": true,
		"GET /groups/{slug}/attendance": true, "GET /account/calendar": true, "POST /account/calendar": true,
		"POST /api/v1/groups/{slug}/meetings/{meeting}/occurrences/{at}/rsvp": true, "DELETE /api/v1/groups/{slug}/meetings/{meeting}/occurrences/{at}/rsvp": true,
		"GET /api/v1/groups/{slug}/attendance": true, "GET /api/v1/account/calendar": true, "POST /api/v1/account/calendar": true,
		"DELETE /api/v1/account/calendar": true,
		// the safety plan: one's own only, there is no address for another's (safetyplan_test.go proves others never read it)
		"GET /account/safety-plan": true, "POST /account/safety-plan": true, "POST /account/safety-plan/delete": true,
		"GET /account/safety-plan/print": true, "GET /account/safety-plan.json": true,
		"GET /api/v1/account/safety-plan": true, "PUT /api/v1/account/safety-plan": true, "DELETE /api/v1/account/safety-plan": true,
		// the safety alert queue lists only the alerts of the caller's own groups and organizations (or refuses); safety_test.go
		// proves outsiders never see another group's alert, and the {id} routes above refuse them
		"GET /safety/escalations": true, "GET /api/v1/safety/escalations": true,
		// moderation: one's own reports, blocks, decisions and appeals (moderation_test.go proves a report needs sight of
		// its subject, and that nobody but the person acted on appeals)
		"GET /groups/{slug}/report": true, "POST /groups/{slug}/report": true, "POST /groups/{slug}/blocks/{id}": true,
		"POST /groups/{slug}/blocks/{id}/delete": true, "GET /moderation": true, "POST /moderation/{id}/appeal": true,
		"POST /api/v1/groups/{slug}/reports": true, "GET /api/v1/groups/{slug}/peers": true, "PUT /api/v1/groups/{slug}/blocks/{id}": true,
		"DELETE /api/v1/groups/{slug}/blocks/{id}": true, "GET /api/v1/account/moderation": true, "POST /api/v1/account/moderation/{id}/appeal": true,
		// a meeting's live room: one's own entry (app.EnterRoom; ws_test.go proves an outsider gets 404 on the page and on the
		// socket, before any upgrade, and that a removed member is put out)
		"GET /groups/{slug}/meetings/{meeting}/{at}/room": true, "GET /groups/{slug}/meetings/{meeting}/{at}/room/ws": true,
		// a room's message reported (sight of it needed) or hidden (its moderators), and the way to a room from its alert
		// (its moderators and alert handlers): these need a live room, so rooms_moderation_test.go proves a member who was
		// not in the room, an outsider and a member without a role get 404 on each
		"POST /api/v1/rooms/{room}/events/{seq}/report": true, "POST /api/v1/rooms/{room}/events/{seq}/hide": true, "GET /rooms/{room}": true,
		// the security page: one's own second factor and sessions only (security_test.go proves another person's session id
		// is 404 and that signing out everywhere leaves others signed in)
		"GET /account/security": true, "POST /account/security/totp": true, "POST /account/security/totp/confirm": true,
		"POST /account/security/totp/disable": true, "POST /account/security/verify": true,
		"POST /account/security/sessions/{id}/end": true, "POST /account/security/sessions/end-all": true,
		// one's own data: the export holds only the caller's writing and erasure erases only the caller (privacy_test.go
		// proves another member's words are not in an export, and the matrix walks these as every role)
		"GET /account/export": true, "POST /account/export": true, "GET /api/v1/account/export": true,
		"GET /account/delete": true, "POST /account/delete": true, "DELETE /api/v1/account": true,
		// passkeys: one's own only (passkeys_test.go proves another person's passkey id is 404 and their registration
		// ceremony cannot be finished by someone else)
		"POST /account/security/passkeys/options": true, "POST /account/security/passkeys": true,
		"POST /account/security/passkeys/{id}/rename": true, "POST /account/security/passkeys/{id}/remove": true,
		"GET /api/v1/account/passkeys": true, "PUT /api/v1/account/passkeys/{id}": true, "DELETE /api/v1/account/passkeys/{id}": true,
		// an administrator's reset of someone's lost second factor (factorreset_test.go proves a member, an organization
		// admin of another organization, someone resetting themselves and a resetter without their own factor are refused)
		"GET /manage/second-factor-reset": true, "POST /manage/second-factor-reset": true,
		"POST /api/v1/users/{handle}/second-factor/reset": true,
	}
	for _, r := range ts.Server.Routes() {
		key := r.Method + " " + r.Path
		if r.Auth != SignedIn || ownUse[key] {
			continue
		}
		// group boards: boards_authz_test.go walks every board route, page and API, as eight kinds of people in a
		// listed and a private group (and requires itself to cover each one)
		if isBoardRoute(r) {
			continue
		}
		_, inForm := formFor[key]
		_, inJSON := jsonFor[key]
		inGet := false
		for _, p := range append(pageGets, apiGets...) {
			inGet = inGet || key == "GET "+p
		}
		if !inForm && !inJSON && !inGet {
			t.Errorf("route %s is not covered by this walk: add it", key)
		}
	}

	fill := strings.NewReplacer("{org}", org, "{slug}", slug, "{id}", memberID,
		"{meeting}", meetingID, "{at}", strconv.FormatInt(occAt.Unix(), 10), "{person}", personID)
	for _, who := range []struct {
		name string
		u    *hearth.User
	}{{"a member of the group", member}, {"a facilitator of another group", otherFac}, {"an admin of another organization", otherAdmin}} {
		t.Run(who.name, func(t *testing.T) {
			b := signedInBrowser(t, ts, who.u.Handle, "en")
			token := ts.Token(t, who.u)
			refused := func(t *testing.T, status int) {
				t.Helper()
				if status != http.StatusForbidden && status != http.StatusNotFound {
					t.Fatalf("got %d, want 403 or 404", status)
				}
			}
			for key, form := range formFor {
				t.Run(key, func(t *testing.T) {
					if key == "POST /manage/{org}/admins" && who.u == otherAdmin {
						form = url.Values{"handle": {"other-org-admin"}}
					}
					st, _, _ := b.post(fill.Replace(strings.TrimPrefix(key, "POST ")), form)
					refused(t, st)
				})
			}
			for _, p := range pageGets {
				t.Run("GET "+p, func(t *testing.T) {
					st, _ := b.get(fill.Replace(p))
					refused(t, st)
				})
			}
			api := func(method, path string, body any) int {
				var buf bytes.Buffer
				if body != nil {
					json.NewEncoder(&buf).Encode(body)
				}
				req, _ := http.NewRequest(method, ts.URL+fill.Replace(path), &buf)
				req.Header.Set("Authorization", "Bearer "+token)
				if body != nil {
					req.Header.Set("Content-Type", "application/json")
				}
				res, err := ts.Client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return res.StatusCode
			}
			for key, body := range jsonFor {
				t.Run(key, func(t *testing.T) {
					method, path, _ := strings.Cut(key, " ")
					refused(t, api(method, path, body))
				})
			}
			for _, p := range apiGets {
				t.Run("GET "+p, func(t *testing.T) { refused(t, api("GET", p, nil)) })
			}
		})
	}

	t.Run("nothing changed", func(t *testing.T) {
		after, _ := ts.App.Group(ctx, site, slug)
		if after.Group.Name != before.Group.Name || len(after.Facilitators) != len(before.Facilitators) {
			t.Fatalf("group changed: %q %v", after.Group.Name, after.Facilitators)
		}
		if _, err := ts.App.Organization(ctx, "sneaky-org"); hearth.ErrorKind(err) != hearth.NotFound {
			t.Fatalf("sneaky org exists: %v", err)
		}
		_, gs, _ := ts.App.OrganizationGroups(ctx, site, org)
		for _, g := range gs {
			if g.Slug == "sneaky-group" || strings.Contains(g.Name, "Sneaky") {
				t.Fatal("sneaky group exists")
			}
		}
		if v, err := ts.App.MyMembership(ctx, ts.Actor(t, ts.Token(t, member)), slug); err != nil || v.Membership == nil || v.Membership.Status != hearth.StatusActive {
			t.Fatalf("the member's membership changed: %v", err)
		}
		staff := ts.Actor(t, ts.Token(t, ts.SiteAdmin(t, "walk-site-admin")))
		if st, err := ts.App.RoomSettings(ctx, staff, slug); err != nil || st != hearth.DefaultRoomSettings {
			t.Fatalf("room settings changed: %+v %v", st, err)
		}
		if v, err := ts.App.Members(ctx, staff, slug); err != nil || v.Settings.Cap != 0 || len(v.Events) != 1 || len(v.Applicants)+len(v.Former) != 0 {
			t.Fatalf("seat settings, people or history changed: %v", err)
		}
		meetingsAfter, err := ts.App.Meetings(ctx, site, slug)
		if err != nil || len(meetingsAfter.Meetings) != len(meetingsBefore.Meetings) || meetingsAfter.Policy != meetingsBefore.Policy ||
			!meetingsAfter.Meetings[0].Meeting.UpdatedAt.Equal(meetingsBefore.Meetings[0].Meeting.UpdatedAt) ||
			len(meetingsAfter.Meetings[0].Exceptions) != 0 || len(meetingsAfter.Revoked) != 0 {
			t.Fatalf("meetings changed: %v", err)
		}
		admins, _ := ts.App.OrgAdmins(ctx, site, org)
		if len(admins) != 0 {
			t.Fatalf("admins added: %d", len(admins))
		}
	})
}
