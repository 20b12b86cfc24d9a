package main

import (
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"lingong/model/modeltest"
)

// tcpProxy stands between the server and MariaDB so that a test can cut the database off and bring it back,
// as a crashed or restarted database looks from the server.
type tcpProxy struct {
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *tcpProxy {
	p := &tcpProxy{target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.down)
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
			upstream, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, upstream)
			p.mu.Unlock()
			go func() { io.Copy(upstream, c); upstream.Close() }()
			go func() { io.Copy(c, upstream); c.Close() }()
		}
	}()
}

// down refuses new connections and drops the open ones.
func (p *tcpProxy) down() {
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

func (p *tcpProxy) up(t *testing.T) {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.serve(ln)
}

// With the database gone, requests that need it fail fast with 503 db_unavailable (browsing keeps working
// from the index); when it is back, the same server recovers without a restart.
func TestDatabaseOutageAndRecovery(t *testing.T) {
	dsn := modeltest.MySQLDSN(t)
	if dsn == "" {
		modeltest.MySQL(t)
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newProxy(t, cfg.Addr)
	cfg.Addr = proxy.addr
	cfg.Timeout = time.Second

	base, _, stop := startServerWith(t, map[string]string{"LINGONG_DB_DSN": cfg.FormatDSN()})
	defer stop()
	token := loginToken(t, base, "outage")
	get := func(path string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if status, _ := get("/api/v1/me"); status != 200 {
		t.Fatalf("before the outage: %d", status)
	}

	proxy.down()
	began := time.Now()
	status, body := get("/api/v1/me")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, `"db_unavailable"`) {
		t.Fatalf("during the outage: %d %s", status, body)
	}
	if took := time.Since(began); took > 5*time.Second {
		t.Fatalf("failing took %v; it must fail fast", took)
	}
	if status, _ := get("/readyz"); status != http.StatusServiceUnavailable {
		t.Fatalf("readyz during the outage: %d", status)
	}
	if status, _ := get("/api/v1/gigs?lat=31.86&lng=117.28"); status != 200 {
		t.Fatalf("browsing from the index during the outage: %d", status)
	}

	proxy.up(t)
	deadline := time.Now().Add(10 * time.Second)
	for status, _ = get("/api/v1/me"); status != 200 && time.Now().Before(deadline); status, _ = get("/api/v1/me") {
		time.Sleep(100 * time.Millisecond)
	}
	if status != 200 {
		t.Fatalf("after the database came back: %d", status)
	}
}
