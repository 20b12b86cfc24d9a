// Package deploy_test checks what can be checked of the deployment files without a container engine: they
// parse, they name every variable the server reads and nothing else, and the binary starts from a clean
// environment holding only those variables.
package deploy_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"lingong/handler/wechat/wechattest"
	"lingong/model"
	"lingong/model/fieldcrypt"
)

// serverVars are the LINGONG_ variables the server's configuration reads.
func serverVars(t *testing.T) []string {
	src, err := os.ReadFile("../server/config.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`"(LINGONG_[A-Z_]+)"`).FindAllStringSubmatch(string(src), -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	if len(out) < 20 {
		t.Fatalf("found only %d variables in server/config.go", len(out))
	}
	return out
}

func envExample(t *testing.T) map[string]string {
	f, err := os.Open(".env.example")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf(".env.example: %q is not KEY=value", line)
		}
		out[k] = v
	}
	return out
}

func yamlDocs(t *testing.T, path string) []map[string]any {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var docs []map[string]any
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		docs = append(docs, doc)
	}
	return docs
}

func TestManifestsParse(t *testing.T) {
	compose := yamlDocs(t, "docker-compose.yml")[0]
	services, _ := compose["services"].(map[string]any)
	for _, name := range []string{"mysql", "redis", "api1", "api2", "nginx", "migrate"} {
		if services[name] == nil {
			t.Errorf("compose lacks service %s", name)
		}
	}
	kinds := map[string]bool{}
	files, _ := filepath.Glob("k8s/*.yaml")
	for _, f := range files {
		for _, doc := range yamlDocs(t, f) {
			kinds[fmt.Sprint(doc["kind"])] = true
		}
	}
	for _, k := range []string{"Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "ConfigMap", "Secret", "Job"} {
		if !kinds[k] {
			t.Errorf("no %s among the Kubernetes manifests", k)
		}
	}
}

func TestEveryVariableIsListed(t *testing.T) {
	vars := serverVars(t)
	example := envExample(t)
	config := yamlDocs(t, "k8s/configmap.yaml")[0]["data"].(map[string]any)
	secret := yamlDocs(t, "k8s/secret.example.yaml")[0]["stringData"].(map[string]any)
	for _, v := range vars {
		if _, ok := example[v]; !ok {
			t.Errorf(".env.example lacks %s", v)
		}
		_, inConfig := config[v]
		_, inSecret := secret[v]
		if inConfig == inSecret {
			t.Errorf("%s must be in exactly one of the ConfigMap and the Secret (config %v, secret %v)", v, inConfig, inSecret)
		}
	}
	for k := range example {
		if !slices.Contains(vars, k) {
			t.Errorf(".env.example lists %s, which the server does not read", k)
		}
	}
	for _, k := range []string{"LINGONG_DB_DSN", "LINGONG_JWT_KEY", "LINGONG_DATA_KEY", "LINGONG_LOOKUP_KEY", "LINGONG_WECHAT_SECRET"} {
		if _, ok := secret[k]; !ok {
			t.Errorf("%s is a secret and belongs in the Secret", k)
		}
	}
}

var binary string

// TestMain builds the server binary once, as the Dockerfile builds it (static, CGO off).
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lingong-deploy-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "lingong")
	build := exec.Command("go", "build", "-o", binary, "./server")
	build.Dir = ".."
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// process is a running server binary.
type process struct {
	cmd  *exec.Cmd
	addr string
	logs *lockedBuffer
	done chan error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// prodEnv is .env.example filled for a test: production mode, a fake WeChat, the given database.
func prodEnv(t *testing.T, fakeURL, dsn string) map[string]string {
	env := envExample(t)
	env["LINGONG_DB_DSN"] = dsn
	env["LINGONG_JWT_KEY"] = "deploy-test-jwt-key-that-is-long-enough"
	env["LINGONG_DATA_KEY"] = "ZGVwbG95LXRlc3QtZGF0YS1rZXktMzItYnl0ZXMhISE="
	env["LINGONG_LOOKUP_KEY"] = "ZGVwbG95LXRlc3QtbG9va3VwLWtleS0zMmJ5dGVzISE="
	env["LINGONG_WECHAT_SECRET"] = "deploy-test-secret"
	env["LINGONG_WECHAT_API_BASE"] = fakeURL
	env["LINGONG_REDIS_ADDR"] = ""
	env["LINGONG_UPLOAD_DIR"] = filepath.Join(t.TempDir(), "uploads")
	env["LINGONG_SUBSCRIBE_TEMPLATES"] = `{"review_result": {"id": "T-REV", "fields": {"item": "thing1", "result": "phrase2", "note": "thing3"}}}`
	return env
}

// testStore opens the database an instance of prodEnv uses, with the same keys, for a test to set up and
// check what the instances did.
func testStore(t *testing.T, dsn string) *model.Store {
	t.Helper()
	key := func(env string) []byte {
		b, _ := base64.StdEncoding.DecodeString(prodEnv(t, "", dsn)[env])
		return b
	}
	crypt, err := fieldcrypt.New(key("LINGONG_DATA_KEY"), nil, key("LINGONG_LOOKUP_KEY"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := model.Open(dsn, crypt, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

// start runs the binary with exactly env (nothing inherited) and waits until it is ready.
func start(t *testing.T, env map[string]string) *process {
	t.Helper()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	env["LINGONG_ADDR"] = addr
	var clean []string
	for k, v := range env {
		clean = append(clean, k+"="+v)
	}
	p := &process{cmd: exec.Command(binary), addr: addr, logs: &lockedBuffer{}, done: make(chan error, 1)}
	p.cmd.Env = clean
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() { p.cmd.Process.Kill() })
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
	}
	t.Fatalf("not ready:\n%s", p.logs.String())
	return nil
}

// stop sends SIGTERM and expects a clean exit.
func (p *process) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, p.logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("did not stop after SIGTERM")
	}
}

// The binary starts in production mode with nothing but the listed variables in its environment,
// answers, and stops cleanly on SIGTERM.
func TestBinaryStartsFromACleanEnvironment(t *testing.T) {
	fake := wechattest.Start(t, "wx0000000000000000", "deploy-test-secret")
	p := start(t, prodEnv(t, fake.URL, "sqlite:"+filepath.Join(t.TempDir(), "db", "lingong.db")))
	addr, logs := p.addr, p.logs
	health := exec.Command(binary, "healthcheck")
	health.Env = []string{"LINGONG_ADDR=" + addr}
	if out, err := health.CombinedOutput(); err != nil {
		t.Fatalf("healthcheck: %v %s", err, out)
	}
	resp, err := http.Post("http://"+addr+"/api/v1/auth/login", "application/json", strings.NewReader(`{"code":"deploy"}`))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("login through the fake WeChat: %v %v\n%s", err, resp, logs.String())
	}
	resp.Body.Close()

	p.stop(t)
	if strings.Contains(logs.String(), "deploy-test-secret") || strings.Contains(logs.String(), "deploy-test-jwt") {
		t.Fatal("a secret reached the log")
	}
}
