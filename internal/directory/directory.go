// Package directory is the in-memory search index of the group directory.
// The database is the record; this index answers searches. It is built from
// the database at start, kept current by every write the process makes and
// refreshed from the database for writes other processes make. It holds only
// what search needs (ids, filter attributes, positions, stems and weights),
// never the text of a group, so 100,000 groups fit in tens of megabytes and a
// query with text, filters and distance takes a fraction of a millisecond.
//
// Searching in Go rather than in SQL gives the same answer on SQLite and
// PostgreSQL by construction, and keeps the directory fast on a small
// machine where per-row SQL (EXISTS over tags, aggregates over terms) costs
// hundreds of milliseconds at 100,000 groups.
package directory

import (
	"math"
	"slices"
	"sync"
	"time"

	"github.com/hearth-org/hearth"
)

// Query is a directory search with words already stemmed, places resolved
// to points and the viewer's day and time windows placed in the UTC week.
// Only listed groups are ever returned.
type Query struct {
	Words         [][]string // every word must match one of its stems
	Topics        []string   // any of (already expanded to children)
	Formats       []hearth.Format
	Leadership    []hearth.Leadership
	Policy        hearth.Policy // exact, or empty
	AcceptingAt   time.Time     // zero: no filter
	Languages     []string      // any of
	AgeBand       string        // the band, or groups for all ages
	Gender        string        // the gender, or groups for anyone
	Communities   []string      // any of
	Access        []string      // all of
	Costs         []hearth.CostKind
	Windows       [][2]int // UTC week-minute ranges, inclusive; empty: any time
	Near          *hearth.Point
	RadiusKm      float64
	ExcludeRemote bool
	Sort          hearth.Sort
	Now           time.Time // for "soonest"
	Limit, Offset int
}

// Match is one group found, with its text score.
type Match struct {
	ID    int64
	Score int
}

// doc is what the index keeps of one group.
type doc struct {
	id         int64
	listed     bool
	remote     bool
	hasPoint   bool
	format     hearth.Format
	leadership hearth.Leadership
	policy     hearth.Policy
	cost       hearth.CostKind
	ageBand    string
	gender     string
	topics     uint64
	languages  uint64
	community  uint64
	access     uint64
	x, y, z    float64
	schedule   hearth.Schedule
	zone       string
	weekMinute int // start in the UTC week, recomputed as offsets change
	opens      int64
	closes     int64
	capacity   int
	active     int
	name       string   // for sorting by name only
	terms      []uint32 // term ids, to take the group out of their postings
}

// A posting is one group in a term's list: its slot in the upper 24 bits and
// the term's weight (1–255) in the lower 8, so 14 million postings take 56 MB.
const maxSlots = 1 << 24

func posting(slot uint32, weight uint8) uint32 { return slot<<8 | uint32(weight) }
func slotOf(p uint32) uint32                   { return p >> 8 }
func weightOf(p uint32) int32                  { return int32(p & 0xff) }

// Index is the directory's search index; safe for concurrent use. Groups
// live in dense slots so that a query scores into plain arrays instead of
// maps.
type Index struct {
	mu       sync.RWMutex
	slots    []doc // by value, for locality; id 0 where a group was removed
	free     []uint32
	byID     map[int64]uint32
	termIDs  map[string]uint32 // each stem once
	postings [][]uint32        // by term id
	zones    map[string]*time.Location
	bits     map[string]uint // tag value → bit, per kind
	scratch  sync.Pool       // *scratch sized to the slots
}

// scratch is one query's working memory, reused across queries.
type scratch struct {
	score []int32
	words []uint8 // how many query words matched the slot
	last  []uint8 // the last word that counted, so two stems of one word count once
}

// New returns an empty index.
func New() *Index {
	ix := &Index{byID: map[int64]uint32{}, termIDs: map[string]uint32{}, zones: map[string]*time.Location{}, bits: map[string]uint{}}
	for kind, values := range map[string][]string{"topic": topicSlugs(), "language": hearth.Languages, "community": hearth.Communities, "access": hearth.AccessibilityFeatures} {
		for i, v := range values {
			ix.bits[kind+":"+v] = uint(i)
		}
	}
	return ix
}

func topicSlugs() []string {
	var out []string
	for _, t := range hearth.Topics() {
		out = append(out, t.Slug)
	}
	return out
}

// mask turns tag values into a bit set; unknown values set no bit.
func (ix *Index) mask(kind string, values []string) uint64 {
	var m uint64
	for _, v := range values {
		if b, ok := ix.bits[kind+":"+v]; ok && b < 64 {
			m |= 1 << b
		}
	}
	return m
}

