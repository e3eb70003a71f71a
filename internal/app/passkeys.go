package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/vault"
)

// Passkeys (WebAuthn, issue 7 §3). A passkey is a second factor after the
// password (in place of a TOTP code), or both factors at once when used
// without a password: it is discoverable (resident) and its sign-ins
// require user verification (a PIN or biometric on the device). Either way
// the sign-in counts as having passed a second factor, so a passkey alone
// satisfies the staff rule exactly as TOTP does. Ceremonies (challenges)
// are kept server-side for PasskeyCeremony and used once.

const (
	// PasskeyCeremony is how long a browser may take between asking for a
	// passkey challenge and answering it.
	PasskeyCeremony = 5 * time.Minute
	// passkeyNameMax is the longest name a passkey may be given.
	passkeyNameMax = 60
	// maxPasskeys is how many passkeys one account may have.
	maxPasskeys = 20

	ceremonyRegister     = "register"
	ceremonySecond       = "second"       // after the password
	ceremonyPasswordless = "passwordless" // the passkey alone
	ceremonyVerify       = "verify"       // a signed-in session passing its second factor
)

// PasskeySite is the relying party a ceremony runs for: the host name of
// Hearth's public address (the RP ID) and its origin. The web layer takes
// them from --base-url, or from the request when none is configured.
type PasskeySite struct {
	RPID   string // "hearth.example.org"
	Origin string // "https://hearth.example.org"
}

// SiteFromURL makes a PasskeySite from an address like
// https://hearth.example.org:8443.
func SiteFromURL(raw string) (PasskeySite, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return PasskeySite{}, fmt.Errorf("passkeys: %q is not an http(s) address", raw)
	}
	return PasskeySite{RPID: strings.ToLower(u.Hostname()), Origin: u.Scheme + "://" + strings.ToLower(u.Host)}, nil
}

func (a *App) webAuthn(site PasskeySite) (*webauthn.WebAuthn, error) {
	if site.RPID == "" || site.Origin == "" {
		return nil, hearth.Coded(hearth.Unavailable, "passkeys_off", "Passkeys are not available on this server.")
	}
	wa, err := webauthn.New(&webauthn.Config{
		RPID:          site.RPID,
		RPDisplayName: "Hearth",
		RPOrigins:     []string{site.Origin},
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Enforce: true, Timeout: PasskeyCeremony, TimeoutUVD: PasskeyCeremony},
			Registration: webauthn.TimeoutConfig{Enforce: true, Timeout: PasskeyCeremony, TimeoutUVD: PasskeyCeremony},
		},
	})
	if err != nil {
		return nil, hearth.Coded(hearth.Unavailable, "passkeys_off", "Passkeys are not available at this address.")
	}
	return wa, nil
}

// passkeyUserHandle is the WebAuthn user handle of an account: its id,
// which names nobody (the handle and email are never in it).
func passkeyUserHandle(userID int64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, uint64(userID))
	return b
}

func userFromHandle(h []byte) (int64, bool) {
	if len(h) != 8 {
		return 0, false
	}
	id := int64(binary.BigEndian.Uint64(h))
	return id, id > 0
}

// passkeyUser is an account as go-webauthn sees it.
type passkeyUser struct {
	id     int64
	handle string
	creds  []webauthn.Credential
	rows   []sqldb.Passkey
}

