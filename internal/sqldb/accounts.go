package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hearth-org/hearth"
)

// Credentials are what is stored to check a sign-in: hashes only.
type Credentials struct {
	PasswordHash string
	RecoveryHash string
}

const userColumns = `id, handle, COALESCE(email, ''), site_admin, locale, time_zone, created_at`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (*hearth.User, error) {
	var u hearth.User
	var created int64
	if err := row.Scan(append([]any{&u.ID, &u.Handle, &u.Email, &u.SiteAdmin, &u.Locale, &u.TimeZone, &created}, extra...)...); err != nil {
		return nil, err
	}
	u.CreatedAt = fromUnix(created)
	return &u, nil
}

// CreateUser stores a new account. A taken handle or email is a Conflict
// naming the field.
func (db *DB) CreateUser(ctx context.Context, u *hearth.User, c Credentials) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if u.CreatedAt.IsZero() {
			u.CreatedAt = db.now().UTC().Truncate(time.Second)
		}
		var email any
		if u.Email != "" {
			email = u.Email
		}
		id, err := tx.insert(ctx, `INSERT INTO users (handle, email, password_hash, recovery_hash, site_admin, locale, time_zone, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.Handle, email, c.PasswordHash, c.RecoveryHash, u.SiteAdmin, u.Locale, u.TimeZone, unix(u.CreatedAt))
		if isUnique(err) {
			if uniqueOn(err, "users", "handle") {
				return &hearth.Error{Kind: hearth.Conflict, Code: "handle_taken", Message: "That handle is taken.",
					Fields: []hearth.FieldError{{Field: "handle", Code: "taken", Message: "That handle is taken; try another."}}}
			}
			return &hearth.Error{Kind: hearth.Conflict, Code: "email_taken", Message: "That email cannot be used.",
				Fields: []hearth.FieldError{{Field: "email", Code: "taken", Message: "That email cannot be used for a new account. If it is yours, sign in instead."}}}
		}
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		u.ID = id
		return nil
	})
}

// User returns the account with the id.
func (db *DB) User(ctx context.Context, id int64) (*hearth.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	return u, notFound(err, "The account")
}

// UserByHandle returns the account and its credentials.
func (db *DB) UserByHandle(ctx context.Context, handle string) (*hearth.User, Credentials, error) {
	var c Credentials
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumns+`, password_hash, recovery_hash FROM users WHERE handle = ?`, handle), &c.PasswordHash, &c.RecoveryHash)
	return u, c, notFound(err, "The account")
}

// UserByEmail returns the account with that email and its credentials.
func (db *DB) UserByEmail(ctx context.Context, email string) (*hearth.User, Credentials, error) {
	var c Credentials
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumns+`, password_hash, recovery_hash FROM users WHERE email = ?`, email), &c.PasswordHash, &c.RecoveryHash)
	return u, c, notFound(err, "The account")
}

// SetCredentials replaces an account's password and recovery hashes and ends
// every session it has, in one transaction.
func (db *DB) SetCredentials(ctx context.Context, userID int64, c Credentials) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, recovery_hash = ? WHERE id = ?`, c.PasswordHash, c.RecoveryHash, userID)
		if err != nil {
			return fmt.Errorf("set credentials: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return hearth.Errorf(hearth.NotFound, "The account was not found.")
		}
		_, err = tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
		return err
	})
}

// SetPreferences stores an account's locale and time zone.
func (db *DB) SetPreferences(ctx context.Context, userID int64, locale, zone string) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`UPDATE users SET locale = ?, time_zone = ? WHERE id = ?`), locale, zone, userID)
	return err
}

// SetSiteAdmin grants or withdraws site administration.
func (db *DB) SetSiteAdmin(ctx context.Context, userID int64, on bool) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`UPDATE users SET site_admin = ? WHERE id = ?`), on, userID)
	return err
}

// Roles returns what the account may do: its organizations, the groups it
// leads and the groups it belongs to.
func (db *DB) Roles(ctx context.Context, u *hearth.User) (hearth.Actor, error) {
	a := hearth.Actor{UserID: u.ID, Handle: u.Handle, SiteAdmin: u.SiteAdmin}
	rows, err := db.query(ctx, `SELECT org_id FROM org_admins WHERE user_id = ? ORDER BY org_id`, u.ID)
	if err != nil {
		return a, fmt.Errorf("roles: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return a, err
		}
		a.OrgAdminOf = append(a.OrgAdminOf, id)
	}
	rows.Close()
	rows, err = db.query(ctx, `SELECT group_id, role FROM memberships WHERE user_id = ? AND status = ? ORDER BY group_id`, u.ID, string(hearth.StatusActive))
	if err != nil {
		return a, fmt.Errorf("roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var role string
		if err := rows.Scan(&id, &role); err != nil {
			return a, err
		}
		a.MemberOf = append(a.MemberOf, id)
		if hearth.Role(role) != hearth.RoleMember {
			a.FacilitateOf = append(a.FacilitateOf, id)
		}
	}
	return a, rows.Err()
}

// AddOrgAdmin makes the account an administrator of the organization.
func (db *DB) AddOrgAdmin(ctx context.Context, orgID, userID int64) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`INSERT INTO org_admins (org_id, user_id) VALUES (?, ?)`), orgID, userID)
	if isUnique(err) {
		return nil
	}
	return err
}

