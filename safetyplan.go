package hearth

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// SafetyPlan is a person's own safety plan, in the structure clinicians use
// (Stanley & Brown's Safety Planning Intervention): what tells me a crisis
// may be coming, what I can do on my own, who and where takes my mind off
// it, whom I can ask for help, which professionals and services I can call,
// how I make my surroundings safe, and what I live for. Every item is a
// short line the person wrote; nothing is required. Only its owner ever
// reads it: it is sealed under the person's own vault scope.
type SafetyPlan struct {
	WarningSigns     []string      `json:"warning_signs"`     // 1. thoughts, moods, situations that tell me a crisis may be coming
	Coping           []string      `json:"coping"`            // 2. things I can do on my own to take my mind off my problems
	Distractions     []string      `json:"distractions"`      // 3. people and places that distract me
	People           []PlanContact `json:"people"`            // 4. people I can ask for help
	Professionals    []PlanContact `json:"professionals"`     // 5. professionals and services I can contact in a crisis
	SafeSurroundings []string      `json:"safe_surroundings"` // 6. making my surroundings safe
	Reasons          []string      `json:"reasons"`           // 7. my reasons for living
}

// PlanContact is a person or a service in a safety plan: a name, and a
// phone number if the person wants one there.
type PlanContact struct {
	Name  string `json:"name"`
	Phone string `json:"phone,omitempty"`
}

// The sections of a safety plan, in the order clinicians use. The section
// keys are also the JSON field names and the form field names.
const (
	PlanWarningSigns     = "warning_signs"
	PlanCoping           = "coping"
	PlanDistractions     = "distractions"
	PlanPeople           = "people"
	PlanProfessionals    = "professionals"
	PlanSafeSurroundings = "safe_surroundings"
	PlanReasons          = "reasons"
)

// PlanSections lists the section keys in order.
func PlanSections() []string {
	return []string{PlanWarningSigns, PlanCoping, PlanDistractions, PlanPeople, PlanProfessionals, PlanSafeSurroundings, PlanReasons}
}

// PlanSectionHasContacts reports whether a section lists contacts (a name
// and a phone) rather than lines of text.
func PlanSectionHasContacts(section string) bool {
	return section == PlanPeople || section == PlanProfessionals
}

// Safety plan limits: short items (a plan is read in a hard moment, on a
// phone), a handful of each. A whole plan at its limits stays well inside
// the size of one form post.
const (
	MaxPlanItems      = 10  // items per section
	MaxPlanItemLen    = 300 // characters per line
	MaxPlanNameLen    = 100 // characters of a contact's name
	MaxPlanPhoneLen   = 32  // characters of a phone number, as written
	PlanVersionsKept  = 5   // saved versions kept; older ones are deleted for good
	planPhoneMinDigit = 2   // "112", "024": short numbers are real ones
)

// Lines returns the text items of a section that has no contacts (nil for
// a contacts section or an unknown key).
func (p *SafetyPlan) Lines(section string) []string {
	switch section {
	case PlanWarningSigns:
		return p.WarningSigns
	case PlanCoping:
		return p.Coping
	case PlanDistractions:
		return p.Distractions
	case PlanSafeSurroundings:
		return p.SafeSurroundings
	case PlanReasons:
		return p.Reasons
	}
	return nil
}

// Contacts returns the contacts of a contacts section (nil otherwise).
func (p *SafetyPlan) Contacts(section string) []PlanContact {
	switch section {
	case PlanPeople:
		return p.People
	case PlanProfessionals:
		return p.Professionals
	}
	return nil
}

// SetLines replaces a text section's items.
func (p *SafetyPlan) SetLines(section string, items []string) {
	switch section {
	case PlanWarningSigns:
		p.WarningSigns = items
	case PlanCoping:
		p.Coping = items
	case PlanDistractions:
		p.Distractions = items
	case PlanSafeSurroundings:
		p.SafeSurroundings = items
	case PlanReasons:
		p.Reasons = items
	}
}

// SetContacts replaces a contacts section's items.
func (p *SafetyPlan) SetContacts(section string, items []PlanContact) {
	switch section {
	case PlanPeople:
		p.People = items
	case PlanProfessionals:
		p.Professionals = items
	}
}

// Empty reports whether the plan has no item at all.
func (p *SafetyPlan) Empty() bool {
	for _, s := range PlanSections() {
		if len(p.Lines(s)) > 0 || len(p.Contacts(s)) > 0 {
			return false
		}
	}
	return true
}

