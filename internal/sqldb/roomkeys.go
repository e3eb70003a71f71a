package sqldb

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"sync"
)

// On SQLite a room's message keys are not kept unique by an index: a
// second index on room_events, scattered by member, cost as much to
// maintain as the rest of the row (7 of 15 µs of CPU per message stored
// in a batch; without it the server delivered a fifth more messages a
// second at saturation). A retried send is found through sentKeys
// instead: a memory, per room, of the stored messages' keys, read from the
// log and kept up to date by every batch that stores more.
//
// It is exact. Each room's memory says up to which sequence number it has
// read the log; a batch compares that with the room's last_seq, read
// inside the batch's write transaction (SQLite has one writer at a time,
// so nothing is appended meanwhile), and first reads whatever was stored
// after it — by another process on the same file, by a batch whose
// memory update has not run yet, or since the memory was dropped. So a
// key the memory does not hold was never stored. A key it holds (a
// 64-bit hash: a match may be another key) is looked up in the log, and
// only a stored message with the same sender and key makes the new one a
// duplicate.
//
// PostgreSQL, where several processes append to one log, keeps the
// unique index and looks the keys up (findDuplicates).

// sentKeysCap bounds the keys remembered over all rooms (about 20 bytes
// each); past it the rooms that stored nothing for longest are forgotten,
// half of them, and read again if they store a message again.
const sentKeysCap = 1 << 20

type sentKeys struct {
	seed  maphash.Seed
	limit int // sentKeysCap; smaller in tests

	mu    sync.Mutex
	n     int    // keys over all rooms
	batch uint64 // batches seen, the clock of roomKeys.used
	rooms map[int64]*roomKeys

	// first is findDuplicates' map of a batch's keys, kept for the next
	// batch (SQLite's one writer uses it, inside its transaction).
	first map[sentKey]*AppendEvent
}

// roomKeys is what is known of one room's log.
type roomKeys struct {
	upTo int64            // the log has been read up to this sequence number
	keys map[uint64]int64 // hash of (sender, key) → the message's sequence number
	used uint64           // the last batch that sent a message to the room
}

func newSentKeys() *sentKeys {
	return &sentKeys{seed: maphash.MakeSeed(), limit: sentKeysCap, rooms: map[int64]*roomKeys{}}
}

func (s *sentKeys) hash(actor int64, key string) uint64 {
	var h maphash.Hash
	h.SetSeed(s.seed)
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(actor))
	h.Write(b[:])
	h.WriteString(key)
	return h.Sum64()
}

// add remembers a stored message's key (s.mu held).
func (s *sentKeys) add(rk *roomKeys, actor int64, key string, seq int64) {
	h := s.hash(actor, key)
	if _, ok := rk.keys[h]; !ok {
		s.n++
	}
	rk.keys[h] = seq
}

// markSent marks the batch's messages whose key was stored before as
// Duplicate of the stored message (SQLite; the rooms are locked, so
// rooms[id].LastSeq is the log's end). Messages repeated within the batch
// were marked by findDuplicates already.
func (t *Tx) markSent(ctx context.Context, evs []*AppendEvent, rooms map[int64]*Room) error {
	s := t.db.sentKeys
	type candidate struct {
		e   *AppendEvent
		seq int64
	}
	var found []candidate
	s.mu.Lock()
	s.batch++
	if s.n > s.limit {
		s.forgetIdle()
	}
	for _, e := range evs {
		r := rooms[e.Room]
		if e.Err != nil || e.Duplicate || e.Key == "" || r == nil {
			continue
		}
		rk, err := t.catchUpKeys(ctx, e.Room, r.LastSeq)
		if err != nil {
			s.mu.Unlock()
			return err
		}
		rk.used = s.batch
		if seq, ok := rk.keys[s.hash(e.Actor, e.Key)]; ok {
			found = append(found, candidate{e, seq})
		}
	}
	s.mu.Unlock()
	if len(found) == 0 {
		return nil
	}
	// Rare (a send retried after a reconnect): each candidate is read by
	// its number; one that is not the same send (another key with the
	// same hash, or a message deleted since) is looked up by its key.
	var keys []sentKey
	for _, c := range found {
		ev, err := t.roomEventAt(ctx, c.e.Room, c.seq)
		if err != nil {
			return err
		}
		if ev != nil && ev.Actor == c.e.Actor && ev.Key == c.e.Key {
			c.e.RoomEvent, c.e.Duplicate = *ev, true
			continue
		}
		keys = append(keys, sentKey{c.e.Room, c.e.Actor, c.e.Key})
	}
	if len(keys) == 0 {
		return nil
	}
	stored, err := t.storedMessages(ctx, keys)
	if err != nil {
		return err
	}
	for _, c := range found {
		if ev := stored[sentKey{c.e.Room, c.e.Actor, c.e.Key}]; ev != nil && !c.e.Duplicate {
			c.e.RoomEvent, c.e.Duplicate = *ev, true
		}
	}
	return nil
}