// OrgAdmins lists an organization's administrators.
func (db *DB) OrgAdmins(ctx context.Context, orgID int64) ([]*hearth.User, error) {
	return db.users(ctx, `SELECT `+prefixed("u.", userColumns)+` FROM users u JOIN org_admins a ON a.user_id = u.id WHERE a.org_id = ? ORDER BY u.handle`, orgID)
}

func (db *DB) users(ctx context.Context, q string, args ...any) ([]*hearth.User, error) {
	return list(ctx, db, "list users", func(row rowScanner) (*hearth.User, error) { return scanUser(row) }, q, args...)
}

func prefixed(p, cols string) string {
	return p + "id, " + p + "handle, COALESCE(" + p + "email, ''), " + p + "site_admin, " + p + "locale, " + p + "time_zone, " + p + "created_at"
}

// Session is a signed-in browser, known by the hash of its token.
type Session struct {
	TokenHash string
	UserID    int64
	Created   time.Time
	LastSeen  time.Time
	Expires   time.Time
	// SecondFactor: the session passed the account's second factor.
	SecondFactor bool
	// Agent is the browser's family ("Firefox on Android"), never the full
	// user agent; never an address.
	Agent string
}

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, s Session) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, second_factor, agent) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		s.TokenHash, s.UserID, unix(s.Created), unix(s.LastSeen), unix(s.Expires), s.SecondFactor, s.Agent)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByHash returns a live session and its account.
func (db *DB) SessionByHash(ctx context.Context, hash string, now time.Time) (*Session, *hearth.User, error) {
	var s Session
	var created, seen, expires int64
	u, err := scanUser(db.queryRow(ctx, `SELECT `+prefixed("u.", userColumns)+`, s.created_at, s.last_seen_at, s.expires_at, s.second_factor, s.agent
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`, hash, now.Unix()),
		&created, &seen, &expires, &s.SecondFactor, &s.Agent)
	if err != nil {
		return nil, nil, notFound(err, "The session")
	}
	s.TokenHash, s.UserID = hash, u.ID
	s.Created, s.LastSeen, s.Expires = fromUnix(created), fromUnix(seen), fromUnix(expires)
	return &s, u, nil
}

