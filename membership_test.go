package hearth

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func fieldsOf(err error) []string {
	e := AsError(err)
	if e == nil {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+":"+f.Code)
	}
	return out
}

func TestCohortRules(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2027, 1, d, 0, 0, 0, 0, time.UTC) }
	good := Cohort{Cap: 10, Sessions: 8, Opens: day(1), Closes: day(20), Starts: day(26), Ends: day(26).AddDate(0, 0, 50)}
	cases := []struct {
		name   string
		change func(c *Cohort)
		want   []string
	}{
		{"a cohort with a cap, sessions, a window and a start is valid", func(c *Cohort) {}, nil},
		{"a cap of one person is refused", func(c *Cohort) { c.Cap = 1 }, []string{"cap:out_of_range"}},
		{"no sessions is refused", func(c *Cohort) { c.Sessions = 0 }, []string{"sessions:out_of_range"}},
		{"a window that closes before it opens is refused", func(c *Cohort) { c.Closes = day(1) }, []string{"enrollment_window:order"}},
		{"a start before enrollment opens is refused", func(c *Cohort) { c.Starts = day(1).Add(-time.Hour) }, []string{"starts:order"}},
		{"an end before the start is refused", func(c *Cohort) { c.Ends = day(20) }, []string{"ends:order"}},
		{"missing dates are named", func(c *Cohort) { c.Opens, c.Starts, c.Ends = time.Time{}, time.Time{}, time.Time{} },
			[]string{"enrollment_window:required", "starts:required"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			tc.change(&c)
			if got := fieldsOf(c.Validate()); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("a cohort enrolls inside its window only, and starts at its first session", func(t *testing.T) {
		c := good
		if c.Enrolling(day(1).Add(-time.Second)) || !c.Enrolling(day(1)) || c.Enrolling(day(20)) {
			t.Fatal("window edges")
		}
		if c.Started(day(25)) || !c.Started(day(26)) {
			t.Fatal("start edge")
		}
		c.EndedAt = day(3)
		if c.Enrolling(day(5)) {
			t.Fatal("an ended cohort enrolls")
		}
	})
	t.Run("by default a cohort ends after its last weekly session", func(t *testing.T) {
		end := DefaultCohortEnd(day(5), 8, Schedule{Duration: 90})
		if want := day(5).AddDate(0, 0, 49).Add(90 * time.Minute); !end.Equal(want) {
			t.Fatalf("got %v, want %v", end, want)
		}
	})
}

func TestIntakeRules(t *testing.T) {
	t.Run("empty prompts are dropped and the rest numbered in order", func(t *testing.T) {
		qs := NormalizeIntake([]IntakeQuestion{{Prompt: " First? "}, {Prompt: "  "}, {Prompt: "Second?", Required: true}})
		if len(qs) != 2 || qs[0].Prompt != "First?" || qs[1].Position != 2 || !qs[1].Required {
			t.Fatalf("%+v", qs)
		}
	})
	many := make([]IntakeQuestion, MaxIntakeQuestions+1)
	for i := range many {
		many[i] = IntakeQuestion{Prompt: strings.Repeat("q", i+1)}
	}
	for _, tc := range []struct {
		name string
		qs   []IntakeQuestion
		want []string
	}{
		{"ten questions are allowed", many[:MaxIntakeQuestions], nil},
		{"an eleventh is refused", many, []string{"questions:too_many"}},
		{"a question asked twice is named", []IntakeQuestion{{Prompt: "Why?"}, {Prompt: "why?"}}, []string{"questions.2:duplicate"}},
		{"a very long question is named", []IntakeQuestion{{Prompt: "Ok?"}, {Prompt: strings.Repeat("x", MaxIntakePromptLen+1)}}, []string{"questions.2:too_long"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fieldsOf(ValidateIntake(tc.qs)); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	qs := []IntakeQuestion{{ID: 7, Prompt: "Who did you lose?", Required: true}, {ID: 9, Prompt: "Anything else?"}}
	for _, tc := range []struct {
		name    string
		answers map[int64]string
		want    []string
	}{
		{"a required answer given and an optional one left out is fine", map[int64]string{7: "My mother."}, nil},
		{"a required answer left out is named", map[int64]string{9: "x"}, []string{"answers.7:required"}},
		{"an answer over the limit is named", map[int64]string{7: strings.Repeat("é", MaxIntakeAnswerLen+1)}, []string{"answers.7:too_long"}},
		{"an answer to a question not asked is refused", map[int64]string{7: "ok", 8: "sneaky"}, []string{"answers.8:unknown"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fieldsOf(ValidateAnswers(qs, tc.answers)); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSeatRules(t *testing.T) {
	for _, tc := range []struct {
		name   string
		s      MembershipSettings
		policy Policy
		want   []string
	}{
		{"an open group may have no cap", MembershipSettings{Cap: 0, OfferHours: 48}, Open, nil},
		{"an open group may have a cap", MembershipSettings{Cap: 12, OfferHours: 1}, Open, nil},
		{"a negative cap is refused", MembershipSettings{Cap: -1, OfferHours: 48}, Open, []string{"cap:out_of_range"}},
		{"a closed group's cap lives on its cohort", MembershipSettings{Cap: 5, OfferHours: 48}, Closed, []string{"cap:closed_cap"}},
		{"an offer of no time is refused", MembershipSettings{OfferHours: 0}, Open, []string{"offer_hours:out_of_range"}},
		{"an offer of more than two weeks is refused", MembershipSettings{OfferHours: MaxOfferHours + 1}, Closed, []string{"offer_hours:out_of_range"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fieldsOf(tc.s.Validate(tc.policy)); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("a cap below the seated members says how many have a seat", func(t *testing.T) {
		e := AsError(CapBelowMembers("cap", 3, 5))
		if e.Kind != Invalid || e.Fields[0].Field != "cap" || !strings.Contains(e.Fields[0].Message, "5 members") {
			t.Fatalf("%+v", e)
		}
	})
	now := time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)
	t.Run("an offer is live until its deadline, for a waitlisted member only", func(t *testing.T) {
		m := Membership{Status: StatusWaitlisted, OfferExpires: now.Add(time.Hour)}
		if !m.HasOffer(now) || m.HasOffer(now.Add(time.Hour)) {
			t.Fatal("deadline edge")
		}
		m.Status = StatusActive
		if m.HasOffer(now) {
			t.Fatal("an active member holds an offer")
		}
	})
	t.Run("only active members with the member role take seats", func(t *testing.T) {
		for _, tc := range []struct {
			m    Membership
			want bool
		}{{Membership{Status: StatusActive, Role: RoleMember}, true}, {Membership{Status: StatusActive, Role: RoleFacilitator}, false},
			{Membership{Status: StatusWaitlisted, Role: RoleMember}, false}, {Membership{Status: StatusAlumni, Role: RoleMember}, false}} {
			if got := tc.m.TakesSeat(); got != tc.want {
				t.Errorf("%s %s: %v", tc.m.Status, tc.m.Role, got)
			}
		}
	})
	t.Run("an active member who accepted an older version of the guidelines must accept again", func(t *testing.T) {
		g := &Group{GuidelinesVersion: 3}
		if !(Membership{Status: StatusActive, GuidelinesVersion: 2}).MustAcceptGuidelines(g) ||
			(Membership{Status: StatusActive, GuidelinesVersion: 3}).MustAcceptGuidelines(g) ||
			(Membership{Status: StatusWaitlisted, GuidelinesVersion: 1}).MustAcceptGuidelines(g) {
			t.Fatal("wrong")
		}
	})
}
