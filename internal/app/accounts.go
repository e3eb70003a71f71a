package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
)

// Session lifetimes for a signed-in browser (staff have shorter ones:
// StaffSessionIdle, StaffSessionAbsolute).
const (
	SessionIdle     = 14 * 24 * time.Hour
	SessionAbsolute = 30 * 24 * time.Hour
)

// SignUp creates an account and returns it with a one-time recovery code:
// the only way back in for someone who gave no email. addr is the client's
// address, for rate limiting only.
func (a *App) SignUp(ctx context.Context, s hearth.SignUp, addr string) (*hearth.User, string, error) {
	if err := s.Validate(); err != nil {
		return nil, "", err
	}
	if ok, wait := a.signUpByAddress.Allow(addr); !ok {
		return nil, "", tooMany(wait)
	}
	return a.createUser(ctx, &hearth.User{Handle: s.Handle, Email: s.Email, Locale: s.Locale}, s.Password)
}

// CreateUser makes an account outside the sign-up page (the admin command),
// optionally a site admin.
func (a *App) CreateUser(ctx context.Context, handle, email, pw string, siteAdmin bool) (*hearth.User, string, error) {
	s := hearth.SignUp{Handle: handle, Email: email, Password: pw, PasswordConfirm: pw}
	if err := s.Validate(); err != nil {
		return nil, "", err
	}
	return a.createUser(ctx, &hearth.User{Handle: s.Handle, Email: s.Email, SiteAdmin: siteAdmin}, s.Password)
}

func (a *App) createUser(ctx context.Context, u *hearth.User, pw string) (*hearth.User, string, error) {
	hash, err := password.Hash(pw, a.pw)
	if err != nil {
		return nil, "", err
	}
	code, codeHash := newRecoveryCode()
	if err := a.db.CreateUser(ctx, u, sqldb.Credentials{PasswordHash: hash, RecoveryHash: codeHash}); err != nil {
		return nil, "", err
	}
	a.log.Info("account created", "user_id", u.ID, "with_email", u.Email != "", "site_admin", u.SiteAdmin)
	return u, code, nil
}

func tooMany(wait time.Duration) error {
	mins := int(wait.Minutes()) + 1
	return &hearth.Error{Kind: hearth.TooMany, Code: "too_many",
		Message: fmt.Sprintf("Too many attempts. Please wait %d minutes and try again.", mins)}
}

var errSignIn = &hearth.Error{Kind: hearth.Unauthorized, Code: "sign_in_failed", Message: "That handle or email and password do not match an account."}

// SignIn checks a handle (or email) and password, for callers that sign in
// in one step (API tokens). An account with a second factor is refused with
// second_factor_needed: it signs in on the web (SignInStart, SignInSecond).
func (a *App) SignIn(ctx context.Context, login, pw, addr string) (*hearth.User, error) {
	u, pending, err := a.SignInStart(ctx, login, pw, addr)
	if err != nil {
		return nil, err
	}
	if pending != "" {
		_ = a.db.DeletePendingSignIn(ctx, hashToken(pending))
		return nil, errSecondFactorNeeded
	}
	return u, nil
}

// checkPassword checks a handle (or email) and password. Whether or not the
// account exists, it answers the same and takes the same time. Failures are
// limited per account and per address.
func (a *App) checkPassword(ctx context.Context, login, pw, addr string) (*hearth.User, error) {
	login = strings.ToLower(strings.TrimSpace(login))
	if login == "" || pw == "" || len(login) > 254 || len(pw) > hearth.MaxPasswordLen || !hearth.ValidText(login) {
		return nil, errSignIn
	}
	accountKey := "account:" + login
	if blocked, wait := a.signInByAccount.Blocked(accountKey); blocked {
		return nil, tooMany(wait)
	}
	if blocked, wait := a.signInByAddress.Blocked("addr:" + addr); blocked {
		return nil, tooMany(wait)
	}
	var (
		u   *hearth.User
		c   sqldb.Credentials
		err error
	)
	if strings.Contains(login, "@") {
		u, c, err = a.db.UserByEmail(ctx, login)
	} else {
		u, c, err = a.db.UserByHandle(ctx, login)
	}
	if err != nil && hearth.ErrorKind(err) != hearth.NotFound {
		return nil, err
	}
	hash := a.fake
	if u != nil {
		hash = c.PasswordHash
	}
	ok, herr := password.Check(pw, hash)
	if herr != nil {
		return nil, fmt.Errorf("check password of %d: %w", u.ID, herr)
	}
	if u == nil || !ok {
		a.signInByAccount.Add(accountKey)
		a.signInByAddress.Add("addr:" + addr)
		return nil, errSignIn
	}
	a.signInByAccount.Reset(accountKey)
	return u, nil
}