// Len reports how many groups the index holds.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.byID)
}

// Put adds or replaces a group. With terms nil the group's search terms are
// kept (a change of attributes only, such as its member count). A group
// without an id (not stored yet) is ignored.
func (ix *Index) Put(g *hearth.Group, terms map[string]int, now time.Time) {
	if g.ID <= 0 {
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	d := &doc{
		id: g.ID, listed: g.Visibility == hearth.Listed, remote: g.Format.Remote(), hasPoint: g.Location.HasPoint,
		format: g.Format, leadership: g.Leadership, policy: g.Policy, cost: g.Cost.Kind,
		ageBand: g.Audience.AgeBand, gender: g.Audience.Gender,
		topics: ix.mask("topic", g.Topics), languages: ix.mask("language", g.Audience.Languages),
		community: ix.mask("community", g.Audience.Communities), access: ix.mask("access", g.Accessibility),
		schedule: g.Schedule, zone: g.Location.TimeZone, active: g.ActiveMembers, name: g.Name,
	}
	if d.hasPoint {
		d.x, d.y, d.z = hearth.Point{Lat: g.Location.Lat, Lon: g.Location.Lon}.UnitVector()
	}
	if e := g.Enrollment; e != nil {
		d.opens, d.closes, d.capacity = e.Opens.Unix(), e.Closes.Unix(), e.Cap
	}
	d.weekMinute = ix.weekMinute(d, now)
	slot, exists := ix.byID[g.ID]
	if !exists && len(ix.free) == 0 && len(ix.slots) >= maxSlots {
		return // past 16 million groups the index holds no more
	}
	if !exists {
		if n := len(ix.free); n > 0 {
			slot, ix.free = ix.free[n-1], ix.free[:n-1]
		} else {
			slot = uint32(len(ix.slots))
			ix.slots = append(ix.slots, doc{})
		}
		ix.byID[g.ID] = slot
	}
	old := &ix.slots[slot]
	if terms == nil && old.id != 0 {
		d.terms = old.terms
	} else {
		if old.id != 0 {
			ix.dropPostings(old, slot)
		}
		d.terms = make([]uint32, 0, len(terms))
		for t, w := range terms {
			id, ok := ix.termIDs[t]
			if !ok {
				id = uint32(len(ix.postings))
				ix.termIDs[t] = id
				ix.postings = append(ix.postings, nil)
			}
			d.terms = append(d.terms, id)
			ix.postings[id] = append(ix.postings[id], posting(slot, uint8(min(max(w, 1), 255))))
		}
	}
	ix.slots[slot] = *d
}

// Remove drops a group.
func (ix *Index) Remove(id int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	slot, ok := ix.byID[id]
	if !ok {
		return
	}
	ix.dropPostings(&ix.slots[slot], slot)
	ix.slots[slot] = doc{}
	delete(ix.byID, id)
	ix.free = append(ix.free, slot)
}

func (ix *Index) dropPostings(d *doc, slot uint32) {
	for _, id := range d.terms {
		ix.postings[id] = slices.DeleteFunc(ix.postings[id], func(p uint32) bool { return slotOf(p) == slot })
	}
}

// list returns a stem's postings.
func (ix *Index) list(stem string) []uint32 {
	if id, ok := ix.termIDs[stem]; ok {
		return ix.postings[id]
	}
	return nil
}

// weekMinute places a weekly meeting in the UTC week using its zone's
// offset at now; RefreshTimes recomputes it as daylight saving changes.
func (ix *Index) weekMinute(d *doc, now time.Time) int {
	loc, ok := ix.zones[d.zone]
	if !ok {
		var err error
		if loc, err = time.LoadLocation(d.zone); err != nil {
			loc = time.UTC
		}
		ix.zones[d.zone] = loc
	}
	_, off := now.In(loc).Zone()
	return ((d.schedule.WeekMinute()-off/60)%10080 + 10080) % 10080
}

// RefreshTimes recomputes where every weekly meeting falls in the UTC week;
// run hourly so a 19:00 meeting stays at 19:00 local across daylight-saving
// changes. It reports how many moved.
func (ix *Index) RefreshTimes(now time.Time) int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	moved := 0
	for i := range ix.slots {
		d := &ix.slots[i]
		if d.id == 0 {
			continue
		}
		if w := ix.weekMinute(d, now); w != d.weekMinute {
			d.weekMinute = w
			moved++
		}
	}
	return moved
}