func (u *passkeyUser) WebAuthnID() []byte                         { return passkeyUserHandle(u.id) }
func (u *passkeyUser) WebAuthnName() string                       { return u.handle }
func (u *passkeyUser) WebAuthnDisplayName() string                { return u.handle }
func (u *passkeyUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

func (u *passkeyUser) row(credentialID []byte) *sqldb.Passkey {
	for i := range u.rows {
		if bytes.Equal(u.rows[i].CredentialID, credentialID) {
			return &u.rows[i]
		}
	}
	return nil
}

func credentialOf(p sqldb.Passkey) webauthn.Credential {
	c := webauthn.Credential{ID: p.CredentialID, PublicKey: p.PublicKey, AttestationFormat: p.Attestation,
		Flags:         webauthn.NewCredentialFlags(protocol.AuthenticatorFlags(p.Flags)),
		Authenticator: webauthn.Authenticator{AAGUID: p.AAGUID, SignCount: p.SignCount}}
	for _, t := range p.Transports {
		c.Transport = append(c.Transport, protocol.AuthenticatorTransport(t))
	}
	return c
}

func (a *App) passkeyUser(ctx context.Context, userID int64) (*passkeyUser, error) {
	u, err := a.db.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	rows, err := a.db.PasskeysOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	pu := &passkeyUser{id: userID, handle: u.Handle, rows: rows}
	for _, p := range rows {
		pu.creds = append(pu.creds, credentialOf(p))
	}
	return pu, nil
}

func passkeyNameAD(userID int64, credentialID []byte) string {
	return "passkey_name:user=" + strconv.FormatInt(userID, 10) + ":credential=" + base64.RawURLEncoding.EncodeToString(credentialID)
}

var (
	errPasskeyFailed = hearth.Coded(hearth.Unauthorized, "passkey_failed",
		"That passkey was not accepted. Try again, or use another way to sign in.")
	errPasskeyCeremony = hearth.Coded(hearth.Unauthorized, "passkey_expired",
		"That passkey request took too long or was already used; please try again.")
	errPasskeyCloned = hearth.Coded(hearth.Unauthorized, "passkey_cloned",
		"This passkey's counter went backwards, which happens when a passkey has been copied. It was not accepted: sign in another way, remove it on your security page and add it again.")
	errNoPasskey = hearth.Coded(hearth.Conflict, "no_passkey", "This account has no passkey.")
)

func checkPasskeyName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if n := len([]rune(name)); n < 1 || n > passkeyNameMax || !hearth.ValidText(name) {
		return "", &hearth.Error{Kind: hearth.Invalid, Code: "invalid", Message: "Please correct the highlighted fields.",
			Fields: []hearth.FieldError{{Field: "name", Code: "length", Message: "Name the passkey in 1 to 60 characters, like “my phone”.",
				Params: map[string]any{"Min": 1, "Max": passkeyNameMax}}}}
	}
	return name, nil
}

// PasskeyChallenge is what a browser passes to navigator.credentials
// (Options: the publicKey options as JSON) and the token that names the
// ceremony when it answers.
type PasskeyChallenge struct {
	Ceremony string `json:"ceremony"`
	Options  any    `json:"options"`
}

func (a *App) saveCeremony(ctx context.Context, kind string, userID int64, pending string, session *webauthn.SessionData, options any) (*PasskeyChallenge, error) {
	raw, err := json.Marshal(session)
	if err != nil {
		return nil, err
	}
	token, hash := newToken("")
	now := a.now().UTC()
	if err := a.db.SavePasskeyCeremony(ctx, hash, sqldb.PasskeyCeremony{Kind: kind, UserID: userID, Pending: pending, Session: raw, Expires: now.Add(PasskeyCeremony)}, now); err != nil {
		return nil, err
	}
	return &PasskeyChallenge{Ceremony: token, Options: options}, nil
}

// takeCeremony removes the ceremony a token names and returns it with its
// session data: used once, whatever comes of it.
func (a *App) takeCeremony(ctx context.Context, token string) (*sqldb.PasskeyCeremony, *webauthn.SessionData, error) {
	if token == "" || len(token) > 100 {
		return nil, nil, errPasskeyCeremony
	}
	c, err := a.db.TakePasskeyCeremony(ctx, hashToken(token), a.now().UTC())
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, nil, errPasskeyCeremony
	}
	if err != nil {
		return nil, nil, err
	}
	var s webauthn.SessionData
	if err := json.Unmarshal(c.Session, &s); err != nil {
		return nil, nil, fmt.Errorf("passkey ceremony: %w", err)
	}
	return c, &s, nil
}