// TouchSession records activity and moves the expiry.
func (db *DB) TouchSession(ctx context.Context, hash string, seen, expires time.Time) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?`), unix(seen), unix(expires), hash)
	return err
}

// TouchSessionAgent records activity, moves the expiry and notes the
// browser's family.
func (db *DB) TouchSessionAgent(ctx context.Context, hash string, seen, expires time.Time, agent string) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`UPDATE sessions SET last_seen_at = ?, expires_at = ?, agent = ? WHERE token_hash = ?`), unix(seen), unix(expires), agent, hash)
	return err
}

// MarkSessionSecondFactor records that a session passed the second factor.
func (db *DB) MarkSessionSecondFactor(ctx context.Context, hash string, userID int64) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`UPDATE sessions SET second_factor = ? WHERE token_hash = ? AND user_id = ?`), true, hash, userID)
	return err
}

// DeleteSession signs one browser out.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	_, err := db.write.ExecContext(ctx, db.rebind(`DELETE FROM sessions WHERE token_hash = ?`), hash)
	return err
}

// DeleteExpiredSessions removes sessions past their expiry.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := db.write.ExecContext(ctx, db.rebind(`DELETE FROM sessions WHERE expires_at <= ?`), now.Unix())
	if err != nil {
		return 0, err
	}
	if _, err := db.write.ExecContext(ctx, db.rebind(`DELETE FROM pending_signins WHERE expires_at <= ?`), now.Unix()); err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Token is a personal access token for the API; only its hash is stored.
type Token struct {
	ID       int64     `json:"id"`
	Name     string    `json:"name"`
	Created  time.Time `json:"created_at"`
	LastUsed time.Time `json:"last_used_at,omitzero"`
}

// CreateToken stores a new token hash for the account.
func (db *DB) CreateToken(ctx context.Context, userID int64, name, hash string) (*Token, error) {
	return db.CreateTokenWith(ctx, userID, name, hash, false)
}

// CreateTokenWith stores a new token hash, saying whether it was made by a
// sign-in that passed the second factor.
func (db *DB) CreateTokenWith(ctx context.Context, userID int64, name, hash string, secondFactor bool) (*Token, error) {
	t := &Token{Name: name, Created: db.now().UTC().Truncate(time.Second)}
	err := db.InTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM api_tokens WHERE user_id = ? AND revoked_at = 0`, userID).Scan(&n); err != nil {
			return err
		}
		if n >= 20 {
			return hearth.Coded(hearth.Conflict, "too_many_tokens", "You have 20 active tokens; revoke one before creating another.")
		}
		id, err := tx.insert(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, second_factor) VALUES (?, ?, ?, ?, ?)`, userID, name, hash, unix(t.Created), secondFactor)
		t.ID = id
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Tokens lists the account's active tokens.
func (db *DB) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	rows, err := db.query(ctx, `SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = ? AND revoked_at = 0 ORDER BY id`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	out := []Token{}
	for rows.Next() {
		var t Token
		var c, l int64
		if err := rows.Scan(&t.ID, &t.Name, &c, &l); err != nil {
			return nil, err
		}
		t.Created, t.LastUsed = fromUnix(c), fromUnix(l)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of the account's tokens.
func (db *DB) RevokeToken(ctx context.Context, userID, id int64) error {
	res, err := db.write.ExecContext(ctx, db.rebind(`UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at = 0`), db.now().Unix(), id, userID)
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hearth.Errorf(hearth.NotFound, "The token was not found.")
	}
	return nil
}

// UserByToken returns the account a live token belongs to and records its use.
func (db *DB) UserByToken(ctx context.Context, hash string) (*hearth.User, error) {
	u, _, err := db.UserByTokenHash(ctx, hash)
	return u, err
}

// UserByTokenHash returns the account a live token belongs to, whether the
// token was made by a sign-in that passed the second factor, and records
// its use.
func (db *DB) UserByTokenHash(ctx context.Context, hash string) (*hearth.User, bool, error) {
	var tokenID, lastUsed int64
	var secondFactor bool
	u, err := scanUser(db.queryRow(ctx, `SELECT `+prefixed("u.", userColumns)+`, t.id, t.last_used_at, t.second_factor FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND t.revoked_at = 0`, hash), &tokenID, &lastUsed, &secondFactor)
	if err != nil {
		return nil, false, notFound(err, "The token")
	}
	now := db.now().Unix()
	if now-lastUsed > 60 { // record use at most once a minute
		_, _ = db.write.ExecContext(ctx, db.rebind(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`), now, tokenID)
	}
	return u, secondFactor, nil
}

// Member is a membership with the facts a facilitator may see.
type Member struct {
	hearth.Membership
	Handle string
}

