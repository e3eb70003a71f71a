package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/sqldb"
)

// Reminder leads: how long before a start each reminder goes out.
const (
	Reminder24hLead = 24 * time.Hour
	Reminder1hLead  = time.Hour
)

// SendReminders is the reminder chore (run every minute). For every
// occurrence starting within the next 24 hours that is not cancelled, it
// reminds the group's active members and anyone holding a place, as their
// reminder choices ask: the 24-hour reminder while more than an hour is
// left, to people who were already in by the time it was due; the 1-hour
// reminder within the last hour. Each reminder has the key
// reminder:{meeting}:{original start}:{person}:{24h|1h}, so it is sent once
// whatever the number of processes and restarts. It returns how many
// reminders it handed to notify, including repeats that notify recognised
// by their key and dropped (so the number is not how many were sent).
func (a *App) SendReminders(ctx context.Context) (int, error) {
	now := a.now()
	horizon := now.Add(Reminder24hLead)
	// Meetings written outside the meeting use cases (imports, a new
	// group's default meeting) get their personal-link key here.
	if err := a.sealLinkKeys(ctx, 0); err != nil {
		a.log.Error("seal meeting link keys", "err", err)
	}
	// Groups whose zone changed outside the group form (imports): places
	// follow the wall clock before anyone is reminded.
	if moved, err := a.db.AnyMeetingOutOfZone(ctx); err != nil || moved {
		if err == nil {
			err = a.db.InTx(ctx, func(tx *sqldb.Tx) error { return a.followZone(ctx, tx, 0) })
		}
		if err != nil {
			a.log.Error("follow group zones", "err", err)
		}
	}
	byGroup, err := a.db.MeetingsWithAudience(ctx, now.Add(-hearth.MaxMeetingMinutes*time.Minute))
	if err = a.skipBadZones(err); err != nil || len(byGroup) == 0 {
		return 0, err
	}
	var ms []*hearth.Meeting
	for _, list := range byGroup {
		ms = append(ms, list...)
	}
	excs, err := a.db.ExceptionsByMeeting(ctx, meetingIDs(ms))
	if err = a.skipBadZones(err); err != nil {
		return 0, err
	}
	// First the occurrences that start within 24 hours (exceptions
	// applied: cancelled ones send nothing, moved ones at their new time);
	// then, for those alone, who is in.
	type dueOcc struct {
		m *hearth.Meeting
		o hearth.Occurrence
	}
	var dues []dueOcc
	dueGroups, dueMeetings := map[int64]bool{}, map[int64]bool{}
	var minOrig, maxOrig time.Time
	for _, m := range ms {
		for _, o := range expand(m, excs[m.ID], now, horizon) {
			if o.Cancelled || !o.Start.After(now) || o.Start.After(horizon) {
				continue
			}
			dues = append(dues, dueOcc{m, o})
			dueGroups[m.GroupID], dueMeetings[m.ID] = true, true
			if minOrig.IsZero() || o.Original.Before(minOrig) {
				minOrig = o.Original
			}
			if o.Original.After(maxOrig) {
				maxOrig = o.Original
			}
		}
	}
	if len(dues) == 0 {
		return 0, nil
	}
	groupIDs := slices.Sorted(mapsKeys(dueGroups))
	members, err := a.db.ActiveMembershipsByGroup(ctx, groupIDs)
	if err != nil {
		return 0, err
	}
	// Places are kept by original start (a moved occurrence's may lie far
	// from its new time).
	rsvps, err := a.db.RSVPs(ctx, slices.Sorted(mapsKeys(dueMeetings)), minOrig, maxOrig.Add(time.Second))
	if err != nil {
		return 0, err
	}
	type occKey struct {
		meeting int64
		orig    int64
	}
	seats := map[occKey][]sqldb.RSVP{}
	for _, r := range rsvps {
		k := occKey{r.MeetingID, r.Original.Unix()}
		seats[k] = append(seats[k], r)
	}
	groups, err := a.db.GroupsByID(ctx, groupIDs)
	if err != nil {
		return 0, err
	}
	slugOf := map[int64]string{}
	for _, g := range groups {
		slugOf[g.ID] = g.Slug
	}

	type due struct {
		notice Notice
		user   int64
	}
	var todo []due
	for _, d := range dues {
		m, o := d.m, d.o
		since := map[int64]time.Time{} // person → when they were in
		for _, mem := range members[m.GroupID] {
			since[mem.UserID] = mem.JoinedAt
		}
		for _, r := range seats[occKey{m.ID, o.Original.Unix()}] {
			if t, ok := since[r.UserID]; !ok || r.CreatedAt.Before(t) {
				since[r.UserID] = r.CreatedAt
			}
		}
		kind, label := NoticeReminder1h, "1h"
		if o.Start.Sub(now) > Reminder1hLead {
			kind, label = NoticeReminder24h, "24h"
		}
		for uid, t := range since {
			// Someone who came in after the 24-hour mark gets only the
			// reminder still ahead of them.
			if kind == NoticeReminder24h && t.After(o.Start.Add(-Reminder24hLead)) {
				continue
			}
			todo = append(todo, due{user: uid, notice: Notice{UserID: uid, Kind: kind, GroupID: m.GroupID, At: o.Start,
				Link: OccurrencePath(slugOf[m.GroupID], m.ID, o.Original),
				Key:  fmt.Sprintf("reminder:%d:%d:%d:%s", m.ID, o.Original.Unix(), uid, label)}})
		}
	}
	if len(todo) == 0 {
		return 0, nil
	}
	users := make([]int64, 0, len(todo))
	for _, d := range todo {
		users = append(users, d.user)
	}
	slices.Sort(users)
	prefs, err := a.db.ReminderPrefsOf(ctx, slices.Compact(users))
	if err != nil {
		return 0, err
	}
	slices.SortFunc(todo, func(x, y due) int { return cmpString(x.notice.Key, y.notice.Key) })
	sent := 0
	// In batches, each one transaction: a crash loses no reminder (the next
	// run sends what did not commit) and duplicates none (the keys). Small
	// batches: the database's one writer is shared with the live rooms'
	// committer, and 200 reminders in one transaction held it long enough
	// to stall room messages by 50–120 ms (bench/rooms, 2,000 members whose
	// meetings are today: p99 at 400 msg/s 37–63 ms with 200, 10 ms with
	// 25, 5 ms with the chore off).
	for len(todo) > 0 {
		batch := todo[:min(len(todo), reminderBatch)]
		todo = todo[len(batch):]
		n := 0
		err := a.db.InTx(ctx, func(tx *sqldb.Tx) error {
			n = 0
			for _, d := range batch {
				p := prefs[d.user]
				if (d.notice.Kind == NoticeReminder24h && !p.Before24h) || (d.notice.Kind == NoticeReminder1h && !p.Before1h) {
					continue
				}
				if err := a.notify(ctx, tx, d.notice); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return sent, fmt.Errorf("send reminders: %w", err)
		}
		sent += n
	}
	if sent > 0 {
		a.log.Debug("reminders considered", "count", sent)
	}
	return sent, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// skipBadZones lets a chore or feed serving many groups go on when some
// groups' stored time zone is unknown: those are left out and logged (ids
// only), every other error stands.
func (a *App) skipBadZones(err error) error {
	return sqldb.SkipBadZones(err, func(ze *sqldb.ZoneError) {
		for id := range ze.Zones {
			a.log.Error("group left out: its stored time zone is unknown", "group_id", id)
		}
	})
}

// reminderBatch is how many reminders one transaction stores (see
// SendReminders).
const reminderBatch = 25