// PasskeyReauth is what adding a passkey asks again: the password, and a
// code of the TOTP second factor when the person has one and this sign-in
// has not passed it.
type PasskeyReauth struct {
	Name     string // the name the passkey will have, checked before the browser asks (optional)
	Password string
	Code     string
	Addr     string
}

// BeginPasskeyRegistration checks the person again (PasskeyReauth) and
// returns the options to create a passkey with: discoverable, with user
// verification, none of the person's passkeys again.
func (a *App) BeginPasskeyRegistration(ctx context.Context, actor hearth.Actor, site PasskeySite, re PasskeyReauth) (*PasskeyChallenge, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	wa, err := a.webAuthn(site)
	if err != nil {
		return nil, err
	}
	if re.Name != "" {
		if _, err := checkPasskeyName(re.Name); err != nil {
			return nil, err
		}
	}
	if re.Password == "" {
		var p hearth.Problems
		p.Add("password", "required", "Enter your password to add a passkey.", nil)
		return nil, p.Err()
	}
	checked, err := a.checkPassword(ctx, actor.Handle, re.Password, re.Addr)
	if err == errSignIn || (err == nil && checked.ID != actor.UserID) {
		var p hearth.Problems
		p.Add("password", "wrong", "That is not your password.", nil)
		return nil, p.Err()
	}
	if err != nil {
		return nil, err
	}
	totp, err := a.db.HasSecondFactor(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	if totp && !actor.SecondFactor {
		if err := a.checkSecondFactor(ctx, actor.UserID, re.Code); err != nil {
			return nil, err
		}
	}
	u, err := a.passkeyUser(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	if len(u.rows) >= maxPasskeys {
		return nil, hearth.Coded(hearth.Conflict, "too_many_passkeys", fmt.Sprintf("An account may have %d passkeys; remove one first.", maxPasskeys))
	}
	opts, session, err := wa.BeginRegistration(u,
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			ResidentKey:        protocol.ResidentKeyRequirementRequired,
			RequireResidentKey: protocol.ResidentKeyRequired(),
			UserVerification:   protocol.VerificationRequired,
		}),
		webauthn.WithConveyancePreference(protocol.PreferNoAttestation),
		webauthn.WithExclusions(webauthn.Credentials(u.creds).CredentialDescriptors()),
	)
	if err != nil {
		return nil, fmt.Errorf("begin passkey registration: %w", err)
	}
	return a.saveCeremony(ctx, ceremonyRegister, actor.UserID, "", session, opts.Response)
}

// PasskeyView is one of a person's passkeys as their security page lists
// it.
type PasskeyView struct {
	ID       int64     `json:"id"`
	Name     string    `json:"name"`
	Created  time.Time `json:"created_at"`
	LastUsed time.Time `json:"last_used_at,omitzero"`
	Synced   bool      `json:"synced"` // backed up by its provider (usable on several devices)
}

func (a *App) passkeyView(ctx context.Context, p sqldb.Passkey) (PasskeyView, error) {
	name, err := a.vault.Open(ctx, vault.UserScope(p.UserID), passkeyNameAD(p.UserID, p.CredentialID), p.NameSealed)
	if err != nil {
		return PasskeyView{}, fmt.Errorf("open passkey name %d: %w", p.ID, err)
	}
	return PasskeyView{ID: p.ID, Name: string(name), Created: p.Created, LastUsed: p.LastUsed,
		Synced: protocol.AuthenticatorFlags(p.Flags).HasBackupState()}, nil
}

