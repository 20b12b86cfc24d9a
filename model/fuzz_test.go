package model

import (
	"testing"
	"time"
)

func FuzzParseIDNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "340104197003151234", "", "34010419700315123", "ＡＢＣ", "340104199902301234"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, Shanghai)
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseIDNumber(s, now)
		if err != nil {
			return
		}
		// Whatever is accepted is 18 characters with the right check character, and parses again the same.
		if len(id.Number) != 18 || id.Birth.After(now) {
			t.Fatalf("accepted %q as %+v", s, id)
		}
		again, err := ParseIDNumber(id.Number, now)
		if err != nil || again != id {
			t.Fatalf("%q: re-parse %+v, %v", s, again, err)
		}
		if age := id.Age(now); age < 0 || age > 130 {
			t.Fatalf("%q: age %d", s, age)
		}
	})
}

func FuzzParseCreditCode(f *testing.F) {
	for _, s := range []string{"91340100MA2NXK1A0X", "91110000802100433B", "", "9134010", "91340100MA2NXK1AIO"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := ParseCreditCode(s)
		if err != nil {
			return
		}
		check, ok := creditCheckChar(code[:17])
		if len(code) != 18 || !ok || code[17] != check {
			t.Fatalf("accepted %q as %q", s, code)
		}
	})
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add("ZGlzdGFuY2U6MTIzOjQ1", "distance")
	f.Add("", "wage")
	f.Add("!!!", "newest")
	f.Add(cursorKey{sort: "wage", value: -25000, id: 9}.encode(), "wage")
	f.Fuzz(func(t *testing.T, s, sort string) {
		k, err := decodeCursor(s, sort)
		if err != nil || k == nil {
			return
		}
		if k.sort != sort {
			t.Fatalf("a %q cursor accepted for %q", k.sort, sort)
		}
		if again, err := decodeCursor(k.encode(), sort); err != nil || *again != *k {
			t.Fatalf("round trip of %+v: %+v %v", k, again, err)
		}
	})
}