// candidate is a group that passed the filters, with its sort keys.
type candidate struct {
	d     *doc
	score int
	dot   float64
	soon  int
}

// Search answers a query: one page of matches in order, and how many match
// in all. Every order ends with the group id, so pages are stable.
func (ix *Index) Search(q Query) ([]Match, int) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()

	f := ix.compile(q)
	limit := q.Limit
	if limit <= 0 {
		limit = hearth.DefaultPerPage
	}
	// Only the best offset+limit candidates are kept, in a bounded heap, as
	// they stream past; the rest are only counted.
	top := newTopK(q.Offset+limit, ix.order(q))
	total := 0
	consider := func(d *doc, score int) {
		c := candidate{d: d, score: score}
		if !f.keep(d, &c) {
			return
		}
		c.soon = ((d.weekMinute-f.nowWeek)%10080 + 10080) % 10080
		total++
		top.offer(c)
	}

	if len(q.Words) > 0 {
		// Text: a group must match every word, through any of its stems;
		// its score is the summed weight of every matching stem. Scores
		// go into arrays indexed by slot; the rarest word's postings are
		// the only groups that can match.
		sc := ix.getScratch()
		defer ix.scratch.Put(sc)
		rarest, rarestSize := 0, -1
		for i, w := range q.Words {
			size := 0
			for _, stem := range w {
				size += len(ix.list(stem))
			}
			if rarestSize < 0 || size < rarestSize {
				rarest, rarestSize = i, size
			}
		}
		for i, w := range q.Words {
			mark := uint8(i + 1)
			for _, stem := range w {
				for _, p := range ix.list(stem) {
					slot := slotOf(p)
					sc.score[slot] += weightOf(p)
					if sc.last[slot] != mark {
						sc.last[slot] = mark
						sc.words[slot]++
					}
				}
			}
		}
		need := uint8(len(q.Words))
		for _, stem := range q.Words[rarest] {
			for _, p := range ix.list(stem) {
				if slot := slotOf(p); sc.words[slot] == need {
					sc.words[slot] = 0 // consider each group once
					consider(&ix.slots[slot], int(sc.score[slot]))
				}
			}
		}
		// Leave the scratch clean for the next query.
		for _, w := range q.Words {
			for _, stem := range w {
				for _, p := range ix.list(stem) {
					slot := slotOf(p)
					sc.score[slot], sc.words[slot], sc.last[slot] = 0, 0, 0
				}
			}
		}
	} else {
		for i := range ix.slots {
			if d := &ix.slots[i]; d.id != 0 {
				consider(d, 0)
			}
		}
	}

	if q.Offset >= total {
		return nil, total
	}
	page := top.sorted()[q.Offset:]
	out := make([]Match, len(page))
	for i, c := range page {
		out[i] = Match{ID: c.d.id, Score: c.score}
	}
	return out, total
}

func (ix *Index) getScratch() *scratch {
	sc, _ := ix.scratch.Get().(*scratch)
	if sc == nil || len(sc.score) < len(ix.slots) {
		n := len(ix.slots) + len(ix.slots)/4 + 64
		sc = &scratch{score: make([]int32, n), words: make([]uint8, n), last: make([]uint8, n)}
	}
	return sc
}

// filter is a query compiled to bit sets and numbers.
type filter struct {
	q                        Query
	topics, langs, comm, acc uint64
	formats, leads, costs    []string
	accepting                int64
	nowWeek                  int
	hasNear                  bool
	x, y, z, cosRadius       float64
}

func (ix *Index) compile(q Query) *filter {
	f := &filter{q: q, topics: ix.mask("topic", q.Topics), langs: ix.mask("language", q.Languages),
		comm: ix.mask("community", q.Communities), acc: ix.mask("access", q.Access)}
	if !q.AcceptingAt.IsZero() {
		f.accepting = q.AcceptingAt.Unix()
	}
	now := q.Now.UTC()
	f.nowWeek = int(now.Weekday())*1440 + now.Hour()*60 + now.Minute()
	if q.Near != nil {
		r := q.RadiusKm
		if r <= 0 {
			r = hearth.DefaultRadiusKm
		}
		f.hasNear = true
		f.x, f.y, f.z = q.Near.UnitVector()
		f.cosRadius = math.Cos(r / hearth.EarthRadiusKm)
	}
	return f
}