// Count is the number of items in the whole plan.
func (p *SafetyPlan) Count() int {
	n := 0
	for _, s := range PlanSections() {
		n += len(p.Lines(s)) + len(p.Contacts(s))
	}
	return n
}

// Text is everything the person wrote, one item a line (a contact as
// "name phone"), for the safety screen. It is never stored as such.
func (p *SafetyPlan) Text() string {
	var b strings.Builder
	for _, s := range PlanSections() {
		for _, l := range p.Lines(s) {
			b.WriteString(l)
			b.WriteByte('\n')
		}
		for _, c := range p.Contacts(s) {
			b.WriteString(c.Name)
			if c.Phone != "" {
				b.WriteByte(' ')
				b.WriteString(c.Phone)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// Normalize trims every item, collapses runs of spaces inside it and drops
// empty items (a form sends several empty lines to fill in). A contact
// with a phone and no name keeps the phone: the name is then required by
// Validate, so nothing the person typed is silently lost.
func (p *SafetyPlan) Normalize() {
	for _, s := range PlanSections() {
		if PlanSectionHasContacts(s) {
			var out []PlanContact
			for _, c := range p.Contacts(s) {
				c.Name, c.Phone = strings.Join(strings.Fields(c.Name), " "), strings.Join(strings.Fields(c.Phone), " ")
				if c.Name != "" || c.Phone != "" {
					out = append(out, c)
				}
			}
			p.SetContacts(s, out)
			continue
		}
		var out []string
		for _, l := range p.Lines(s) {
			if l = strings.Join(strings.Fields(l), " "); l != "" {
				out = append(out, l)
			}
		}
		p.SetLines(s, out)
	}
}

// PlanItemField names one item of a section in field errors:
// "warning_signs[0]", "people[2].phone" (zero-based, as in the JSON).
func PlanItemField(section string, i int, part string) string {
	f := fmt.Sprintf("%s[%d]", section, i)
	if part != "" {
		f += "." + part
	}
	return f
}

// Validate checks a normalized plan: at most MaxPlanItems per section,
// items of valid text within their lengths, phone numbers made of digits
// and the usual separators. Every problem is reported, field by field.
func (p *SafetyPlan) Validate() error {
	var probs Problems
	for _, s := range PlanSections() {
		n := len(p.Lines(s)) + len(p.Contacts(s))
		if n > MaxPlanItems {
			probs.Add(s, "too_many", fmt.Sprintf("Keep at most %d items in this part of the plan.", MaxPlanItems), map[string]any{"Max": MaxPlanItems})
		}
		for i, l := range p.Lines(s) {
			checkPlanText(&probs, PlanItemField(s, i, ""), l, MaxPlanItemLen, i)
		}
		for i, c := range p.Contacts(s) {
			if c.Name == "" {
				probs.Add(PlanItemField(s, i, "name"), "name_required", fmt.Sprintf("Line %d has a phone number but no name: say whose number it is.", i+1), map[string]any{"N": i + 1})
			} else {
				checkPlanText(&probs, PlanItemField(s, i, "name"), c.Name, MaxPlanNameLen, i)
			}
			if c.Phone != "" && !validPlanPhone(c.Phone) {
				probs.Add(PlanItemField(s, i, "phone"), "phone", fmt.Sprintf("The phone number on line %d can hold only digits, spaces and + - ( ) . (at most %d characters).", i+1, MaxPlanPhoneLen),
					map[string]any{"N": i + 1, "Max": MaxPlanPhoneLen})
			}
		}
	}
	return probs.Err()
}

func checkPlanText(p *Problems, field, s string, max, i int) {
	switch {
	case !ValidText(s) || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }):
		p.Add(field, "invalid_text", fmt.Sprintf("Line %d contains characters that are not valid text.", i+1), map[string]any{"N": i + 1})
	case utf8.RuneCountInString(s) > max:
		p.Add(field, "too_long", fmt.Sprintf("Line %d is too long: keep it to %d characters.", i+1, max), map[string]any{"N": i + 1, "Max": max})
	}
}

func validPlanPhone(s string) bool {
	if len(s) > MaxPlanPhoneLen {
		return false
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '(', r == ')', r == '.':
		default:
			return false
		}
	}
	return digits >= planPhoneMinDigit
}

// PlanDial returns a phone number as a tel: link can dial it: the digits,
// with a leading + kept.
func PlanDial(phone string) string {
	var b strings.Builder
	for i, r := range phone {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}
