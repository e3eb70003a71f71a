package room

import "context"

// LocalBell is the Bell of a single process: there is nobody to ring, so
// it does nothing, and Listen waits for its context to end.
type LocalBell struct{}

// Ring does nothing.
func (LocalBell) Ring(room, seq int64) {}

// Evict does nothing.
func (LocalBell) Evict(group, user int64) {}

// Presence does nothing.
func (LocalBell) Presence(room int64, members []Member) {}

// Listen returns when ctx ends.
func (LocalBell) Listen(ctx context.Context, l Listener) error {
	<-ctx.Done()
	return nil
}
