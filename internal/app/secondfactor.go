package app

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

// The second factor: TOTP (RFC 6238) with SHA-1, 6 digits and 30-second
// steps, a code accepted one step early or late, never twice. The secret is
// sealed under the person's own vault scope and never logged.
const (
	totpDigits  = 6
	totpPeriod  = 30
	totpSkew    = 1
	totpIssuer  = "Hearth"
	secretBytes = 20 // 160 bits, as RFC 4226 recommends

	// RecoveryCodeCount is how many single-use codes a second factor has.
	RecoveryCodeCount = 10
	// PendingSignIn is how long the second step of a sign-in may take.
	PendingSignIn = 5 * time.Minute
	// pendingAttempts is how many codes one pending sign-in may try.
	pendingAttempts = 5

	// Session lifetimes for staff (site admins, organization admins,
	// facilitators): they see the most.
	StaffSessionIdle     = 30 * time.Minute
	StaffSessionAbsolute = 12 * time.Hour
)

var secretEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// totpCode is the RFC 4226 HOTP value of a counter (the RFC 6238 step).
func totpCode(secret []byte, step int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, v%1000000)
}

// TOTPCode is the code an authenticator app shows at a time for a secret
// (base32, as shown at set-up); for tests and tools.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := secretEncoding.DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		return "", err
	}
	return totpCode(key, totpStep(t)), nil
}

// totpStep is the 30-second step of a time.
func totpStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// matchTOTP returns the step within the allowed skew whose code is the one
// given, comparing in constant time.
func matchTOTP(secret []byte, code string, now time.Time) (int64, bool) {
	cur := totpStep(now)
	found, ok := int64(0), false
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		if subtle.ConstantTimeCompare([]byte(totpCode(secret, cur+d)), []byte(code)) == 1 {
			found, ok = cur+d, true
		}
	}
	return found, ok
}

// normalizeCode drops spaces and dashes people type or paste.
func normalizeCode(c string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(c)))
}