// FinishPasskeyRegistration checks the browser's answer (response: the
// PublicKeyCredential as JSON) to the ceremony the token names and stores
// the passkey under the name given. The session that added it (sessionToken,
// may be empty) counts as having passed a second factor, as with TOTP.
func (a *App) FinishPasskeyRegistration(ctx context.Context, actor hearth.Actor, site PasskeySite, ceremony, name string, response []byte, sessionToken string) (*PasskeyView, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	name, err := checkPasskeyName(name)
	if err != nil {
		return nil, err
	}
	wa, err := a.webAuthn(site)
	if err != nil {
		return nil, err
	}
	c, session, err := a.takeCeremony(ctx, ceremony)
	if err != nil {
		return nil, err
	}
	if c.Kind != ceremonyRegister || c.UserID != actor.UserID {
		return nil, errPasskeyCeremony
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return nil, hearth.Coded(hearth.Invalid, "passkey_invalid", "The browser's answer could not be read; please try again.")
	}
	u, err := a.passkeyUser(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	cred, err := wa.CreateCredential(u, *session, parsed)
	if err != nil {
		a.log.Info("passkey registration refused", "user_id", actor.UserID, "reason", webauthnReason(err))
		return nil, hearth.Coded(hearth.Invalid, "passkey_refused", "The passkey could not be added: the browser's answer did not match this request. Please try again.")
	}
	sealed, err := a.vault.Seal(ctx, vault.UserScope(actor.UserID), passkeyNameAD(actor.UserID, cred.ID), []byte(name))
	if err != nil {
		return nil, fmt.Errorf("seal passkey name: %w", err)
	}
	p := &sqldb.Passkey{UserID: actor.UserID, CredentialID: cred.ID, PublicKey: cred.PublicKey, SignCount: cred.Authenticator.SignCount,
		AAGUID: cred.Authenticator.AAGUID, Flags: uint8(credentialFlags(cred.Flags)), Attestation: cred.AttestationFormat,
		NameSealed: sealed, Created: a.now().UTC()}
	for _, t := range cred.Transport {
		p.Transports = append(p.Transports, string(t))
	}
	sh := ""
	if sessionToken != "" {
		sh = hashToken(sessionToken)
	}
	p.ID, err = a.db.AddPasskey(ctx, p, sh, func(tx *sqldb.Tx, id int64) error {
		return a.audit(ctx, tx, AuditEntry{ActorID: actor.UserID, Action: "passkey.added", SubjectKind: "user", SubjectID: actor.UserID})
	})
	if err != nil {
		return nil, err
	}
	a.log.Info("passkey added", "user_id", actor.UserID, "passkey_id", p.ID)
	v, err := a.passkeyView(ctx, *p)
	return &v, err
}

// credentialFlags turns the library's stored flags back into the WebAuthn
// flags byte.
func credentialFlags(f webauthn.CredentialFlags) protocol.AuthenticatorFlags {
	var b protocol.AuthenticatorFlags
	if f.UserPresent {
		b |= protocol.FlagUserPresent
	}
	if f.UserVerified {
		b |= protocol.FlagUserVerified
	}
	if f.BackupEligible {
		b |= protocol.FlagBackupEligible
	}
	if f.BackupState {
		b |= protocol.FlagBackupState
	}
	return b
}

// webauthnReason is a short code for why the library refused an answer,
// for the log (its details name no person and carry nothing anyone wrote).
func webauthnReason(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) {
		return pe.Type + ": " + pe.Details
	}
	return "error"
}