// Recover lets a person who lost their password in with their recovery
// code: it sets the new password, ends every session and returns a new
// recovery code (each code works once).
func (a *App) Recover(ctx context.Context, handle, code, newPassword, confirm, addr string) (*hearth.User, string, error) {
	if ok, wait := a.recoverByAddr.Allow(addr); !ok {
		return nil, "", tooMany(wait)
	}
	var p hearth.Problems
	if err := hearth.ValidatePassword("password", newPassword); err != nil {
		p = append(p, hearth.AsError(err).Fields...)
	}
	if newPassword != confirm {
		p.Add("password_confirm", "mismatch", "The two passwords are not the same.", nil)
	}
	if err := p.Err(); err != nil {
		return nil, "", err
	}
	fail := &hearth.Error{Kind: hearth.Unauthorized, Code: "recovery_failed", Message: "That handle and recovery code do not match."}
	u, c, err := a.db.UserByHandle(ctx, hearth.NormalizeHandle(handle))
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, "", fail
	}
	if err != nil {
		return nil, "", err
	}
	if c.RecoveryHash == "" || hashRecoveryCode(code) != c.RecoveryHash {
		return nil, "", fail
	}
	hash, err := password.Hash(newPassword, a.pw)
	if err != nil {
		return nil, "", err
	}
	newCode, newHash := newRecoveryCode()
	if err := a.db.SetCredentials(ctx, u.ID, sqldb.Credentials{PasswordHash: hash, RecoveryHash: newHash}); err != nil {
		return nil, "", err
	}
	a.log.Info("account recovered", "user_id", u.ID)
	return u, newCode, nil
}

var recoveryEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newRecoveryCode returns a 100-bit code shown once, as XXXXX-XXXXX-XXXXX-XXXXX,
// and the hash that is stored.
func newRecoveryCode() (string, string) {
	b := make([]byte, 13)
	rand.Read(b)
	s := recoveryEncoding.EncodeToString(b)[:20]
	code := s[0:5] + "-" + s[5:10] + "-" + s[10:15] + "-" + s[15:20]
	return code, hashRecoveryCode(code)
}

// hashRecoveryCode hashes a recovery code as the person may type or paste
// it: any case, with or without its dashes, with spaces, tabs or line
// breaks anywhere.
func hashRecoveryCode(code string) string {
	c := strings.ToUpper(strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, code))
	sum := sha256.Sum256([]byte("hearth-recovery:" + c))
	return hex.EncodeToString(sum[:])
}

