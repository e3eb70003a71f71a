package room

// Crisis alerts for messages that were not stored, across processes.
//
// A message that reads as a crisis and is stored carries Alert in the
// room's log, so every process alerts its own facilitators when it folds
// the event. A message refused because its writer is muted (in the room or
// in the group) is in no log: the process the writer is connected to
// alerts its facilitators (alertLocal), and, when its Bell is also an
// AlertBell (internal/roombus), asks the other processes to alert theirs.
// Only numbers cross: the room and the writer's id in the room (an
// admission); each process names the writer from what it knows of the
// room (presence and events), never from the bus.

// AlertBell is a Bell that can also carry an alert for a refused message
// to the other processes.
type AlertBell interface {
	Alert(room, member int64)
}

// AlertListener receives the alerts other processes ring (the Hub is
// one: a Bell whose Listener implements it hands them over).
type AlertListener interface {
	Alerted(room, member int64)
}

var _ AlertListener = (*Hub)(nil)

// alertOthers asks the other processes to alert their facilitators in the
// room (nothing with a Bell that cannot).
func (h *Hub) alertOthers(room int64, m Member) {
	if ab, ok := h.cfg.Bell.(AlertBell); ok && room > 0 && m.ID > 0 {
		ab.Alert(room, m.ID)
	}
}

// Alerted implements AlertListener: another process refused a message of
// member in room that read as a crisis; this process's facilitators in the
// room get the same alert as alertLocal gives (no sequence, no text).
func (h *Hub) Alerted(room, member int64) {
	r := h.lookup(room)
	if r == nil || member <= 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	frame := encode(alertFrame{Type: FrameAlert, Member: member, Name: r.names[member], Message: refusedAlertText})
	for c := range r.clients {
		if c.m.Facilitator {
			c.push(frame)
		}
	}
}

// refusedAlertText is alertLocal's message.
const refusedAlertText = "A member may need support. Their message was not posted; reach out to them privately."
