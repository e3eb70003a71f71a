package hearth

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// User is an account. Many members give no email: Handle is all we know.
type User struct {
	ID        int64     `json:"id"`
	Handle    string    `json:"handle"`
	Email     string    `json:"email,omitempty"`
	SiteAdmin bool      `json:"site_admin"`
	Locale    string    `json:"locale,omitempty"`
	TimeZone  string    `json:"time_zone,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

var handleRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9_.-]{1,30})[a-z0-9]$`)

// NormalizeHandle lower-cases and trims a handle.
func NormalizeHandle(h string) string { return strings.ToLower(strings.TrimSpace(h)) }

// Password limits. Long passphrases are welcome; the upper bound only stops
// abuse of the hash.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// SignUp is what a person gives to make an account.
type SignUp struct {
	Handle          string
	Email           string // optional
	Password        string
	PasswordConfirm string
	Locale          string
}

// Validate checks a sign-up.
func (s *SignUp) Validate() error {
	var p Problems
	s.Handle = NormalizeHandle(s.Handle)
	s.Email = strings.TrimSpace(s.Email)
	if !handleRE.MatchString(s.Handle) || !ValidText(s.Email) {
		p.Add("handle", "handle", "Choose a handle of 3–32 letters, digits, dots, dashes or underscores, starting and ending with a letter or digit. It need not be your real name.", nil)
	}
	if s.Email != "" {
		a, err := mail.ParseAddress(s.Email)
		if err != nil || a.Address != s.Email || len(s.Email) > 254 {
			p.Add("email", "email", "That does not look like an email address. You can also leave it empty.", nil)
		}
	}
	checkPassword(&p, "password", s.Password)
	if s.PasswordConfirm != s.Password {
		p.Add("password_confirm", "mismatch", "The two passwords are not the same.", nil)
	}
	return p.Err()
}

func checkPassword(p *Problems, field, pw string) {
	n := utf8.RuneCountInString(pw)
	switch {
	case !ValidText(pw):
		p.Add(field, "invalid_text", "The password contains characters that are not valid text.", nil)
	case n < MinPasswordLen:
		p.Add(field, "too_short", fmt.Sprintf("Use at least %d characters; a few words you will remember work well.", MinPasswordLen), map[string]any{"Min": MinPasswordLen})
	case len(pw) > MaxPasswordLen:
		p.Add(field, "too_long", fmt.Sprintf("Use at most %d characters.", MaxPasswordLen), map[string]any{"Max": MaxPasswordLen})
	}
}

// ValidatePassword checks a new password on its own.
func ValidatePassword(field, pw string) error {
	var p Problems
	checkPassword(&p, field, pw)
	return p.Err()
}

// Role of a member inside one group.
type Role string

// The roles.
const (
	RoleMember        Role = "member"
	RoleFacilitator   Role = "facilitator"
	RoleCoFacilitator Role = "co_facilitator"
)

// MembershipStatus is where a person stands with a group.
type MembershipStatus string

// The statuses.
const (
	StatusApplicant  MembershipStatus = "applicant"
	StatusWaitlisted MembershipStatus = "waitlisted"
	StatusActive     MembershipStatus = "active"
	StatusAlumni     MembershipStatus = "alumni"
	StatusRemoved    MembershipStatus = "removed"
	StatusBanned     MembershipStatus = "banned"
)

// Membership ties a person to a group under a pseudonym.
type Membership struct {
	ID                int64            `json:"id"`
	GroupID           int64            `json:"group_id"`
	UserID            int64            `json:"-"`
	Role              Role             `json:"role"`
	Status            MembershipStatus `json:"status"`
	Pseudonym         string           `json:"pseudonym"`
	GuidelinesVersion int              `json:"guidelines_version"`
	JoinedAt          time.Time        `json:"joined_at"`

	// Membership rules (membership.go).
	CohortID          int64     `json:"cohort_id,omitempty"`          // the cohort of a closed group's member
	ShareEmail        bool      `json:"share_email"`                  // facilitators may see the account's email
	CommittedSessions int       `json:"committed_sessions,omitempty"` // sessions accepted at application
	WaitlistSeq       int64     `json:"-"`                            // order in line (first come, first served)
	WaitlistedAt      time.Time `json:"waitlisted_at,omitzero"`
	OfferExpires      time.Time `json:"offer_expires,omitzero"` // a seat is held until then
	StatusAt          time.Time `json:"status_at,omitzero"`     // when the status last changed
	DecidedAt         time.Time `json:"decided_at,omitzero"`    // when an application was decided
	SealedDecision    []byte    `json:"-"`                      // the facilitators' message, sealed
}

