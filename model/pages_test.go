package model_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"lingong/model"
)

// Every page the server names — a message, a poster or screen code, a push — is a page of the mini-program:
// WeChat refuses a subscribe message that opens a page app.json does not list (41030).
func TestPagesNamedAreInTheMiniProgram(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "miniprogram", "app.json"))
	if err != nil {
		t.Fatal(err)
	}
	var app struct{ Pages []string }
	if err := json.Unmarshal(raw, &app); err != nil {
		t.Fatal(err)
	}
	var known []string
	for p := range model.MiniProgramPages {
		known = append(known, p)
	}
	slices.Sort(known)
	want := slices.Clone(app.Pages)
	slices.Sort(want)
	if !slices.Equal(known, want) {
		t.Fatalf("model.MiniProgramPages and app.json differ:\n%v\n%v", known, want)
	}
	literal := regexp.MustCompile(`"(pages/[a-z_]+/[a-z_]+)[?"]`)
	for _, dir := range []string{".", "../handler", "../handler/screen", "../server"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, _ := os.ReadFile(f)
			for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
				if !model.ValidPage(m[1]) {
					t.Errorf("%s names %s, which the mini-program does not have", f, m[1])
				}
			}
		}
	}
}