// forgetIdle forgets the half of the rooms that sent a message longest
// ago (s.mu held).
func (s *sentKeys) forgetIdle() {
	used := make([]uint64, 0, len(s.rooms))
	for _, rk := range s.rooms {
		used = append(used, rk.used)
	}
	if len(used) == 0 {
		s.n = 0
		return
	}
	slices.Sort(used)
	cut := used[(len(used)-1)/2]
	for id, rk := range s.rooms {
		if rk.used <= cut {
			s.n -= len(rk.keys)
			delete(s.rooms, id)
		}
	}
}

// catchUpKeys returns the room's memory, first reading the log after what
// it has read up to lastSeq, the room's last_seq in this transaction
// (s.mu held).
func (t *Tx) catchUpKeys(ctx context.Context, room, lastSeq int64) (*roomKeys, error) {
	s := t.db.sentKeys
	rk := s.rooms[room]
	if rk != nil && rk.upTo == lastSeq {
		return rk, nil
	}
	if rk == nil || rk.upTo > lastSeq {
		// Never read, or the log is not the one read (a restored copy).
		if rk != nil {
			s.n -= len(rk.keys)
		}
		rk = &roomKeys{keys: map[uint64]int64{}}
		s.rooms[room] = rk
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT seq, actor, client_key FROM room_events
		WHERE room_id = ? AND seq > ? AND seq <= ? AND client_key IS NOT NULL`, room, rk.upTo, lastSeq)
	if err != nil {
		return nil, fmt.Errorf("read room %d keys: %w", room, err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq, actor int64
		var key string
		if err := rows.Scan(&seq, &actor, &key); err != nil {
			return nil, fmt.Errorf("read room %d keys: %w", room, err)
		}
		s.add(rk, actor, key, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read room %d keys: %w", room, err)
	}
	rk.upTo = lastSeq
	return rk, nil
}

// rememberSent is run once the batch is committed: each room's memory
// learns the batch's keys and its new end, if the memory was at the
// room's end when the batch began (from is each room's last_seq then, to
// its last_seq after the batch). A memory dropped or read further
// meanwhile (the next batch may begin before this runs) is left alone: a
// batch reads what its room's memory lacks from the log.
func (db *DB) rememberSent(evs []*AppendEvent, from, to map[int64]int64) {
	s := db.sentKeys
	s.mu.Lock()
	defer s.mu.Unlock()
	learn := make(map[int64]*roomKeys, len(to))
	for room := range to {
		if rk := s.rooms[room]; rk != nil && rk.upTo == from[room] {
			learn[room] = rk
		}
	}
	for _, e := range evs {
		if rk := learn[e.Room]; rk != nil && e.Key != "" && e.Err == nil && !e.Duplicate {
			s.add(rk, e.Actor, e.Key, e.Seq)
		}
	}
	for room, rk := range learn {
		rk.upTo = to[room]
	}
}

// roomEventAt reads one event of a room's log by its number; nil when there
// is none.
func (t *Tx) roomEventAt(ctx context.Context, room, seq int64) (*RoomEvent, error) {
	ev, err := scanRoomEvent(t.tx.QueryRowContext(ctx, `SELECT `+roomEventCols+`, '', '' FROM room_events e WHERE e.room_id = ? AND e.seq = ?`, room, seq))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read room %d event %d: %w", room, seq, err)
	}
	return ev, nil
}