// newToken returns a random 256-bit token and the hash that is stored.
func newToken(prefix string) (string, string) {
	b := make([]byte, 32)
	rand.Read(b)
	t := prefix + base64.RawURLEncoding.EncodeToString(b)
	return t, hashToken(t)
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// StartSession signs a browser in and returns the cookie's token (only its
// hash is stored) and when the session ends at the latest: its absolute
// lifetime, which is the cookie's. The idle expiry slides with use and is
// the server's to enforce, so a person active every day is not signed out
// when the first idle period would have run out.
// The session has not passed a second factor (StartSessionWith says).
func (a *App) StartSession(ctx context.Context, userID int64) (string, time.Time, error) {
	return a.StartSessionWith(ctx, userID, SessionStart{})
}

// SessionActor returns who a session token belongs to, sliding its idle
// expiry within its absolute lifetime.
func (a *App) SessionActor(ctx context.Context, token string) (hearth.Actor, *hearth.User, error) {
	return a.SessionActorFrom(ctx, token, "")
}

// SessionActorFrom is SessionActor noting the browser's family (AgentFamily)
// when it records activity. Staff sessions (site admins, organization
// admins, facilitators) end after 30 idle minutes and 12 hours whatever
// their activity; everyone else's after 14 idle days and 30 days. Staff
// roles count only when the session passed a second factor
// (hearth.Actor.RequireSecondFactor).
func (a *App) SessionActorFrom(ctx context.Context, token, agent string) (hearth.Actor, *hearth.User, error) {
	if token == "" || len(token) > 100 {
		return hearth.Anonymous, nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	now := a.now().UTC()
	s, u, err := a.db.SessionByHash(ctx, hashToken(token), now)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return hearth.Anonymous, nil, hearth.Errorf(hearth.Unauthorized, "Your session has ended; please sign in again.")
	}
	if err != nil {
		return hearth.Anonymous, nil, err
	}
	actor, err := a.db.Roles(ctx, u)
	if err != nil {
		return hearth.Anonymous, nil, err
	}
	idle, absolute := sessionLimits(a.staffRules() && actor.Staff())
	if now.Sub(s.LastSeen) > idle || !now.Before(s.Created.Add(absolute)) {
		if err := a.db.DeleteSession(ctx, s.TokenHash); err != nil {
			a.log.Warn("end session", "err", err)
		}
		return hearth.Anonymous, nil, hearth.Errorf(hearth.Unauthorized, "Your session has ended; please sign in again.")
	}
	if now.Sub(s.LastSeen) > time.Minute || (agent != "" && agent != s.Agent) || s.Expires.After(s.Created.Add(absolute)) {
		exp := now.Add(idle)
		if abs := s.Created.Add(absolute); exp.After(abs) {
			exp = abs
		}
		if agent == "" {
			agent = s.Agent
		}
		if err := a.db.TouchSessionAgent(ctx, s.TokenHash, now, exp, agent); err != nil {
			a.log.Warn("touch session", "err", err)
		}
	}
	actor.SecondFactor = s.SecondFactor
	if !a.staffRules() {
		return actor, u, nil
	}
	return actor.RequireSecondFactor(), u, nil
}

// EndSession signs the browser out.
func (a *App) EndSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return a.db.DeleteSession(ctx, hashToken(token))
}

// TokenPrefix starts every personal access token, so that leaked tokens can
// be recognised by secret scanners.
const TokenPrefix = "hearth_pat_"

