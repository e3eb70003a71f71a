//go:build !linux

package web

import "errors"

var errNoPoller = errors.New("web: no socket poller")

// wsPoller is Linux's only (ws_poll_linux.go); elsewhere every room
// connection keeps a goroutine waiting in its read.
type wsPoller struct{}

func sharedPoller() *wsPoller { return nil }

func (p *wsPoller) wait(c *wsConn, ready func()) error { return errNoPoller }

func (p *wsPoller) forget(c *wsConn) func() { return nil }