func isTOTPCode(c string) bool {
	if len(c) != totpDigits {
		return false
	}
	for _, r := range c {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func totpAD(userID int64) string { return "second_factor:user=" + strconv.FormatInt(userID, 10) }

var (
	errCodeWrong = &hearth.Error{Kind: hearth.Unauthorized, Code: "second_factor_failed", Message: "That code is not right, or was already used. Enter the current code from your app, or one of your recovery codes.",
		Fields: []hearth.FieldError{{Field: "code", Code: "wrong", Message: "Enter the 6-digit code your app shows now, or one of your recovery codes."}}}
	errNoSecondFactor     = hearth.Coded(hearth.Conflict, "second_factor_off", "You have no second factor turned on.")
	errSignInExpired      = hearth.Coded(hearth.Unauthorized, "sign_in_expired", "That sign-in took too long or had too many tries; please sign in again.")
	errSecondFactorNeeded = hearth.Coded(hearth.Unauthorized, "second_factor_needed",
		"This account uses a second factor. Sign in on the web with your code, then create a token on your account's security page.")
)

// TOTPSetup is what a person copies into their authenticator app.
type TOTPSetup struct {
	Secret string // base32, without padding
	URI    string // otpauth://totp/…
}

func totpSetup(handle string, secret []byte) *TOTPSetup {
	s := secretEncoding.EncodeToString(secret)
	label := url.PathEscape(totpIssuer + ":" + handle)
	q := url.Values{"secret": {s}, "issuer": {totpIssuer}, "algorithm": {"SHA1"}, "digits": {strconv.Itoa(totpDigits)}, "period": {strconv.Itoa(totpPeriod)}}
	return &TOTPSetup{Secret: s, URI: "otpauth://totp/" + label + "?" + q.Encode()}
}

// SecondFactorState is what the security page shows of a person's second
// factor.
type SecondFactorState struct {
	On        bool
	Since     time.Time
	CodesLeft int
	// Setup is the secret being set up (not yet confirmed), if any.
	Setup *TOTPSetup
}

// SecondFactor returns the actor's second factor as they may see it.
func (a *App) SecondFactor(ctx context.Context, actor hearth.Actor) (*SecondFactorState, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	f, err := a.db.SecondFactorOf(ctx, actor.UserID)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return &SecondFactorState{}, nil
	}
	if err != nil {
		return nil, err
	}
	st := &SecondFactorState{On: f.On(), Since: f.Enabled}
	if f.On() {
		st.CodesLeft, err = a.db.SecondFactorCodesLeft(ctx, actor.UserID)
		return st, err
	}
	secret, err := a.vault.Open(ctx, vault.UserScope(actor.UserID), totpAD(actor.UserID), f.Sealed)
	if err != nil {
		return nil, fmt.Errorf("open second factor of %d: %w", actor.UserID, err)
	}
	st.Setup = totpSetup(actor.Handle, secret)
	return st, nil
}

// BeginTOTP makes a new secret for the actor to add to an authenticator
// app; it is not used until confirmed with a code (ConfirmTOTP).
func (a *App) BeginTOTP(ctx context.Context, actor hearth.Actor) (*TOTPSetup, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	secret := make([]byte, secretBytes)
	rand.Read(secret)
	sealed, err := a.vault.Seal(ctx, vault.UserScope(actor.UserID), totpAD(actor.UserID), secret)
	if err != nil {
		return nil, fmt.Errorf("seal second factor: %w", err)
	}
	if err := a.db.BeginSecondFactor(ctx, actor.UserID, sealed, a.now().UTC()); err != nil {
		return nil, err
	}
	a.log.Info("second factor set-up started", "user_id", actor.UserID)
	return totpSetup(actor.Handle, secret), nil
}

// ConfirmTOTP turns the second factor on with a code from the app and
// returns the recovery codes, shown this once. The session that confirmed
// it (sessionToken, may be empty) counts as having passed it.
func (a *App) ConfirmTOTP(ctx context.Context, actor hearth.Actor, code, sessionToken string) ([]string, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	key := "2fa:" + strconv.FormatInt(actor.UserID, 10)
	if blocked, wait := a.signInByAccount.Blocked(key); blocked {
		return nil, tooMany(wait)
	}
	f, err := a.db.SecondFactorOf(ctx, actor.UserID)
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, hearth.Coded(hearth.Conflict, "second_factor_not_started", "Start the set-up first.")
	}
	if err != nil {
		return nil, err
	}
	if f.On() {
		return nil, hearth.Coded(hearth.Conflict, "second_factor_on", "Your second factor is already on.")
	}
	secret, err := a.vault.Open(ctx, vault.UserScope(actor.UserID), totpAD(actor.UserID), f.Sealed)
	if err != nil {
		return nil, fmt.Errorf("open second factor of %d: %w", actor.UserID, err)
	}
	step, ok := matchTOTP(secret, normalizeCode(code), a.now())
	if !ok || step <= f.LastStep {
		a.signInByAccount.Add(key)
		return nil, errCodeWrong
	}
	codes := make([]string, RecoveryCodeCount)
	hashes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i], hashes[i] = newRecoveryCode()
	}
	sh := ""
	if sessionToken != "" {
		sh = hashToken(sessionToken)
	}
	if err := a.db.EnableSecondFactor(ctx, actor.UserID, step, hashes, sh, a.now().UTC()); err != nil {
		return nil, err
	}
	a.signInByAccount.Reset(key)
	a.log.Info("second factor on", "user_id", actor.UserID)
	return codes, nil
}

// checkSecondFactor accepts a current TOTP code (once) or an unspent
// recovery code (spending it). Failures count against the account's limit.
func (a *App) checkSecondFactor(ctx context.Context, userID int64, code string) error {
	key := "2fa:" + strconv.FormatInt(userID, 10)
	if blocked, wait := a.signInByAccount.Blocked(key); blocked {
		return tooMany(wait)
	}
	f, err := a.db.SecondFactorOf(ctx, userID)
	if hearth.ErrorKind(err) == hearth.NotFound || (err == nil && !f.On()) {
		return errNoSecondFactor
	}
	if err != nil {
		return err
	}
	c := normalizeCode(code)
	ok := false
	switch {
	case isTOTPCode(c):
		secret, err := a.vault.Open(ctx, vault.UserScope(userID), totpAD(userID), f.Sealed)
		if err != nil {
			return fmt.Errorf("open second factor of %d: %w", userID, err)
		}
		if step, match := matchTOTP(secret, c, a.now()); match {
			if ok, err = a.db.AcceptStep(ctx, userID, step); err != nil {
				return err
			}
		}
	case len(c) == 20:
		if ok, err = a.db.UseSecondFactorCode(ctx, userID, hashRecoveryCode(c), a.now().UTC()); err != nil {
			return err
		}
		if ok {
			a.log.Info("second factor recovery code used", "user_id", userID)
		}
	}
	if !ok {
		a.signInByAccount.Add(key)
		return errCodeWrong
	}
	a.signInByAccount.Reset(key)
	return nil
}

