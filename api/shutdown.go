package api

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// connTracker knows every open connection and whether a request on it has
// reached the handlers. fasthttp marks a connection "active" before it has
// read a byte, so its own shutdown waits for silent sockets and slow-header
// clients until the read timeout; the tracker lets Shutdown close those at
// once and wait only for requests that are really being answered.
type connTracker struct {
	mu       sync.Mutex
	conns    map[net.Conn]*connInfo
	stopping bool
}

type connInfo struct {
	busy   bool // a request on it entered the handlers and is not yet answered
	closed bool // closed by Shutdown: a request that arrives on it is not run
}

func newConnTracker() *connTracker { return &connTracker{conns: map[net.Conn]*connInfo{}} }

// closableListener hands fasthttp connections that Shutdown can close
// while fasthttp still uses them: fasthttp panics when setting a deadline on
// a closed socket fails, so once closed they accept deadlines silently and
// fail reads and writes instead.
type closableListener struct{ net.Listener }

func (l closableListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &closableConn{Conn: c}, nil
}

// closableConn is a connection that Shutdown may close under fasthttp.
type closableConn struct {
	net.Conn
	closed atomic.Bool
}

func (c *closableConn) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	return c.Conn.Close()
}

func (c *closableConn) SetDeadline(t time.Time) error {
	return c.deadline(c.Conn.SetDeadline(t))
}

func (c *closableConn) SetReadDeadline(t time.Time) error {
	return c.deadline(c.Conn.SetReadDeadline(t))
}

func (c *closableConn) SetWriteDeadline(t time.Time) error {
	return c.deadline(c.Conn.SetWriteDeadline(t))
}

func (c *closableConn) deadline(err error) error {
	if c.closed.Load() {
		return nil // the next read or write reports the close
	}
	return err
}

// state is fasthttp's ConnState hook.
func (t *connTracker) state(c net.Conn, st fasthttp.ConnState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch st {
	case fasthttp.StateNew:
		t.conns[c] = &connInfo{}
		if t.stopping { // accepted while the listener was closing
			t.conns[c].closed = true
			_ = c.Close()
		}
	case fasthttp.StateIdle:
		if ci := t.conns[c]; ci != nil {
			ci.busy = false
		}
	case fasthttp.StateClosed, fasthttp.StateHijacked:
		delete(t.conns, c)
	}
}

// enter marks the request's connection busy; it reports false when Shutdown
// has already closed the connection, so that the request is not run.
func (t *connTracker) enter(c net.Conn) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	ci := t.conns[c]
	if ci == nil { // not a tracked socket (app.Test)
		return true
	}
	if ci.closed {
		return false
	}
	ci.busy = true
	return true
}

// closeIdle closes every connection without a request being answered:
// silent sockets, keep-alive connections between requests and clients still
// sending their headers. It returns how many stay open.
func (t *connTracker) closeIdle() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stopping = true
	open := 0
	for c, ci := range t.conns {
		if ci.busy {
			open++
			continue
		}
		if !ci.closed {
			ci.closed = true
			_ = c.Close()
		}
	}
	return open
}

// closeAll closes every connection still open when the bound is reached.
func (t *connTracker) closeAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for c, ci := range t.conns {
		if !ci.closed {
			ci.closed = true
			_ = c.Close()
		}
	}
}

// trackRequest is the first middleware: it marks the connection busy so that
// Shutdown lets the request finish.
func (s *Server) trackRequest(c *fiber.Ctx) error {
	if !s.conns.enter(c.Context().Conn()) {
		c.Context().SetConnectionClose()
		return fiber.ErrServiceUnavailable
	}
	return c.Next()
}

// Shutdown fails readiness first and waits DrainDelay for load balancers to
// notice; then it stops accepting, closes every connection that has no
// request being answered, lets in-flight requests finish for at most
// ShutdownTimeout, and closes whatever is left. It returns
// context.DeadlineExceeded when requests had to be cut off.
func (s *Server) Shutdown(ctx context.Context) error {
	s.draining.Store(true)
	select {
	case <-time.After(s.cfg.DrainDelay):
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(ctx, s.cfg.ShutdownTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.app.ShutdownWithContext(sctx) }()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		// Again on every tick: a request answered meanwhile leaves its
		// connection idle, and fasthttp only closes idle ones every 100 ms.
		s.conns.closeIdle()
		select {
		case err := <-done:
			s.failures.flushAll()
			if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
				s.conns.closeAll()
				s.log.Warn("shutdown bound reached: open connections closed", "bound", s.cfg.ShutdownTimeout.String())
			}
			return err
		case <-tick.C:
		}
	}
}
