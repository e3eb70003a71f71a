package app

import "context"

// MayPost exposes mayPost to the moderation tests (boards and rooms call it
// inside app).
func (a *App) MayPost(ctx context.Context, groupID, userID int64, text string) error {
	return a.mayPost(ctx, groupID, userID, text)
}

// PostGateHold reports whether postGate would hold the post for approval.
func (a *App) PostGateHold(ctx context.Context, groupID, userID int64, text string) (bool, error) {
	g, err := a.postGate(ctx, groupID, userID, text)
	return g.Hold, err
}

// BlockedFor exposes blocked: whether viewer hides author in group.
func (a *App) BlockedFor(ctx context.Context, viewerID, groupID, authorID int64) (bool, error) {
	b, err := a.blocked(ctx, viewerID)
	return b.Hides(groupID, authorID), err
}

// MayReach exposes mayReach.
func (a *App) MayReach(ctx context.Context, groupID, from, to int64) error {
	return a.mayReach(ctx, groupID, from, to)
}
