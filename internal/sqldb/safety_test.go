package sqldb_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
)

// TestAuditLogIsAppendOnly proves, on each engine, that the database itself
// refuses to change or delete an audit entry, whatever connection asks: a
// bug or a later feature cannot rewrite who did what.
func TestAuditLogIsAppendOnly(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dbURL, dir := sqldbtest.URL(t, e)
			db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			entry := &sqldb.AuditEntry{ActorID: 7, Action: "escalation.acknowledged", OrgID: 3, SubjectKind: "escalation", SubjectID: 12, Reason: ""}
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.AppendAudit(ctx, entry) }); err != nil {
				t.Fatal(err)
			}
			// A raw connection of our own, as any other code would have.
			driver, dsn := "pgx", dbURL
			if e == sqldb.SQLite {
				driver, dsn = "sqlite", "file:"+filepath.Join(dir, "hearth.db")
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			for _, q := range []string{"UPDATE audit_log SET reason = 'rewritten'", "DELETE FROM audit_log"} {
				t.Run(strings.Fields(q)[0]+" is refused", func(t *testing.T) {
					_, err := raw.ExecContext(ctx, q)
					if err == nil || !strings.Contains(err.Error(), "append-only") {
						t.Fatalf("%s: %v", q, err)
					}
				})
			}
			t.Run("the entry is intact", func(t *testing.T) {
				list, err := db.AuditLog(ctx, 3, 0, 10)
				if err != nil || len(list) != 1 || list[0].Action != entry.Action || list[0].SubjectID != 12 || list[0].Reason != "" {
					t.Fatalf("%+v %v", list, err)
				}
			})
			t.Run("another organization's log is empty", func(t *testing.T) {
				list, err := db.AuditLog(ctx, 4, 0, 10)
				if err != nil || len(list) != 0 {
					t.Fatalf("%+v %v", list, err)
				}
			})
		})
	}
}

// TestEscalationsStore covers the escalation rows: what is kept (never the
// text), the due list the chore reads, and the on-call list.
func TestEscalationsStore(t *testing.T) {
	forEachEngineAt(t, func(t *testing.T, db *sqldb.DB, c *clock) {
		ctx := context.Background()
		o := &hearth.Organization{Slug: "riverside", Name: "Riverside"}
		if err := db.CreateOrganization(ctx, o); err != nil {
			t.Fatal(err)
		}
		g := &hearth.Group{OrgID: o.ID, Slug: "grief-circle", Name: "Grief Circle", Description: "A circle.", Topics: []string{"grief"},
			Format: hearth.Online, Leadership: hearth.PeerLed, Policy: hearth.Open, Visibility: hearth.Listed,
			Location: hearth.Location{City: "Madrid", Country: "ES", TimeZone: "Europe/Madrid"}}
		if err := db.CreateGroup(ctx, g, nil); err != nil {
			t.Fatal(err)
		}
		author, first, second := newUser(t, db, "author", ""), newUser(t, db, "first-on-call", ""), newUser(t, db, "second-on-call", "")
		now := c.Now()
		e := &sqldb.Escalation{OrgID: o.ID, GroupID: g.ID, AuthorID: author.ID, Tier: 3, Categories: []string{"imminent", "suicidal"}, Language: "es",
			Held: true, WritingKind: "intake_answer", WritingID: 41, CreatedAt: now, NextAt: now.Add(5 * time.Minute)}
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			if err := tx.InsertEscalation(ctx, e); err != nil {
				return err
			}
			return tx.AddEscalationStep(ctx, &sqldb.EscalationStep{EscalationID: e.ID, Kind: sqldb.StepRaised})
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("an escalation reads back as stored, open", func(t *testing.T) {
			got, err := db.Escalation(ctx, e.ID)
			if err != nil || got.Status != sqldb.EscalationOpen || got.Tier != 3 || !slices.Equal(got.Categories, []string{"imminent", "suicidal"}) ||
				!got.Held || got.WritingID != 41 || got.GroupSlug != "grief-circle" || !got.NextAt.Equal(now.Add(5*time.Minute)) {
				t.Fatalf("%+v %v", got, err)
			}
		})
		t.Run("it is due only once its time has come, and no longer once acknowledged", func(t *testing.T) {
			if due, _ := db.DueEscalations(ctx, now.Add(4*time.Minute), 10); len(due) != 0 {
				t.Fatalf("due early: %v", due)
			}
			if due, _ := db.DueEscalations(ctx, now.Add(5*time.Minute), 10); !slices.Equal(due, []int64{e.ID}) {
				t.Fatalf("not due: %v", due)
			}
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				cur, err := tx.LockEscalation(ctx, e.ID)
				if err != nil {
					return err
				}
				cur.Status, cur.AcknowledgedAt, cur.AcknowledgedBy, cur.NextAt = sqldb.EscalationAcknowledged, now, first.ID, time.Time{}
				return tx.SaveEscalation(ctx, cur)
			})
			if err != nil {
				t.Fatal(err)
			}
			if due, _ := db.DueEscalations(ctx, now.Add(time.Hour), 10); len(due) != 0 {
				t.Fatalf("due after acknowledgement: %v", due)
			}
		})
		t.Run("the queue filters by organization, group and status", func(t *testing.T) {
			for _, c := range []struct {
				f    sqldb.EscalationFilter
				want int
			}{
				{sqldb.EscalationFilter{OrgIDs: []int64{o.ID}}, 1},
				{sqldb.EscalationFilter{GroupIDs: []int64{g.ID}, Status: sqldb.EscalationAcknowledged}, 1},
				{sqldb.EscalationFilter{GroupIDs: []int64{g.ID}, Status: sqldb.EscalationOpen}, 0},
				{sqldb.EscalationFilter{GroupIDs: []int64{g.ID + 100}}, 0},
				{sqldb.EscalationFilter{}, 0},
				{sqldb.EscalationFilter{All: true}, 1},
			} {
				if got, err := db.Escalations(ctx, c.f); err != nil || len(got) != c.want {
					t.Errorf("%+v: %d, want %d (%v)", c.f, len(got), c.want, err)
				}
			}
		})
		t.Run("an on-call list keeps its order, refuses a person twice, and can be replaced", func(t *testing.T) {
			set := func(ids ...int64) error {
				return db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetOnCall(ctx, o.ID, ids, now) })
			}
			if err := set(second.ID, first.ID); err != nil {
				t.Fatal(err)
			}
			list, _ := db.OnCall(ctx, o.ID)
			if len(list) != 2 || list[0].Handle != "second-on-call" || list[1].Position != 2 {
				t.Fatalf("%+v", list)
			}
			if err := set(first.ID, first.ID); hearth.ErrorKind(err) != hearth.Invalid {
				t.Fatalf("twice: %v", err)
			}
			if list, _ := db.OnCall(ctx, o.ID); len(list) != 2 {
				t.Fatal("a refused change changed the list")
			}
			if orgs, _ := db.OnCallOrgs(ctx, first.ID); !slices.Equal(orgs, []int64{o.ID}) {
				t.Fatalf("orgs %v", orgs)
			}
		})
		t.Run("acknowledgement minutes are 5 until set", func(t *testing.T) {
			if m, _ := db.AckMinutes(ctx, o.ID); m != 5 {
				t.Fatalf("%d", m)
			}
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return tx.SetAckMinutes(ctx, o.ID, 12, now) }); err != nil {
				t.Fatal(err)
			}
			if m, _ := db.AckMinutes(ctx, o.ID); m != 12 {
				t.Fatalf("%d", m)
			}
		})
	})
}