// CreateToken makes a personal access token for the API and returns it once.
func (a *App) CreateToken(ctx context.Context, actor hearth.Actor, name string) (string, *sqldb.Token, error) {
	if !actor.SignedIn() {
		return "", nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	name = strings.TrimSpace(name)
	if n := len([]rune(name)); n < 1 || n > 60 {
		return "", nil, &hearth.Error{Kind: hearth.Invalid, Code: "invalid", Message: "Please correct the highlighted fields.",
			Fields: []hearth.FieldError{{Field: "name", Code: "length", Message: "Name the token in 1 to 60 characters, like “my script”.", Params: map[string]any{"Min": 1, "Max": 60}}}}
	}
	token, hash := newToken(TokenPrefix)
	// A token carries the second factor of the sign-in that made it: a
	// staff member's token has staff powers only when made in a session
	// that passed the second factor.
	t, err := a.db.CreateTokenWith(ctx, actor.UserID, name, hash, actor.SecondFactor)
	if err != nil {
		return "", nil, err
	}
	a.log.Info("api token created", "user_id", actor.UserID, "token_id", t.ID)
	return token, t, nil
}

// Tokens lists the actor's active tokens (never the tokens themselves).
func (a *App) Tokens(ctx context.Context, actor hearth.Actor) ([]sqldb.Token, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	return a.db.Tokens(ctx, actor.UserID)
}

// RevokeToken revokes one of the actor's tokens.
func (a *App) RevokeToken(ctx context.Context, actor hearth.Actor, id int64) error {
	if !actor.SignedIn() {
		return hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	return a.db.RevokeToken(ctx, actor.UserID, id)
}

// TokenActor returns who a bearer token belongs to.
func (a *App) TokenActor(ctx context.Context, token string) (hearth.Actor, *hearth.User, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 100 {
		return hearth.Anonymous, nil, hearth.Errorf(hearth.Unauthorized, "The access token is not valid.")
	}
	u, secondFactor, err := a.db.UserByTokenHash(ctx, hashToken(token))
	if hearth.ErrorKind(err) == hearth.NotFound {
		return hearth.Anonymous, nil, hearth.Errorf(hearth.Unauthorized, "The access token is not valid or was revoked.")
	}
	if err != nil {
		return hearth.Anonymous, nil, err
	}
	actor, err := a.db.Roles(ctx, u)
	if err != nil {
		return hearth.Anonymous, nil, err
	}
	actor.SecondFactor = secondFactor
	if !a.staffRules() {
		return actor, u, nil
	}
	return actor.RequireSecondFactor(), u, nil
}

// User returns the actor's own account.
func (a *App) User(ctx context.Context, actor hearth.Actor) (*hearth.User, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	return a.db.User(ctx, actor.UserID)
}

// SetPreferences stores the actor's language and time zone.
func (a *App) SetPreferences(ctx context.Context, actor hearth.Actor, locale, zone string) error {
	if !actor.SignedIn() {
		return hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	var p hearth.Problems
	if locale != "" && locale != "en" && locale != "es" {
		p.Add("locale", "unknown", "Choose English or Spanish.", map[string]any{"Value": hearth.Clip(locale)})
	}
	if zone != "" {
		if _, err := time.LoadLocation(zone); err != nil || zone == "Local" || len(zone) > 64 {
			p.Add("time_zone", "unknown", "Choose a time zone from the list.", map[string]any{"Value": hearth.Clip(zone)})
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	return a.db.SetPreferences(ctx, actor.UserID, locale, zone)
}

// DeleteExpiredSessions removes sessions past their lifetime.
func (a *App) DeleteExpiredSessions(ctx context.Context) error {
	_, err := a.db.DeleteExpiredSessions(ctx, a.now())
	return err
}

// MyGroups lists the groups the actor belongs to or applied to, under the
// pseudonym they use in each.
func (a *App) MyGroups(ctx context.Context, actor hearth.Actor) ([]sqldb.MyGroup, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	return a.db.MembershipsOf(ctx, actor.UserID)
}

// OutboxStats is what operators see of the email outbox: how many messages
// wait, are being sent, were sent (kept 30 days) and failed for good. It
// counts only; no address, subject or recipient is ever part of it.
type OutboxStats struct {
	Pending, Sending, Sent, Failed int
	// OldestPending is how long the longest-waiting pending message has
	// waited (0 when none waits).
	OldestPending time.Duration
}

// OutboxStats counts the outbox's messages by status (for /metrics).
func (a *App) OutboxStats(ctx context.Context) (OutboxStats, error) {
	n, err := a.db.OutboxCounts(ctx)
	if err != nil {
		return OutboxStats{}, err
	}
	st := OutboxStats{Pending: n[sqldb.MailPending], Sending: n[sqldb.MailSending], Sent: n[sqldb.MailSent], Failed: n[sqldb.MailFailed]}
	oldest, ok, err := a.db.OldestPendingMail(ctx)
	if err != nil {
		return OutboxStats{}, err
	}
	if ok {
		st.OldestPending = max(a.now().Sub(oldest), 0)
	}
	return st, nil
}
