package api

import (
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"densach/storage/postgres/pgtest"
)

// tcpProxy forwards a local port to PostgreSQL and can be cut and restored,
// so a test can take "the database" away without stopping the shared server.
type tcpProxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	p := &tcpProxy{t: t, target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, u)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(u, c); u.Close() }()
			go func() { _, _ = io.Copy(c, u); c.Close() }()
		}
	}()
}

// cut closes the listener and every open connection.
func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// restore listens again on the same address.
func (p *tcpProxy) restore() {
	p.t.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		p.t.Fatalf("proxy: listen again on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

func TestReadyzFollowsPostgres(t *testing.T) {
	direct := pgtest.NewDatabase(t)
	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newTCPProxy(t, u.Host)
	u.Host = proxy.addr
	e := newTestEnvWith(t, envOptions{URL: u.String(), Objects: testObjects(t)})
	tok := e.token(e.w.Admin)

	if status, body := e.call("GET", "/readyz", "", nil); status != 200 || body["status"] != "ready" {
		t.Fatalf("readyz with the database up: %d %v", status, body)
	}

	proxy.cut()
	status, body := e.call("GET", "/readyz", "", nil)
	if status != 503 || body["code"] != "unavailable" {
		t.Fatalf("readyz with the database cut: %d %v", status, body)
	}
	if checks, _ := body["checks"].(map[string]any); checks["postgres"] != "unavailable" || checks["objects"] != "ok" {
		t.Fatalf("readyz checks: %v", body["checks"])
	}
	status, body = e.call("GET", "/api/v1/units", tok, nil)
	if status != 503 || body["code"] != "unavailable" || body["message"] == "" {
		t.Fatalf("a request while the database is cut: %d %v", status, body)
	}
	if msg, _ := body["message"].(string); strings.Contains(msg, "dial") || strings.Contains(msg, "127.0.0.1") || strings.Contains(msg, "pgx") {
		t.Fatalf("the error leaks internals: %q", msg)
	}

	proxy.restore()
	deadline := time.Now().Add(15 * time.Second)
	for {
		status, body = e.call("GET", "/readyz", "", nil)
		if status == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz did not recover after the database returned: %d %v", status, body)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if status, body := e.call("GET", "/api/v1/units", tok, nil); status != 200 {
		t.Fatalf("a request after the database returned: %d %v", status, body)
	}
}

func TestReadyzFailsWhileDraining(t *testing.T) {
	e := newTestEnv(t)
	e.srv.draining.Store(true)
	if status, body := e.call("GET", "/readyz", "", nil); status != 503 || body["status"] != "draining" {
		t.Fatalf("readyz while draining: %d %v", status, body)
	}
	if status, _ := e.call("GET", "/healthz", "", nil); status != 200 {
		t.Fatalf("healthz while draining: %d", status)
	}
}
