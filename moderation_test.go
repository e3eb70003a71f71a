package hearth

import "testing"

func TestContainsLink(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"read this https://example.org/cure", true},
		{"HTTP://SHOUTING.EXAMPLE", true},
		{"go to www.miracle-cure.com now", true},
		{"buy at cheap-pills.shop today", true},
		{"mi web es ayuda.es/grupo", true},
		{"I felt better after the walk.", false},
		{"Dr. Smith said 2.5 mg, e.g. twice a day.", false},
		{"me siento mejor, gracias.ok", false},
		{"", false},
	} {
		t.Run(c.text, func(t *testing.T) {
			if got := ContainsLink(c.text); got != c.want {
				t.Fatalf("ContainsLink(%q) = %v, want %v", c.text, got, c.want)
			}
		})
	}
}

func TestCheckLabelURL(t *testing.T) {
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"https://www.nimh.nih.gov/health/topics/anxiety-disorders", true},
		{"https://www.who.int/es/news-room/fact-sheets", true},
		{"http://www.who.int/", false},
		{"javascript:alert(1)", false},
		{"https://user:pw@who.int/", false},
		{"https://localhost/x", false},
		{"https://who.int/a b", false},
		{"", false},
	} {
		t.Run(c.url, func(t *testing.T) {
			if got := CheckLabelURL(c.url) == ""; got != c.ok {
				t.Fatalf("CheckLabelURL(%q) ok = %v, want %v", c.url, got, c.ok)
			}
		})
	}
}

func TestModerationInputs(t *testing.T) {
	fieldOf := func(err error) string {
		if e := AsError(err); e != nil && len(e.Fields) > 0 {
			return e.Fields[0].Field
		}
		return ""
	}
	for _, c := range []struct {
		name  string
		err   error
		field string
	}{
		{"a report needs a known reason", (&ReportInput{Subject: Subject{Kind: SubjectMember, ID: 1}, Reason: "rude"}).Validate(), "reason"},
		{"a report of something else needs a note", (&ReportInput{Subject: Subject{Kind: SubjectMember, ID: 1}, Reason: ReasonOther}).Validate(), "note"},
		{"a report needs a subject", (&ReportInput{Subject: Subject{Kind: "thing", ID: 1}, Reason: ReasonSpam}).Validate(), "subject"},
		{"a crisis concern needs no note", (&ReportInput{Subject: Subject{Kind: SubjectMember, ID: 1}, Reason: ReasonCrisisConcern}).Validate(), ""},
		{"a mute has a length", (&ActionInput{Kind: ActionMute, Reason: ActionReasonSpam, Minutes: 5}).Validate(), "minutes"},
		{"a label needs an https link", (&ActionInput{Kind: ActionLabel, Reason: ActionReasonMisinformation, LabelURL: "http://x.org"}).Validate(), "label_url"},
		{"a warning is fine with a reason alone", (&ActionInput{Kind: ActionWarn, Reason: ActionReasonGuidelines}).Validate(), ""},
		{"an appeal needs words", ValidateAppeal("   "), "note"},
		{"new members cannot post more often than others", (&ModerationSettings{NewMemberDays: 7, NewMemberPostsPerHour: 10, PostsPerHour: 5}).Validate(), "new_member_posts_per_hour"},
		{"the default rules are valid", (&ModerationSettings{NewMemberDays: 7, NewMemberPostsPerHour: 5, PostsPerHour: 60}).Validate(), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := fieldOf(c.err); got != c.field || (c.field == "" && c.err != nil) {
				t.Fatalf("got %v (field %q), want field %q", c.err, got, c.field)
			}
		})
	}
}
