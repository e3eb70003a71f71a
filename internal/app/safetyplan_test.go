package app_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/password"
	"github.com/hearth-org/hearth/internal/sqldb"
	"github.com/hearth-org/hearth/internal/sqldb/sqldbtest"
	"github.com/hearth-org/hearth/internal/vault"
)

func planActor(t *testing.T, a *app.App, handle string, siteAdmin bool) hearth.Actor {
	t.Helper()
	u, _, err := a.CreateUser(context.Background(), handle, "", "correct horse battery staple", siteAdmin)
	if err != nil {
		t.Fatal(err)
	}
	return hearth.Actor{UserID: u.ID, Handle: u.Handle, SiteAdmin: siteAdmin}
}

func samplePlan(marker string) hearth.SafetyPlan {
	return hearth.SafetyPlan{
		WarningSigns:     []string{"I stop answering messages " + marker, "No duermo"},
		Coping:           []string{"A hot shower", "Walk the dog around the block"},
		Distractions:     []string{"The library on Main Street", "Call Marta to talk about football"},
		People:           []hearth.PlanContact{{Name: "Ana (sister)", Phone: "+34 600 000 000"}, {Name: "Luis"}},
		Professionals:    []hearth.PlanContact{{Name: "Dr. Ruiz", Phone: "555 0100"}, {Name: "024", Phone: "024"}},
		SafeSurroundings: []string{"Ask Ana to keep my medication"},
		Reasons:          []string{"My daughter", "Seeing the sea again"},
	}
}

func TestSafetyPlan(t *testing.T) {
	for _, e := range sqldbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			a := newApp(t, e)
			river := planActor(t, a, "river", false)
			admin := planActor(t, a, "site-admin", true)

			t.Run("a person without a plan sees an empty one", func(t *testing.T) {
				v, err := a.SafetyPlan(ctx, river, 0)
				if err != nil || v.Version != 0 || !v.Plan.Empty() || len(v.Versions) != 0 || v.Kept != hearth.PlanVersionsKept {
					t.Fatalf("got %+v %v", v, err)
				}
			})
			t.Run("a saved plan reads back as written, trimmed of empty lines", func(t *testing.T) {
				in := samplePlan("first")
				in.Coping = append(in.Coping, "  ", "")
				saved, err := a.SaveSafetyPlan(ctx, river, app.SafetyPlanInput{Plan: in, Country: "ES", Lang: "es"})
				if err != nil || saved.Version != 1 || saved.Pruned != 0 || !saved.SavedAt.Equal(fixedNow) {
					t.Fatalf("got %+v %v", saved, err)
				}
				v, err := a.SafetyPlan(ctx, river, 0)
				if err != nil {
					t.Fatal(err)
				}
				if want := samplePlan("first"); !reflect.DeepEqual(v.Plan, want) {
					t.Fatalf("read back %+v\nwant %+v", v.Plan, want)
				}
				if v.Version != 1 || v.Latest != 1 || !v.Current() || len(v.Versions) != 1 {
					t.Fatalf("view %+v", v)
				}
			})
			t.Run("every save is a new version and only the newest are kept", func(t *testing.T) {
				for i := 2; i <= hearth.PlanVersionsKept+2; i++ {
					saved, err := a.SaveSafetyPlan(ctx, river, app.SafetyPlanInput{Plan: samplePlan(fmt.Sprintf("v%d", i)), Lang: "en"})
					if err != nil || saved.Version != i {
						t.Fatalf("save %d: %+v %v", i, saved, err)
					}
					wantPruned := int64(0)
					if i > hearth.PlanVersionsKept {
						wantPruned = 1
					}
					if saved.Pruned != wantPruned {
						t.Fatalf("save %d pruned %d, want %d", i, saved.Pruned, wantPruned)
					}
				}
				latest := hearth.PlanVersionsKept + 2
				v, err := a.SafetyPlan(ctx, river, 0)
				if err != nil || v.Version != latest || len(v.Versions) != hearth.PlanVersionsKept {
					t.Fatalf("got version %d with %d kept: %v", v.Version, len(v.Versions), err)
				}
				if v.Versions[len(v.Versions)-1].Version != 3 {
					t.Fatalf("oldest kept %d, want 3", v.Versions[len(v.Versions)-1].Version)
				}
				old, err := a.SafetyPlan(ctx, river, 3)
				if err != nil || old.Plan.WarningSigns[0] != "I stop answering messages v3" || old.Current() {
					t.Fatalf("version 3: %+v %v", old, err)
				}
				for _, gone := range []int{1, 2, latest + 1, -1} {
					if _, err := a.SafetyPlan(ctx, river, gone); hearth.ErrorKind(err) != hearth.NotFound {
						t.Fatalf("version %d: %v", gone, err)
					}
				}
			})
			t.Run("nobody else reads it, not even a site administrator", func(t *testing.T) {
				v, err := a.SafetyPlan(ctx, admin, 0)
				if err != nil || v.Version != 0 || !v.Plan.Empty() {
					t.Fatalf("the admin sees %+v %v", v, err)
				}
				if _, err := a.SafetyPlan(ctx, admin, 3); hearth.ErrorKind(err) != hearth.NotFound {
					t.Fatalf("the admin asking for version 3: %v", err)
				}
				if _, err := a.SafetyPlan(ctx, hearth.Anonymous, 0); hearth.ErrorKind(err) != hearth.Unauthorized {
					t.Fatalf("anonymous: %v", err)
				}
			})
			t.Run("bad input is refused and changes nothing", func(t *testing.T) {
				before, _ := a.SafetyPlan(ctx, river, 0)
				tooMany := samplePlan("bad")
				for len(tooMany.Reasons) <= hearth.MaxPlanItems {
					tooMany.Reasons = append(tooMany.Reasons, "one more")
				}
				tooLong := samplePlan("bad")
				tooLong.Coping[0] = strings.Repeat("x", hearth.MaxPlanItemLen+1)
				badPhone := samplePlan("bad")
				badPhone.People[0].Phone = "call me maybe"
				for name, p := range map[string]hearth.SafetyPlan{"too many items": tooMany, "a line too long": tooLong, "a bad phone": badPhone} {
					if _, err := a.SaveSafetyPlan(ctx, river, app.SafetyPlanInput{Plan: p}); hearth.ErrorKind(err) != hearth.Invalid {
						t.Fatalf("%s: %v", name, err)
					}
				}
				after, _ := a.SafetyPlan(ctx, river, 0)
				if after.Version != before.Version || !reflect.DeepEqual(after.Plan, before.Plan) || len(after.Versions) != len(before.Versions) {
					t.Fatalf("a refused save changed the plan: %d → %d", before.Version, after.Version)
				}
			})
			t.Run("a plan that reads as a crisis brings its writer help, and only its writer", func(t *testing.T) {
				for _, tc := range []struct {
					text    string
					support bool
				}{
					{"Tengo las pastillas listas, hoy es el día", true},
					{"I have the pills ready and tonight is the night", true},
					{"A hot shower and a walk with the dog", false},
				} {
					p := samplePlan("crisis")
					p.WarningSigns = []string{tc.text}
					saved, err := a.SaveSafetyPlan(ctx, river, app.SafetyPlanInput{Plan: p, Country: "ES", Lang: "es"})
					if err != nil {
						t.Fatal(err)
					}
					if (saved.Support != nil) != tc.support {
						t.Fatalf("%q: support %+v, want %v", tc.text, saved.Support, tc.support)
					}
					if saved.Support == nil {
						continue
					}
					if saved.Support.StaffTold || saved.Support.SafetyPlan != app.SafetyPlanPath || len(saved.Support.Helplines) == 0 || saved.Support.Helplines[0].Code != "ES" {
						t.Fatalf("%q: support %+v", tc.text, saved.Support)
					}
				}
				n, err := a.UnreadNotices(ctx, admin)
				if err != nil || n != 0 {
					t.Fatalf("someone else was told: %d notices (%v)", n, err)
				}
			})
			t.Run("deleting removes every version", func(t *testing.T) {
				n, err := a.DeleteSafetyPlan(ctx, river)
				if err != nil || n != int64(hearth.PlanVersionsKept) { // the crisis saves above pruned as many as they added
					t.Fatalf("deleted %d: %v", n, err)
				}
				v, err := a.SafetyPlan(ctx, river, 0)
				if err != nil || v.Version != 0 || len(v.Versions) != 0 {
					t.Fatalf("after delete: %+v %v", v, err)
				}
				saved, err := a.SaveSafetyPlan(ctx, river, app.SafetyPlanInput{Plan: samplePlan("again")})
				if err != nil || saved.Version != 1 {
					t.Fatalf("a plan written after deleting starts again at 1: %+v %v", saved, err)
				}
			})
		})
	}
}