// Leads reports whether the membership leads the group.
func (m Membership) Leads() bool {
	return m.Status == StatusActive && (m.Role == RoleFacilitator || m.Role == RoleCoFacilitator)
}

// NormalizePseudonym trims and collapses spaces in a pseudonym.
func NormalizePseudonym(s string) string { return strings.Join(strings.Fields(s), " ") }

// ValidatePseudonym checks the name a member will be known by in a group.
func ValidatePseudonym(s string) error {
	var p Problems
	n := utf8.RuneCountInString(s)
	switch {
	case !ValidText(s):
		p.Add("pseudonym", "invalid_text", "The name contains characters that are not valid text.", nil)
	case n < 2 || n > 40:
		p.Add("pseudonym", "length", "Choose a name of 2 to 40 characters. It need not be your real name.", map[string]any{"Min": 2, "Max": 40})
	default:
		for _, r := range s {
			if r < ' ' || r == '<' || r == '>' || r == 0x7f {
				p.Add("pseudonym", "characters", "Use letters, digits, spaces and simple punctuation.", nil)
				break
			}
		}
	}
	return p.Err()
}

// Actor is who is asking: an account with its roles, or nobody.
type Actor struct {
	UserID       int64
	Handle       string
	SiteAdmin    bool
	OrgAdminOf   []int64 // organization ids
	FacilitateOf []int64 // group ids where the actor is an active facilitator or co-facilitator
	MemberOf     []int64 // group ids where the actor is an active member of any role

	// SecondFactor: this sign-in (session or token) passed the account's
	// second factor.
	SecondFactor bool
	// StaffWithheld: the account is staff (site admin, organization admin
	// or facilitator) but this sign-in has not passed a second factor, so
	// its staff roles were left out of SiteAdmin, OrgAdminOf and
	// FacilitateOf (see RequireSecondFactor).
	StaffWithheld bool
}

// Anonymous is nobody signed in.
var Anonymous = Actor{}

// SignedIn reports whether the actor has an account.
func (a Actor) SignedIn() bool { return a.UserID != 0 }

// Staff reports whether the actor holds a role that sees more than a
// member: site admin, organization admin or facilitator of a group.
func (a Actor) Staff() bool {
	return a.SiteAdmin || len(a.OrgAdminOf) > 0 || len(a.FacilitateOf) > 0
}

// RequireSecondFactor is the one place staff powers depend on a second
// factor: it returns the actor without its staff roles (and with
// StaffWithheld set) unless this sign-in passed one. The session and token
// layers call it on every actor they build, so every permission —
// the methods below and any check reading the role lists — refuses staff
// powers to a sign-in without a second factor, whatever the route.
func (a Actor) RequireSecondFactor() Actor {
	if a.SecondFactor || !a.Staff() {
		return a
	}
	a.SiteAdmin, a.OrgAdminOf, a.FacilitateOf = false, nil, nil
	a.StaffWithheld = true
	return a
}

// ErrSecondFactorRequired is the answer to a staff member whose sign-in has
// not passed a second factor.
var ErrSecondFactorRequired = Coded(Forbidden, "second_factor_required",
	"Staff must use a second factor: set one up (or enter its code) on your account's security page, then try again.")

// AdministersOrg reports whether the actor may manage the organization.
func (a Actor) AdministersOrg(orgID int64) bool {
	return a.SiteAdmin || slices.Contains(a.OrgAdminOf, orgID)
}

// CanCreateOrganization: site admins only.
func (a Actor) CanCreateOrganization() bool { return a.SiteAdmin }

// CanCreateGroup: the organization's admins.
func (a Actor) CanCreateGroup(orgID int64) bool { return a.AdministersOrg(orgID) }

// CanEditGroup: the organization's admins and the group's facilitators.
func (a Actor) CanEditGroup(g *Group) bool {
	return a.AdministersOrg(g.OrgID) || slices.Contains(a.FacilitateOf, g.ID)
}

// CanAppointFacilitators: the organization's admins.
func (a Actor) CanAppointFacilitators(g *Group) bool { return a.AdministersOrg(g.OrgID) }

// CanSeeGroup: listed and unlisted groups are public; private groups only
// to their members and the people who run them.
func (a Actor) CanSeeGroup(g *Group) bool {
	if g.Visibility != Private {
		return true
	}
	return a.CanEditGroup(g) || slices.Contains(a.MemberOf, g.ID)
}
