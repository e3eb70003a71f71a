package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hearth-org/hearth"
	"github.com/hearth-org/hearth/internal/directory"
)

// directoryState is the in-memory search index and how current it is.
type directoryState struct {
	index *directory.Index

	mu     sync.Mutex // serializes loading and refreshing
	loaded bool
	since  time.Time // changes at or after this are not yet known to be in the index
}

// LoadDirectory builds the search index from the database (all groups).
// serve calls it before listening; a search before it loads it on demand.
func (a *App) LoadDirectory(ctx context.Context) error {
	_, err := a.directory(ctx)
	return err
}

// directory returns the search index, loading it first if need be.
func (a *App) directory(ctx context.Context) (*directory.Index, error) {
	d := a.dir
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.loaded {
		return d.index, nil
	}
	start := time.Now()
	mark := a.now()
	n := 0
	err := a.db.ScanGroups(ctx, time.Time{}, func(g *hearth.Group, terms map[string]int) error {
		d.index.Put(g, terms, mark)
		n++
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load directory: %w", err)
	}
	d.loaded, d.since = true, mark
	a.log.Info("directory loaded", "groups", n, "took", time.Since(start).Round(time.Millisecond))
	return d.index, nil
}

// RefreshDirectory picks up groups that other processes changed since the
// last refresh (several servers on one PostgreSQL database). Writes made by
// this process are in the index at once.
func (a *App) RefreshDirectory(ctx context.Context) error {
	d := a.dir
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.loaded {
		return nil
	}
	mark := a.now()
	// Timestamps have one-second resolution and clocks differ a little
	// between machines: look back a few seconds; putting a group twice is
	// harmless.
	n := 0
	err := a.db.ScanGroups(ctx, d.since.Add(-5*time.Second), func(g *hearth.Group, terms map[string]int) error {
		d.index.Put(g, terms, mark)
		n++
		return nil
	})
	if err != nil {
		return fmt.Errorf("refresh directory: %w", err)
	}
	d.since = mark
	if n > 0 {
		a.log.Debug("directory refreshed", "groups", n)
	}
	return nil
}

// indexGroup puts a group this process wrote into the index (when loaded).
// With terms nil its search terms are kept.
func (a *App) indexGroup(g *hearth.Group, terms map[string]int) {
	d := a.dir
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.loaded {
		d.index.Put(g, terms, a.now())
	}
}

// reindexGroup re-reads a group whose counters changed (a member joined).
func (a *App) reindexGroup(ctx context.Context, id int64) {
	g, err := a.db.Group(ctx, id)
	if err != nil {
		a.log.Warn("reindex group", "group_id", id, "err", err)
		return
	}
	a.indexGroup(g, nil)
}