// DisableTOTP turns the actor's second factor off; it needs a current code
// (or a recovery code). No session or token counts as having passed it any
// more. Staff who must have a second factor keep it unless they have a
// passkey.
func (a *App) DisableTOTP(ctx context.Context, actor hearth.Actor, code string) error {
	if !actor.SignedIn() {
		return hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	if a.mustKeepFactor(actor) {
		// Staff keep a second factor: a passkey may take over from the app.
		// Asked first, so that no code is spent on a refusal.
		n, err := a.db.PasskeyCount(ctx, actor.UserID)
		if err != nil {
			return err
		}
		if n == 0 {
			return errLastFactor
		}
	}
	if err := a.checkSecondFactor(ctx, actor.UserID, code); err != nil {
		return err
	}
	if err := a.db.DisableSecondFactor(ctx, actor.UserID); err != nil {
		return err
	}
	a.log.Info("second factor off", "user_id", actor.UserID)
	return nil
}

// VerifySession lets a session that began without the second factor (after
// sign-up or recovery) pass it with a code.
func (a *App) VerifySession(ctx context.Context, actor hearth.Actor, sessionToken, code string) error {
	if !actor.SignedIn() || sessionToken == "" {
		return hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	if err := a.checkSecondFactor(ctx, actor.UserID, code); err != nil {
		return err
	}
	return a.db.MarkSessionSecondFactor(ctx, hashToken(sessionToken), actor.UserID)
}

// SignInStart checks the password. A person without a second factor is
// signed in (the user is returned); a person with one (TOTP or a passkey)
// gets a pending sign-in token for the second step (SignInSecond with a
// code, or FinishPasskeySignIn) and no user. Whether or
// not the account exists, a wrong password answers the same.
func (a *App) SignInStart(ctx context.Context, login, pw, addr string) (*hearth.User, string, error) {
	u, err := a.checkPassword(ctx, login, pw, addr)
	if err != nil {
		return nil, "", err
	}
	totp, passkeys, err := a.hasAnyFactor(ctx, u.ID)
	if err != nil {
		return nil, "", err
	}
	if !totp && !passkeys {
		return u, "", nil
	}
	token, hash := newToken("")
	if err := a.db.CreatePendingSignIn(ctx, hash, u.ID, a.now().UTC().Add(PendingSignIn)); err != nil {
		return nil, "", err
	}
	return nil, token, nil
}

// SignInPending reports whether a pending sign-in token is live.
func (a *App) SignInPending(ctx context.Context, pending string) bool {
	if pending == "" || len(pending) > 100 {
		return false
	}
	_, err := a.db.PendingSignInUser(ctx, hashToken(pending), a.now().UTC())
	return err == nil
}

// SignInSecond completes a pending sign-in with a TOTP code or a recovery
// code. A pending sign-in allows a few tries and a few minutes; failures
// also count against the address's sign-in limit.
func (a *App) SignInSecond(ctx context.Context, pending, code, addr string) (*hearth.User, error) {
	if pending == "" || len(pending) > 100 {
		return nil, errSignInExpired
	}
	if blocked, wait := a.signInByAddress.Blocked("addr:" + addr); blocked {
		return nil, tooMany(wait)
	}
	hash := hashToken(pending)
	userID, attempts, err := a.db.PendingSignInAttempt(ctx, hash, a.now().UTC())
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, errSignInExpired
	}
	if err != nil {
		return nil, err
	}
	if attempts > pendingAttempts {
		_ = a.db.DeletePendingSignIn(ctx, hash)
		return nil, errSignInExpired
	}
	if err := a.checkSecondFactor(ctx, userID, code); err != nil {
		if hearth.ErrorKind(err) == hearth.Unauthorized {
			a.signInByAddress.Add("addr:" + addr)
		}
		return nil, err
	}
	if err := a.db.DeletePendingSignIn(ctx, hash); err != nil {
		return nil, err
	}
	return a.db.User(ctx, userID)
}

// SessionStart says how a session began.
type SessionStart struct {
	SecondFactor bool   // the sign-in passed the second factor
	Agent        string // the browser's family (AgentFamily)
}

// StartSessionWith signs a browser in (see StartSession).
func (a *App) StartSessionWith(ctx context.Context, userID int64, st SessionStart) (string, time.Time, error) {
	token, hash := newToken("")
	now := a.now().UTC()
	if err := a.db.CreateSession(ctx, sqldb.Session{TokenHash: hash, UserID: userID, Created: now, LastSeen: now, Expires: now.Add(SessionIdle),
		SecondFactor: st.SecondFactor, Agent: st.Agent}); err != nil {
		return "", time.Time{}, err
	}
	return token, now.Add(SessionAbsolute), nil
}

// sessionLimits are the idle and absolute lifetimes of a session: shorter
// for staff.
func sessionLimits(staff bool) (time.Duration, time.Duration) {
	if staff {
		return StaffSessionIdle, StaffSessionAbsolute
	}
	return SessionIdle, SessionAbsolute
}

// SessionView is one of a person's sessions as the security page lists it.
type SessionView struct {
	ID           string
	Created      time.Time
	LastSeen     time.Time
	Agent        string
	SecondFactor bool
	Current      bool
}

// Sessions lists the actor's active sessions, marking the current one.
func (a *App) Sessions(ctx context.Context, actor hearth.Actor, currentToken string) ([]SessionView, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	list, err := a.db.SessionsOf(ctx, actor.UserID, a.now().UTC())
	if err != nil {
		return nil, err
	}
	cur := ""
	if currentToken != "" {
		cur = hashToken(currentToken)
	}
	out := make([]SessionView, 0, len(list))
	for _, s := range list {
		out = append(out, SessionView{ID: s.ID, Created: s.Created, LastSeen: s.LastSeen, Agent: s.Agent, SecondFactor: s.SecondFactor, Current: s.TokenHash == cur})
	}
	return out, nil
}

// EndSessionByID signs one of the actor's sessions out.
func (a *App) EndSessionByID(ctx context.Context, actor hearth.Actor, id string) error {
	if !actor.SignedIn() {
		return hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	if err := a.db.DeleteSessionByID(ctx, actor.UserID, id); err != nil {
		return err
	}
	a.log.Info("session ended", "user_id", actor.UserID)
	return nil
}

// EndEverywhere signs every session of the actor out (this one too) and,
// when asked, revokes every API token.
func (a *App) EndEverywhere(ctx context.Context, actor hearth.Actor, tokens bool) (int64, int64, error) {
	if !actor.SignedIn() {
		return 0, 0, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	ns, nt, err := a.db.EndEverywhere(ctx, actor.UserID, tokens, a.now().UTC())
	if err != nil {
		return 0, 0, err
	}
	a.log.Info("signed out everywhere", "user_id", actor.UserID, "sessions", ns, "tokens", nt)
	return ns, nt, nil
}

// AgentFamily reduces a User-Agent header to a browser family and system
// ("Firefox on Android"), the only part of it Hearth keeps.
func AgentFamily(ua string) string {
	browser := "Other browser"
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"SamsungBrowser/", "Samsung Internet"}, {"Firefox/", "Firefox"},
		{"Chrome/", "Chrome"}, {"Chromium/", "Chromium"}, {"Safari/", "Safari"}, {"curl/", "curl"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, o := range []struct{ token, name string }{
		{"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			system = o.name
			break
		}
	}
	if system == "" {
		return browser
	}
	return browser + " on " + system
}

// staffRules reports whether staff powers need a second factor and staff
// sessions have the shorter lifetimes.
func (a *App) staffRules() bool { return a.staff2FA }

// SetStaffSecondFactor turns the staff rule (Config.StaffSecondFactor) on
// or off; call it before serving.
func (a *App) SetStaffSecondFactor(on bool) { a.staff2FA = on }

// onCallOrgs lists the organizations whose on-call list names the actor:
// none while the staff rule withholds their staff powers.
func (a *App) onCallOrgs(ctx context.Context, actor hearth.Actor) ([]int64, error) {
	if actor.StaffWithheld {
		return nil, nil
	}
	return a.db.OnCallOrgs(ctx, actor.UserID)
}
