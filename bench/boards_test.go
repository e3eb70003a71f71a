package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/app"
	"github.com/hearth-org/hearth/internal/sqldb"
)

// Words a support group's board is made of, in English and Spanish, and
// what members search for.
var (
	boardWordsEN = strings.Fields(`tired sleep walking helped mother father caregiver appointment doctor nurse hospital medication
		tonight morning week month anxious grateful lonely angry sad hope memory forgot visit call sister brother daughter son
		husband wife friend meeting group support talk listened cried laughed breathe patience routine dinner garden music`)
	boardWordsES = strings.Fields(`cansada dormir caminar ayudó madre padre cuidadora cita médico enfermera hospital medicación
		noche mañana semana mes ansiosa agradecida sola enfadada triste esperanza recuerdo olvidó visita llamada hermana hermano
		hija hijo marido esposa amiga reunión grupo apoyo hablar escuchó lloré reí respirar paciencia rutina cena jardín música`)
	boardQueries = []string{"walking", "cansado", "hospital", "madre", "grateful sleep", "paciencia rutina", "dementia", "llamadas"}
)

// boardText is a post of n words in one language.
func boardText(r *rand.Rand, n int) string {
	words := boardWordsEN
	if r.IntN(3) == 0 {
		words = boardWordsES
	}
	out := make([]string, n)
	for i := range out {
		out[i] = words[r.IntN(len(words))]
	}
	return strings.Join(out, " ") + "."
}

// BenchmarkBoardSearch measures a search inside one group's board of
// 2,000 posts (200 threads of 10) on SQLite, through app.Board as a member
// asks it: the group's newest posts (all 2,000 here) are read, opened
// (AES-GCM under the group's key) and matched by stem in memory, then the
// page of matching threads is read. Posts are written through the real
// use cases (screened, sealed) before the timer starts.
func BenchmarkBoardSearch(b *testing.B) {
	ctx := context.Background()
	db, err := sqldb.Open(ctx, sqldb.Options{DataDir: b.TempDir(), Now: benchClock})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	a := newApp(b, db)
	site := hearth.Actor{SiteAdmin: true}
	org := &hearth.Organization{Name: "Bench Org"}
	if err := a.CreateOrganization(ctx, site, org); err != nil {
		b.Fatal(err)
	}
	g := &hearth.Group{Name: "Caregivers Board", Description: "A group for caregivers.", Topics: []string{"grief"},
		Audience: hearth.Audience{Languages: []string{"en", "es"}}, Format: hearth.Online, Leadership: hearth.PeerLed, Policy: hearth.Open,
		Guidelines: "Be kind.", Location: hearth.Location{TimeZone: "Europe/Madrid"},
		Schedule: hearth.Schedule{Weekday: time.Tuesday, Start: 18 * 60, Duration: 60}}
	if err := a.CreateGroup(ctx, site, org.Slug, g); err != nil {
		b.Fatal(err)
	}
	fac, _, err := a.CreateUser(ctx, "bench-facilitator", "", "long enough words", false)
	if err != nil {
		b.Fatal(err)
	}
	if err := a.AppointFacilitator(ctx, site, g.Slug, "bench-facilitator", "Fran", ""); err != nil {
		b.Fatal(err)
	}
	mem, _, err := a.CreateUser(ctx, "bench-member", "", "long enough words", false)
	if err != nil {
		b.Fatal(err)
	}
	member := hearth.Actor{UserID: mem.ID}
	if _, err := a.Join(ctx, member, g.Slug, app.JoinRequest{Pseudonym: "Mel", AcceptGuidelines: true}); err != nil {
		b.Fatal(err)
	}
	// The facilitator writes every post: facilitators are not held to the
	// posting rate, and who wrote does not change the search's work.
	writer := hearth.Actor{UserID: fac.ID}
	r := rand.New(rand.NewPCG(6, 2000))
	t0 := time.Now()
	for th := 0; th < 200; th++ {
		p, err := a.StartThread(ctx, writer, g.Slug, app.PostInput{Title: boardText(r, 6), Body: boardText(r, 40+r.IntN(80))})
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < 9; i++ {
			if _, err := a.Reply(ctx, writer, g.Slug, p.ThreadID, app.PostInput{Body: boardText(r, 20+r.IntN(100))}); err != nil {
				b.Fatal(err)
			}
		}
	}
	fmt.Printf("# board of 2,000 posts written through the use cases in %s\n", time.Since(t0).Round(time.Millisecond))

	for _, q := range boardQueries { // warm up (and the data key cache)
		if _, err := a.Board(ctx, member, g.Slug, app.BoardQuery{Q: q}); err != nil {
			b.Fatal(err)
		}
	}
	lat := make([]time.Duration, 0, 1024)
	found := 0
	cpu0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		q := boardQueries[i%len(boardQueries)]
		s := time.Now()
		v, err := a.Board(ctx, member, g.Slug, app.BoardQuery{Q: q})
		lat = append(lat, time.Since(s))
		if err != nil {
			b.Fatal(err)
		}
		found += v.Total
	}
	cpu := cpuTime() - cpu0
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	b.ReportMetric(ms(percentile(lat, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(lat, 99)), "p99-ms")
	b.ReportMetric(float64(found)/float64(len(lat)), "threads/op")
	if cpu > 0 {
		b.ReportMetric(ms(cpu)/float64(len(lat)), "cpu-ms/op")
	}
}