// TestSafetyPlanIsStoredOnlySealed saves a plan carrying a marker and reads
// every byte of the SQLite database, its write-ahead log and the master key
// file: the marker appears nowhere.
func TestSafetyPlanIsStoredOnlySealed(t *testing.T) {
	ctx := context.Background()
	dbURL, dir := sqldbtest.URL(t, sqldb.SQLite)
	db, err := sqldb.Open(ctx, sqldb.Options{URL: dbURL, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v, _, err := vault.OpenFile(ctx, db, filepath.Join(dir, "master.key"), true, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Config{DB: db, Vault: v, Now: func() time.Time { return fixedNow }, PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	river := planActor(t, a, "river", false)
	const marker = "ZEBRA-MARKER-7731"
	p := samplePlan(marker)
	p.People[1].Name = "Luis " + marker
	p.Reasons = append(p.Reasons, "La niña "+marker)
	if _, err := a.SaveSafetyPlan(ctx, river, app.SafetyPlanInput{Plan: p}); err != nil {
		t.Fatal(err)
	}
	if got, err := a.SafetyPlan(ctx, river, 0); err != nil || got.Plan.People[1].Name != "Luis "+marker {
		t.Fatalf("the plan does not read back: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	read := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		read += len(b)
		if bytes.Contains(b, []byte(marker)) || bytes.Contains(b, []byte("Ana (sister)")) {
			t.Errorf("%s holds the plan's text in the clear", filepath.Base(f))
		}
	}
	if read == 0 {
		t.Fatal("no database file was read")
	}
}
