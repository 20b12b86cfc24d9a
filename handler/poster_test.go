package handler_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"lingong/handler"
	"lingong/model/modeltest"
)

func posterTools(t *testing.T) handler.PosterFonts {
	_, errText := exec.LookPath("pdftotext")
	if !handler.DefaultPosterFonts.Available() || errText != nil {
		if os.Getenv("LINGONG_REQUIRE_POSTER") == "1" {
			t.Fatal("LINGONG_REQUIRE_POSTER=1 but fonts-droid-fallback, fonts-dejavu-core or poppler-utils is missing")
		}
		modeltest.Notice("no CJK TrueType font or no pdftotext (apt-get install fonts-droid-fallback poppler-utils): the poster test is skipped")
		t.Skip("no poster tools")
	}
	return handler.DefaultPosterFonts
}

// The poster is an A4 PDF whose text (in Chinese) says what, how much, when, where and whom to call, with
// the mini-program code to scan; only the employer and the staff of its area may print it.
func TestGigPoster(t *testing.T) {
	fonts := posterTools(t)
	e := newEnv(t, modeltest.SQLite(t), func(o *handler.Options) { o.PosterFonts = fonts })
	boss := e.employer("emp")
	gig := e.publish(boss, map[string]any{"title": "小区绿化养护工", "wage_cents": 23050, "description": "修剪草坪、浇水，工具齐全"})
	path := fmt.Sprintf("/api/v1/gigs/%d/poster.pdf", gig)

	r := e.do("GET", path, boss, nil)
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Raw, "%PDF-") {
		t.Fatalf("poster: %d %s %.40q", r.Status, r.Header.Get("Content-Type"), r.Raw)
	}
	if !bytes.Contains([]byte(r.Raw), []byte("/Subtype /Image")) {
		t.Error("the poster has no image for the mini-program code")
	}
	file := filepath.Join(t.TempDir(), "poster.pdf")
	os.WriteFile(file, []byte(r.Raw), 0o600)
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"小区绿化养护工", "230.5元/天", "日结", "13900001111", "合肥市蜀山区长江西路100号", "李**（个人）", "微信扫一扫"} {
		if !strings.Contains(text, want) {
			t.Errorf("the poster's text lacks %q:\n%s", want, text)
		}
	}
	if os.Getenv("LINGONG_SCREENSHOTS") != "" {
		os.WriteFile(filepath.Join(os.Getenv("LINGONG_SCREENSHOTS"), "poster.pdf"), []byte(r.Raw), 0o644)
	}

	hefei, _ := e.staffOf("hf", "340100")
	if r := e.do("GET", path, hefei, nil); r.Status != 200 {
		t.Fatalf("staff of the area: %d", r.Status)
	}
	huainan, _ := e.staffOf("hn", "340400")
	wantError(t, e.do("GET", path, huainan, nil), 404, "not_found")
	wantError(t, e.do("GET", path, e.employer("other"), nil), 404, "not_found")
	wantError(t, e.do("GET", path, e.worker("w"), nil), 404, "not_found")
}
