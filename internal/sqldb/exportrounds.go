package sqldb

import "context"

// ExportRoundQuestions lists the questions the person asked, as a
// facilitator, to start a round in a live room (their own writing, sealed
// like a message), oldest first; Key is empty (a round's question is bound
// to its row by number).
func (db *DB) ExportRoundQuestions(ctx context.Context, userID int64) ([]ExportRoomMessage, error) {
	return list(ctx, db, "export round questions", func(r rowScanner) (ExportRoomMessage, error) {
		var m ExportRoomMessage
		var at int64
		err := r.Scan(&m.RoomID, &m.Seq, &m.GroupID, &m.GroupSlug, &m.Actor, &m.Sealed, &at)
		m.At = fromUnix(at)
		return m, err
	}, `SELECT e.room_id, e.seq, r.group_id, g.slug, e.actor, e.sealed, e.created_at
		FROM room_events e JOIN room_admissions a ON a.room_id = e.room_id AND a.id = e.actor
		JOIN rooms r ON r.id = e.room_id JOIN groups g ON g.id = r.group_id
		WHERE a.user_id = ? AND e.kind = 'round_start' AND e.sealed IS NOT NULL ORDER BY e.room_id, e.seq`, userID)
}