func (f *filter) keep(d *doc, c *candidate) bool {
	q := &f.q
	switch {
	case !d.listed:
		return false
	case len(q.Topics) > 0 && d.topics&f.topics == 0:
		return false
	case len(q.Formats) > 0 && !slices.Contains(q.Formats, d.format):
		return false
	case len(q.Leadership) > 0 && !slices.Contains(q.Leadership, d.leadership):
		return false
	case q.Policy != "" && d.policy != q.Policy:
		return false
	case f.accepting != 0 && d.policy != hearth.Open && !(d.opens <= f.accepting && f.accepting < d.closes && d.active < d.capacity):
		return false
	case len(q.Languages) > 0 && d.languages&f.langs == 0:
		return false
	case q.AgeBand != "" && d.ageBand != q.AgeBand && d.ageBand != "all":
		return false
	case q.Gender != "" && d.gender != q.Gender && d.gender != "any":
		return false
	case len(q.Communities) > 0 && d.community&f.comm == 0:
		return false
	case len(q.Access) > 0 && (d.access&f.acc != f.acc || f.acc == 0):
		return false
	case len(q.Costs) > 0 && !slices.Contains(q.Costs, d.cost):
		return false
	case q.ExcludeRemote && d.remote:
		return false
	}
	if len(q.Windows) > 0 {
		in := false
		for _, w := range q.Windows {
			if d.weekMinute >= w[0] && d.weekMinute <= w[1] {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	if f.hasNear && !d.remote {
		if !d.hasPoint {
			return false
		}
		c.dot = d.x*f.x + d.y*f.y + d.z*f.z
		if c.dot < f.cosRadius {
			return false
		}
	}
	return true
}

// order returns the comparison for the query's sort: relevance (score,
// then nearest venues before remote groups, then soonest), distance (venues
// nearest first, remote groups after, then soonest), soonest, or name.
func (ix *Index) order(q Query) func(a, b *candidate) bool {
	remoteLast := func(a, b *candidate) (bool, bool) {
		if a.d.remote != b.d.remote {
			return !a.d.remote, true
		}
		if !a.d.remote && a.dot != b.dot {
			return a.dot > b.dot, true
		}
		return false, false
	}
	return func(a, b *candidate) bool {
		switch q.Sort {
		case hearth.SortDistance:
			if r, ok := remoteLast(a, b); ok && q.Near != nil {
				return r
			}
		case hearth.SortName:
			if a.d.name != b.d.name {
				return a.d.name < b.d.name
			}
			return a.d.id < b.d.id
		case hearth.SortSoonest:
		default:
			if a.score != b.score {
				return a.score > b.score
			}
			if q.Near != nil {
				if r, ok := remoteLast(a, b); ok {
					return r
				}
			}
		}
		if a.soon != b.soon {
			return a.soon < b.soon
		}
		return a.d.id < b.d.id
	}
}

// topK keeps the best n candidates offered, worst on top of a max-heap by
// "less", so a new candidate is compared once with the worst kept.
type topK struct {
	n    int
	less func(a, b *candidate) bool
	h    []candidate
}

func newTopK(n int, less func(a, b *candidate) bool) *topK {
	return &topK{n: n, less: less, h: make([]candidate, 0, min(n, 1024))}
}

func (t *topK) offer(c candidate) {
	h := t.h
	switch {
	case t.n <= 0:
		return
	case len(h) < t.n:
		h = append(h, c)
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if !t.less(&h[p], &h[i]) {
				break
			}
			h[p], h[i] = h[i], h[p]
			i = p
		}
		t.h = h
	case t.less(&c, &h[0]):
		h[0] = c
		for i := 0; ; {
			l, r, w := 2*i+1, 2*i+2, i
			if l < len(h) && t.less(&h[w], &h[l]) {
				w = l
			}
			if r < len(h) && t.less(&h[w], &h[r]) {
				w = r
			}
			if w == i {
				break
			}
			h[i], h[w] = h[w], h[i]
			i = w
		}
	}
}

// sorted returns the kept candidates best first.
func (t *topK) sorted() []candidate {
	slices.SortFunc(t.h, func(a, b candidate) int { return cmp(&a, &b, t.less) })
	return t.h
}

// selectTop returns the first n candidates in order (for tests).
func selectTop(cands []candidate, n int, less func(a, b *candidate) bool) []candidate {
	t := newTopK(n, less)
	for _, c := range cands {
		t.offer(c)
	}
	return t.sorted()
}

func cmp(a, b *candidate, less func(a, b *candidate) bool) int {
	switch {
	case less(a, b):
		return -1
	case less(b, a):
		return 1
	}
	return 0
}