// CreateMembership adds a person to a group under a pseudonym and counts
// active members, in one transaction. A taken pseudonym is a Conflict.
func (db *DB) CreateMembership(ctx context.Context, m *hearth.Membership) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if m.JoinedAt.IsZero() {
			m.JoinedAt = db.now().UTC().Truncate(time.Second)
		}
		var existing string
		err := tx.queryRow(ctx, `SELECT status FROM memberships WHERE group_id = ? AND user_id = ?`, m.GroupID, m.UserID).Scan(&existing)
		switch {
		case err == nil:
			if hearth.MembershipStatus(existing) == hearth.StatusBanned {
				return hearth.Coded(hearth.Forbidden, "banned", "You cannot join this group.")
			}
			return hearth.Coded(hearth.Conflict, "already_member", "You already belong to this group.")
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("check membership: %w", err)
		}
		id, err := tx.insert(ctx, `INSERT INTO memberships (group_id, user_id, role, status, pseudonym, pseudonym_key, guidelines_version, joined_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.GroupID, m.UserID, string(m.Role), string(m.Status), m.Pseudonym, pseudonymKey(m.Pseudonym), m.GuidelinesVersion, unix(m.JoinedAt))
		if isUnique(err) {
			return &hearth.Error{Kind: hearth.Conflict, Code: "pseudonym_taken", Message: "Someone in this group already uses that name.",
				Fields: []hearth.FieldError{{Field: "pseudonym", Code: "taken", Message: "Someone in this group already uses that name; choose another."}}}
		}
		if err != nil {
			return fmt.Errorf("insert membership: %w", err)
		}
		m.ID = id
		if m.TakesSeat() { // facilitators take no seat (membership.go)
			// updated_at moves so other processes' directories see the seat taken.
			if _, err := tx.exec(ctx, `UPDATE groups SET active_members = active_members + 1, updated_at = ? WHERE id = ?`, db.now().Unix(), m.GroupID); err != nil {
				return fmt.Errorf("count member: %w", err)
			}
		}
		return nil
	})
}

// pseudonymKey makes pseudonyms unique inside a group regardless of case.
func pseudonymKey(p string) string { return strings.ToLower(hearth.NormalizePseudonym(p)) }

// Membership returns a person's membership of a group.
func (db *DB) Membership(ctx context.Context, groupID, userID int64) (*hearth.Membership, error) {
	m, err := scanMembership(db.queryRow(ctx, `SELECT `+membershipCols("")+` FROM memberships WHERE group_id = ? AND user_id = ?`, groupID, userID))
	return m, notFound(err, "The membership")
}

// Facilitators lists the people who lead a group, by pseudonym.
func (db *DB) Facilitators(ctx context.Context, groupID int64) ([]Member, error) {
	rows, err := db.query(ctx, `SELECT m.id, m.group_id, m.user_id, m.role, m.status, m.pseudonym, m.guidelines_version, m.joined_at, u.handle
		FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = ? AND m.role <> ? AND m.status = ? ORDER BY m.pseudonym, m.id`,
		groupID, string(hearth.RoleMember), string(hearth.StatusActive))
	if err != nil {
		return nil, fmt.Errorf("list facilitators: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		var role, status string
		var joined int64
		if err := rows.Scan(&m.ID, &m.GroupID, &m.UserID, &role, &status, &m.Pseudonym, &m.GuidelinesVersion, &joined, &m.Handle); err != nil {
			return nil, err
		}
		m.Role, m.Status, m.JoinedAt = hearth.Role(role), hearth.MembershipStatus(status), fromUnix(joined)
		out = append(out, m)
	}
	return out, rows.Err()
}

// SetRole changes an active member's role (appointing or standing down a
// facilitator).
func (db *DB) SetRole(ctx context.Context, groupID, userID int64, role hearth.Role) error {
	res, err := db.write.ExecContext(ctx, db.rebind(`UPDATE memberships SET role = ? WHERE group_id = ? AND user_id = ? AND status = ?`),
		string(role), groupID, userID, string(hearth.StatusActive))
	if err != nil {
		return fmt.Errorf("set role: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hearth.Errorf(hearth.NotFound, "That person is not an active member of the group.")
	}
	return nil
}

// MyGroup is one of a person's memberships with the group's name.
type MyGroup struct {
	hearth.Membership
	GroupSlug string
	GroupName string
}

// MembershipsOf lists a person's memberships, newest first.
func (db *DB) MembershipsOf(ctx context.Context, userID int64) ([]MyGroup, error) {
	rows, err := db.query(ctx, `SELECT m.id, m.group_id, m.role, m.status, m.pseudonym, m.guidelines_version, m.joined_at, g.slug, g.name
		FROM memberships m JOIN groups g ON g.id = m.group_id WHERE m.user_id = ? ORDER BY m.joined_at DESC, m.id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list memberships: %w", err)
	}
	defer rows.Close()
	out := []MyGroup{}
	for rows.Next() {
		var m MyGroup
		var role, status string
		var joined int64
		if err := rows.Scan(&m.ID, &m.GroupID, &role, &status, &m.Pseudonym, &m.GuidelinesVersion, &joined, &m.GroupSlug, &m.GroupName); err != nil {
			return nil, err
		}
		m.UserID, m.Role, m.Status, m.JoinedAt = userID, hearth.Role(role), hearth.MembershipStatus(status), fromUnix(joined)
		out = append(out, m)
	}
	return out, rows.Err()
}

// LockUsers takes the row locks of people's accounts for the rest of the
// transaction (in id order, so two transactions never wait on each other),
// to count and add one person's rows one transaction at a time — such as
// reports against their limits. SQLite's single writer already serializes
// write transactions; PostgreSQL locks the rows.
func (t *Tx) LockUsers(ctx context.Context, ids ...int64) error {
	if t.db.engine != Postgres {
		return nil
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for _, id := range ids {
		if id == 0 {
			continue
		}
		var got int64
		if err := t.queryRow(ctx, `SELECT id FROM users WHERE id = ? FOR UPDATE`, id).Scan(&got); err != nil {
			return notFound(err, "The account")
		}
	}
	return nil
}