// Passkeys lists the actor's passkeys.
func (a *App) Passkeys(ctx context.Context, actor hearth.Actor) ([]PasskeyView, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	rows, err := a.db.PasskeysOf(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	out := make([]PasskeyView, 0, len(rows))
	for _, p := range rows {
		v, err := a.passkeyView(ctx, p)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// RenamePasskey gives one of the actor's passkeys a new name.
func (a *App) RenamePasskey(ctx context.Context, actor hearth.Actor, id int64, name string) error {
	if !actor.SignedIn() {
		return hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	p, err := a.db.PasskeyOf(ctx, actor.UserID, id)
	if err != nil {
		return err
	}
	name, err = checkPasskeyName(name)
	if err != nil {
		return err
	}
	sealed, err := a.vault.Seal(ctx, vault.UserScope(actor.UserID), passkeyNameAD(actor.UserID, p.CredentialID), []byte(name))
	if err != nil {
		return fmt.Errorf("seal passkey name: %w", err)
	}
	return a.db.RenamePasskey(ctx, actor.UserID, id, sealed)
}

// errLastFactor refuses to remove the only second factor of staff who
// must have one.
var errLastFactor = hearth.Coded(hearth.Conflict, "last_factor",
	"This is your only second factor, and staff must have one: add another passkey or turn on an authenticator app first, then remove this one.")

// mustKeepFactor reports whether the staff rule requires the actor to keep
// a second factor (staff whose powers count only with one).
func (a *App) mustKeepFactor(actor hearth.Actor) bool {
	return a.staffRules() && (actor.Staff() || actor.StaffWithheld)
}

// RemovePasskey removes one of the actor's passkeys (audited). Removing
// the last second factor of staff who must have one is refused. When no
// second factor is left, no session or token counts as having passed one.
func (a *App) RemovePasskey(ctx context.Context, actor hearth.Actor, id int64) error {
	if !actor.SignedIn() {
		return hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	err := a.db.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := tx.DeletePasskey(ctx, actor.UserID, id); err != nil {
			return err
		}
		left, err := tx.PasskeyCountTx(ctx, actor.UserID)
		if err != nil {
			return err
		}
		totp, err := tx.HasSecondFactorTx(ctx, actor.UserID)
		if err != nil {
			return err
		}
		if left == 0 && !totp {
			if a.mustKeepFactor(actor) {
				return errLastFactor
			}
			if err := tx.ForgetSecondFactorPassed(ctx, actor.UserID); err != nil {
				return err
			}
		}
		return a.audit(ctx, tx, AuditEntry{ActorID: actor.UserID, Action: "passkey.removed", SubjectKind: "user", SubjectID: actor.UserID})
	})
	if err != nil {
		return err
	}
	a.log.Info("passkey removed", "user_id", actor.UserID, "passkey_id", id)
	return nil
}

// RemoveAllPasskeys removes every passkey of a person in the caller's
// transaction (an administrator's reset of a lost second factor, see
// factorreset.go) and returns how many there were. The caller audits and
// clears what sessions passed.
func (a *App) RemoveAllPasskeys(ctx context.Context, tx *sqldb.Tx, userID int64) (int64, error) {
	return tx.DeleteAllPasskeys(ctx, userID)
}

// hasAnyFactor reports whether the person has a second factor of any kind
// (TOTP, passkeys).
func (a *App) hasAnyFactor(ctx context.Context, userID int64) (totp, passkeys bool, err error) {
	if totp, err = a.db.HasSecondFactor(ctx, userID); err != nil {
		return false, false, err
	}
	n, err := a.db.PasskeyCount(ctx, userID)
	return totp, n > 0, err
}

// PendingFactors says which second factors a pending sign-in may use.
func (a *App) PendingFactors(ctx context.Context, pending string) (totp, passkeys bool) {
	if pending == "" || len(pending) > 100 {
		return false, false
	}
	userID, err := a.db.PendingSignInUser(ctx, hashToken(pending), a.now().UTC())
	if err != nil {
		return false, false
	}
	totp, passkeys, _ = a.hasAnyFactor(ctx, userID)
	return totp, passkeys
}

// BeginPasskeySignIn returns the options to sign in with a passkey: after
// the password when pending names a live pending sign-in (any of the
// person's passkeys, user verification preferred), or without a password
// when pending is empty (a discoverable passkey, user verification
// required). An address refused for too many failed sign-ins is refused
// here too.
func (a *App) BeginPasskeySignIn(ctx context.Context, site PasskeySite, pending, addr string) (*PasskeyChallenge, error) {
	if blocked, wait := a.signInByAddress.Blocked("addr:" + addr); blocked {
		return nil, tooMany(wait)
	}
	wa, err := a.webAuthn(site)
	if err != nil {
		return nil, err
	}
	if pending == "" {
		opts, session, err := wa.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
		if err != nil {
			return nil, fmt.Errorf("begin passkey sign-in: %w", err)
		}
		return a.saveCeremony(ctx, ceremonyPasswordless, 0, "", session, opts.Response)
	}
	if len(pending) > 100 {
		return nil, errSignInExpired
	}
	hash := hashToken(pending)
	userID, err := a.db.PendingSignInUser(ctx, hash, a.now().UTC())
	if hearth.ErrorKind(err) == hearth.NotFound {
		return nil, errSignInExpired
	}
	if err != nil {
		return nil, err
	}
	return a.beginUserAssertion(ctx, wa, ceremonySecond, userID, hash)
}

// BeginPasskeyVerify returns the options for a signed-in session to pass
// its second factor with one of the person's passkeys (VerifySession's
// passkey way).
func (a *App) BeginPasskeyVerify(ctx context.Context, actor hearth.Actor, site PasskeySite) (*PasskeyChallenge, error) {
	if !actor.SignedIn() {
		return nil, hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	wa, err := a.webAuthn(site)
	if err != nil {
		return nil, err
	}
	return a.beginUserAssertion(ctx, wa, ceremonyVerify, actor.UserID, "")
}

func (a *App) beginUserAssertion(ctx context.Context, wa *webauthn.WebAuthn, kind string, userID int64, pending string) (*PasskeyChallenge, error) {
	u, err := a.passkeyUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	if len(u.creds) == 0 {
		return nil, errNoPasskey
	}
	opts, session, err := wa.BeginLogin(u, webauthn.WithUserVerification(protocol.VerificationPreferred))
	if err != nil {
		return nil, fmt.Errorf("begin passkey sign-in: %w", err)
	}
	return a.saveCeremony(ctx, kind, userID, pending, session, opts.Response)
}

// FinishPasskeySignIn checks the browser's answer (response: the
// PublicKeyCredential as JSON) to a sign-in ceremony and returns the
// account signed in; the sign-in passed a second factor. A second-step
// ceremony needs its pending sign-in (the cookie), which it ends. Failures
// count against the address's sign-in limit.
func (a *App) FinishPasskeySignIn(ctx context.Context, site PasskeySite, ceremony string, response []byte, pending, addr string) (*hearth.User, error) {
	if blocked, wait := a.signInByAddress.Blocked("addr:" + addr); blocked {
		return nil, tooMany(wait)
	}
	u, err := a.finishPasskeySignIn(ctx, site, ceremony, response, pending)
	if err != nil {
		if k := hearth.ErrorKind(err); k == hearth.Unauthorized || k == hearth.Invalid {
			a.signInByAddress.Add("addr:" + addr)
		}
		return nil, err
	}
	return u, nil
}

func (a *App) finishPasskeySignIn(ctx context.Context, site PasskeySite, ceremony string, response []byte, pending string) (*hearth.User, error) {
	wa, err := a.webAuthn(site)
	if err != nil {
		return nil, err
	}
	c, session, err := a.takeCeremony(ctx, ceremony)
	if err != nil {
		return nil, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return nil, hearth.Coded(hearth.Invalid, "passkey_invalid", "The browser's answer could not be read; please try again.")
	}
	var (
		pu   *passkeyUser
		cred *webauthn.Credential
	)
	switch c.Kind {
	case ceremonyPasswordless:
		var user webauthn.User
		user, cred, err = wa.ValidatePasskeyLogin(func(rawID, userHandle []byte) (webauthn.User, error) {
			p, err := a.db.PasskeyByCredential(ctx, rawID)
			if err != nil {
				return nil, err
			}
			if id, ok := userFromHandle(userHandle); !ok || id != p.UserID {
				return nil, errors.New("user handle does not match the credential")
			}
			return a.passkeyUser(ctx, p.UserID)
		}, *session, parsed)
		if err == nil {
			pu = user.(*passkeyUser)
		}
	case ceremonySecond:
		if pending == "" || len(pending) > 100 || hashToken(pending) != c.Pending {
			return nil, errSignInExpired
		}
		if pu, err = a.passkeyUser(ctx, c.UserID); err != nil {
			return nil, err
		}
		cred, err = wa.ValidateLogin(pu, *session, parsed)
	default:
		return nil, errPasskeyCeremony
	}
	if err != nil {
		a.log.Info("passkey sign-in refused", "reason", webauthnReason(err))
		return nil, errPasskeyFailed
	}
	if err := a.usePasskey(ctx, pu, cred); err != nil {
		return nil, err
	}
	if c.Kind == ceremonySecond {
		ok, err := a.db.TakePendingSignIn(ctx, c.Pending, pu.id, a.now().UTC())
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errSignInExpired
		}
	}
	a.log.Info("signed in with a passkey", "user_id", pu.id, "passwordless", c.Kind == ceremonyPasswordless)
	return a.db.User(ctx, pu.id)
}

// usePasskey records a passkey's use; a counter that did not move forward
// (a copied authenticator) is refused and recorded in the audit log.
func (a *App) usePasskey(ctx context.Context, pu *passkeyUser, cred *webauthn.Credential) error {
	row := pu.row(cred.ID)
	if row == nil {
		return errPasskeyFailed
	}
	ok := !cred.Authenticator.CloneWarning
	if ok {
		var err error
		if ok, err = a.db.UsePasskey(ctx, row.ID, cred.Authenticator.SignCount, uint8(credentialFlags(cred.Flags)), a.now().UTC()); err != nil {
			return err
		}
	}
	if !ok {
		a.log.Warn("passkey refused: its counter went backwards (a copied authenticator?)", "user_id", pu.id, "passkey_id", row.ID)
		if err := a.db.InTx(ctx, func(tx *sqldb.Tx) error {
			return a.audit(ctx, tx, AuditEntry{ActorID: pu.id, Action: "passkey.counter_refused", SubjectKind: "user", SubjectID: pu.id})
		}); err != nil {
			a.log.Warn("audit passkey refusal", "err", err)
		}
		return errPasskeyCloned
	}
	return nil
}

// FinishPasskeyVerify checks the browser's answer to a verify ceremony and
// marks the session (sessionToken) as having passed a second factor.
func (a *App) FinishPasskeyVerify(ctx context.Context, actor hearth.Actor, site PasskeySite, ceremony string, response []byte, sessionToken string) error {
	if !actor.SignedIn() || sessionToken == "" {
		return hearth.Errorf(hearth.Unauthorized, "Please sign in.")
	}
	key := "2fa:" + strconv.FormatInt(actor.UserID, 10)
	if blocked, wait := a.signInByAccount.Blocked(key); blocked {
		return tooMany(wait)
	}
	wa, err := a.webAuthn(site)
	if err != nil {
		return err
	}
	c, session, err := a.takeCeremony(ctx, ceremony)
	if err != nil {
		return err
	}
	if c.Kind != ceremonyVerify || c.UserID != actor.UserID {
		return errPasskeyCeremony
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return hearth.Coded(hearth.Invalid, "passkey_invalid", "The browser's answer could not be read; please try again.")
	}
	pu, err := a.passkeyUser(ctx, actor.UserID)
	if err != nil {
		return err
	}
	cred, err := wa.ValidateLogin(pu, *session, parsed)
	if err != nil {
		a.signInByAccount.Add(key)
		a.log.Info("passkey verification refused", "user_id", actor.UserID, "reason", webauthnReason(err))
		return errPasskeyFailed
	}
	if err := a.usePasskey(ctx, pu, cred); err != nil {
		return err
	}
	a.signInByAccount.Reset(key)
	return a.db.MarkSessionSecondFactor(ctx, hashToken(sessionToken), actor.UserID)
}
