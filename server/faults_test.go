package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path"
	"path/filepath"
	"slices"
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

	base, _, stop := startServerWith(t, map[string]string{"LINGONG_DB_DSN": cfg.FormatDSN(), "LINGONG_ADMIN_OPENIDS": "o-admin"})
	defer stop()
	token := loginToken(t, base, "outage")
	gigPath := publishGig(t, base)
	if status, body := call(t, "PUT", base+"/api/v1/me/worker", token, map[string]any{"name": "王建国",
		"id_number": modeltest.IDNumber("19680512", 5), "skills": []int{1}}); status != 200 {
		t.Fatalf("worker: %d %v", status, body)
	}
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
	seeded := []string{path.Base(gigPath)}
	waitListed(t, base, token, seeded)

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
	// Browsing goes on: the same gigs as before, not merely a 200 with an empty list.
	if status, listed := nearbyGigs(t, base, token); status != 200 || !slices.Equal(listed, seeded) {
		t.Fatalf("browsing from the index during the outage lists %v (%d), want the seeded gig %v", listed, status, seeded)
	}
	if status, body := call(t, "POST", base+gigPath+"/applications", token, nil); status != http.StatusServiceUnavailable {
		t.Fatalf("applying during the outage: %d %v", status, body)
	}

	proxy.up(t)
	deadline := time.Now().Add(10 * time.Second)
	for status, _ = get("/api/v1/me"); status != 200 && time.Now().Before(deadline); status, _ = get("/api/v1/me") {
		time.Sleep(100 * time.Millisecond)
	}
	if status != 200 {
		t.Fatalf("after the database came back: %d", status)
	}
	// The application refused during the outage was not half-made: applying now works once, and only once.
	if status, body := call(t, "POST", base+gigPath+"/applications", token, nil); status != http.StatusCreated {
		t.Fatalf("applying after recovery: %d %v", status, body)
	}
	if status, body := call(t, "POST", base+gigPath+"/applications", token, nil); status != http.StatusConflict || body["code"] != "already_applied" {
		t.Fatalf("applying twice: %d %v", status, body)
	}
	if status, body := call(t, "GET", base+"/api/v1/me/applications", token, nil); status != 200 || len(body["items"].([]any)) != 1 {
		t.Fatalf("my applications: %d %v", status, body)
	}
}

// A WeChat that refuses the app's credentials takes sign-in away, not browsing: after a restart with a wrong
// AppSecret the gigs published before are still listed.
func TestBrowsingWhileWeChatRefusesTheApp(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "wechat-down.db")
	base, _, stop := startServerWith(t, map[string]string{"LINGONG_DB_DSN": dsn, "LINGONG_ADMIN_OPENIDS": "o-admin"})
	seeded := []string{path.Base(publishGig(t, base))}
	waitListed(t, base, "", seeded)
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	base, _, stop = startServerWith(t, map[string]string{"LINGONG_DB_DSN": dsn, "LINGONG_WECHAT_SECRET": "a-wrong-secret-value"})
	defer stop()
	if status, body := post(t, base+"/api/v1/auth/login", "", map[string]string{"code": "someone"}); status == 200 {
		t.Fatalf("signing in with WeChat refusing the app: %d %v", status, body)
	}
	if status, listed := nearbyGigs(t, base, ""); status != 200 || !slices.Equal(listed, seeded) {
		t.Fatalf("browsing while WeChat refuses the app lists %v (%d), want the seeded gig %v", listed, status, seeded)
	}
}

// nearbyGigs lists the ids of the gigs near the one publishGig makes, as browsing answers them.
func nearbyGigs(t *testing.T, base, token string) (int, []string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/gigs?lat=31.86&lng=117.28", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Items []struct {
			ID uint64 `json:"id"`
		} `json:"items"`
	}
	json.NewDecoder(resp.Body).Decode(&list)
	var ids []string
	for _, g := range list.Items {
		ids = append(ids, fmt.Sprint(g.ID))
	}
	return resp.StatusCode, ids
}

// waitListed waits until browsing lists exactly want (the index follows a new gig within a second or so).
func waitListed(t *testing.T, base, token string, want []string) {
	t.Helper()
	status, listed := nearbyGigs(t, base, token)
	for deadline := time.Now().Add(5 * time.Second); !slices.Equal(listed, want) && time.Now().Before(deadline); status, listed = nearbyGigs(t, base, token) {
		time.Sleep(100 * time.Millisecond)
	}
	if status != 200 || !slices.Equal(listed, want) {
		t.Fatalf("browsing lists %v (%d), want the seeded gigs %v", listed, status, want)
	}
}

// call sends a JSON request and decodes a JSON object or list (a list comes back under "items").
func call(t *testing.T, method, url, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		buf, _ := json.Marshal(body)
		rd = bytes.NewReader(buf)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	if len(raw) > 0 && raw[0] == '[' {
		var items []any
		json.Unmarshal(raw, &items)
		out["items"] = items
	} else {
		json.Unmarshal(raw, &out)
	}
	return resp.StatusCode, out
}

// publishGig registers a verified employer and a published gig through the API, and returns the gig's path.
func publishGig(t *testing.T, base string) string {
	t.Helper()
	admin, boss := loginToken(t, base, "admin"), loginToken(t, base, "boss")
	status, emp := call(t, "PUT", base+"/api/v1/me/employer", boss, map[string]any{"kind": "person", "legal_name": "李大海",
		"id_number": modeltest.IDNumber("19800101", 9), "contact_name": "李", "contact_phone": "13900001111", "area_code": "340104"})
	if status != 200 {
		t.Fatalf("employer: %d %v", status, emp)
	}
	call(t, "POST", fmt.Sprintf("%s/api/v1/admin/employers/%v/approve", base, emp["id"]), admin, nil)
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	status, gig := call(t, "POST", base+"/api/v1/gigs", boss, map[string]any{"title": "小区搬家工", "category_id": 1, "headcount": 3,
		"wage_cents": 25000, "wage_unit": "day", "settlement": "daily", "start_date": today, "end_date": today,
		"address": "合肥市蜀山区长江西路100号", "location": map[string]any{"lat": 31.86, "lng": 117.28}, "area_code": "340104",
		"contact_phone": "13900001111", "hiring_mode": "first_come"})
	if status != 201 {
		t.Fatalf("gig: %d %v", status, gig)
	}
	if status, body := call(t, "POST", fmt.Sprintf("%s/api/v1/admin/gigs/%v/approve", base, gig["id"]), admin, nil); status != 200 {
		t.Fatalf("approve: %d %v", status, body)
	}
	return fmt.Sprintf("/api/v1/gigs/%v", gig["id"])
}
