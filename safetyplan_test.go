package hearth

import (
	"slices"
	"strings"
	"testing"
)

func TestSafetyPlanNormalize(t *testing.T) {
	p := SafetyPlan{
		WarningSigns:  []string{"  I stop  answering\tmessages ", "", "   "},
		People:        []PlanContact{{Name: " Ana ", Phone: " +34 600  000 000 "}, {}, {Name: "", Phone: "555 0100"}},
		Professionals: []PlanContact{{Name: "   "}},
	}
	p.Normalize()
	if !slices.Equal(p.WarningSigns, []string{"I stop answering messages"}) {
		t.Errorf("warning signs: %q", p.WarningSigns)
	}
	want := []PlanContact{{Name: "Ana", Phone: "+34 600 000 000"}, {Phone: "555 0100"}}
	if !slices.Equal(p.People, want) {
		t.Errorf("people: %+v", p.People)
	}
	if p.Professionals != nil {
		t.Errorf("an empty contact is kept: %+v", p.Professionals)
	}
	if p.Empty() || p.Count() != 3 {
		t.Errorf("empty %v, count %d", p.Empty(), p.Count())
	}
}

func TestSafetyPlanValidate(t *testing.T) {
	many := make([]string, MaxPlanItems+1)
	for i := range many {
		many[i] = "a walk"
	}
	tests := []struct {
		name   string
		plan   SafetyPlan
		fields []string // field:code of each problem; none: valid
	}{
		{"an empty plan is valid", SafetyPlan{}, nil},
		{"a full plan at every limit is valid", SafetyPlan{
			WarningSigns:  many[:MaxPlanItems],
			Reasons:       []string{strings.Repeat("é", MaxPlanItemLen)},
			People:        []PlanContact{{Name: strings.Repeat("n", MaxPlanNameLen), Phone: "+1 (555) 010-0100"}},
			Professionals: []PlanContact{{Name: "024 — Línea de atención a la conducta suicida", Phone: "024"}},
		}, nil},
		{"too many items in a section are refused, naming the section", SafetyPlan{Coping: many}, []string{"coping:too_many"}},
		{"a line over the limit is refused, naming the line", SafetyPlan{Reasons: []string{"ok", strings.Repeat("x", MaxPlanItemLen+1)}}, []string{"reasons[1]:too_long"}},
		{"a control character is refused", SafetyPlan{Distractions: []string{"bell\x07"}}, []string{"distractions[0]:invalid_text"}},
		{"invalid UTF-8 is refused", SafetyPlan{SafeSurroundings: []string{"\xff"}}, []string{"safe_surroundings[0]:invalid_text"}},
		{"a phone without a name asks for the name", SafetyPlan{People: []PlanContact{{Phone: "555 0100"}}}, []string{"people[0].name:name_required"}},
		{"a phone with letters is refused", SafetyPlan{People: []PlanContact{{Name: "Ana", Phone: "call me"}}}, []string{"people[0].phone:phone"}},
		{"a phone with one digit is refused", SafetyPlan{Professionals: []PlanContact{{Name: "X", Phone: "+1"}}}, []string{"professionals[0].phone:phone"}},
		{"a plus sign inside a number is refused", SafetyPlan{Professionals: []PlanContact{{Name: "X", Phone: "555+0100"}}}, []string{"professionals[0].phone:phone"}},
		{"a phone over the limit is refused", SafetyPlan{People: []PlanContact{{Name: "Ana", Phone: strings.Repeat("1", MaxPlanPhoneLen+1)}}}, []string{"people[0].phone:phone"}},
		{"a long name is refused", SafetyPlan{People: []PlanContact{{Name: strings.Repeat("n", MaxPlanNameLen+1)}}}, []string{"people[0].name:too_long"}},
		{"every problem is reported at once", SafetyPlan{Coping: many, People: []PlanContact{{Phone: "x"}}},
			[]string{"coping:too_many", "people[0].name:name_required", "people[0].phone:phone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.plan.Validate()
			if got := fieldsOf(err); !slices.Equal(got, tt.fields) {
				t.Fatalf("fields %q, want %q (%v)", got, tt.fields, err)
			}
			if tt.fields != nil && ErrorKind(err) != Invalid {
				t.Fatalf("kind %v", ErrorKind(err))
			}
		})
	}
}

func TestSafetyPlanText(t *testing.T) {
	p := SafetyPlan{WarningSigns: []string{"not sleeping"}, People: []PlanContact{{Name: "Ana", Phone: "555"}, {Name: "Luis"}}, Reasons: []string{"my dog"}}
	if got, want := p.Text(), "not sleeping\nAna 555\nLuis\nmy dog\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestPlanDial(t *testing.T) {
	for in, want := range map[string]string{"+1 (555) 010-0100": "+15550100100", "024": "024", "0800 543 354": "0800543354", "1.800.273": "1800273"} {
		if got := PlanDial(in); got != want {
			t.Errorf("PlanDial(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSafetyPlanSectionsAreOrderedAndAccessible(t *testing.T) {
	var p SafetyPlan
	for _, s := range PlanSections() {
		if PlanSectionHasContacts(s) {
			p.SetContacts(s, []PlanContact{{Name: s}})
			if got := p.Contacts(s); len(got) != 1 || got[0].Name != s || p.Lines(s) != nil {
				t.Errorf("%s: contacts %v lines %v", s, got, p.Lines(s))
			}
			continue
		}
		p.SetLines(s, []string{s})
		if got := p.Lines(s); len(got) != 1 || got[0] != s || p.Contacts(s) != nil {
			t.Errorf("%s: lines %v contacts %v", s, got, p.Contacts(s))
		}
	}
	if p.Count() != 7 {
		t.Fatalf("count %d: a section's setter and getter disagree", p.Count())
	}
}
