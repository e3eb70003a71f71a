//go:build linux

package web

import (
	"errors"
	"sync"
	"syscall"
	"time"
)

var errNoPoller = errors.New("web: no socket poller")

// wsPoller waits for idle room sockets to become readable, so that an idle
// member keeps no goroutine (and no goroutine stack) parked in a read: one
// goroutine waits in epoll_wait for all of them, and a socket that becomes
// readable has its callback run on a reader goroutine (readers), which
// reads and acts on what came, then arms the socket again. Each socket is registered
// one-shot and level-triggered: armed again after its frames were read,
// it fires at once if more came meanwhile. Sockets are known by a number
// of their own, never by descriptor, so an event that crosses a close is
// dropped rather than given to another connection.
//
// It is process-wide, like Go's own network poller beside which it runs
// (the descriptors stay registered there too, for the reads themselves).
type wsPoller struct {
	epfd int

	mu      sync.Mutex
	broken  bool // epoll_wait failed: sockets are read as usual
	next    uint32
	waiting map[uint32]func() // armed sockets' callbacks, by number

	readers readers
}

// readerIdle is how long a reader goroutine waits for another callback
// before it exits: long enough to span the gaps of a busy room, short
// enough that a quiet server keeps none.
const readerIdle = 2 * time.Second

// readers runs the poller's callbacks on goroutines that, once a callback
// returns, wait a while for the next one instead of exiting. A callback
// reads a frame and acts on it — the crisis detector, the vault, the
// store — and those deep frames grow a goroutine's stack to tens of KiB:
// a new goroutine per readable socket paid for that growth again, copy
// after copy, every time (8 % of the server's CPU at saturation, in
// runtime.newstack and copystack). A reader that is kept has grown once.
// When every reader is busy a new one starts, so a callback never waits
// for another; when the server is quiet they all exit.
type readers struct {
	work chan func() // unbuffered: a send succeeds only into an idle reader
	idle time.Duration
}

// run calls f on an idle reader, or on a new one.
func (r *readers) run(f func()) {
	select {
	case r.work <- f:
	default:
		go r.loop(f)
	}
}

func (r *readers) loop(f func()) {
	t := time.NewTimer(r.idle)
	defer t.Stop()
	for {
		f()
		t.Reset(r.idle)
		select {
		case f = <-r.work:
		case <-t.C:
			return
		}
	}
}

// sharedPoller is the process's poller, started on first use; nil when
// epoll cannot be had (the connections then read as usual).
var sharedPoller = sync.OnceValue(func() *wsPoller {
	fd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil
	}
	p := &wsPoller{epfd: fd, waiting: map[uint32]func(){}, readers: readers{work: make(chan func()), idle: readerIdle}}
	go p.run()
	return p
})

const wsPollEvents = syscall.EPOLLIN | syscall.EPOLLRDHUP | syscall.EPOLLONESHOT

// wait arms c's socket: ready is called once it is readable or dropped
// (c.mu held, c not dropped).
func (p *wsPoller) wait(c *wsConn, ready func()) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.broken {
		return errNoPoller
	}
	op := syscall.EPOLL_CTL_MOD
	if c.pollID == 0 {
		op = syscall.EPOLL_CTL_ADD
		p.next++
		if p.next == 0 {
			p.next = 1
		}
		for p.waiting[p.next] != nil {
			p.next++
		}
		c.pollID = p.next
	}
	ev := syscall.EpollEvent{Events: wsPollEvents, Fd: int32(c.pollID)}
	if err := syscall.EpollCtl(p.epfd, op, c.fd, &ev); err != nil {
		if op == syscall.EPOLL_CTL_ADD {
			c.pollID = 0
		}
		return err
	}
	p.waiting[c.pollID] = ready
	return nil
}

// forget takes c's socket out of the poller before it is closed, and
// returns the callback of a reader that was waiting (c.mu held).
func (p *wsPoller) forget(c *wsConn) func() {
	p.mu.Lock()
	defer p.mu.Unlock()
	syscall.EpollCtl(p.epfd, syscall.EPOLL_CTL_DEL, c.fd, nil)
	ready := p.waiting[c.pollID]
	delete(p.waiting, c.pollID)
	return ready
}

func (p *wsPoller) run() {
	events := make([]syscall.EpollEvent, 256)
	for {
		n, err := syscall.EpollWait(p.epfd, events, -1)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			// Not expected (a bad descriptor would be a bug here): every
			// waiting reader is called back and reads as usual from now on.
			p.mu.Lock()
			p.broken = true
			for id, ready := range p.waiting {
				delete(p.waiting, id)
				p.readers.run(ready)
			}
			p.mu.Unlock()
			return
		}
		p.mu.Lock()
		for _, ev := range events[:n] {
			id := uint32(ev.Fd)
			if ready := p.waiting[id]; ready != nil {
				delete(p.waiting, id)
				p.readers.run(ready)
			}
		}
		p.mu.Unlock()
	}
}
