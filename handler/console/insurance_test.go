package console

import "testing"

func TestParseYuan(t *testing.T) {
	for in, want := range map[string]int64{"1": 100, "30.5": 3050, "0.05": 5, "500000": 50000000, "12.34": 1234, "0": 0} {
		if got, ok := parseYuan(in); !ok || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "1.", ".5", "1.234", "-1", "1e3", "3,000", "十元", "1.-5", "+5", "1.+5"} {
		if got, ok := parseYuan(in); ok {
			t.Errorf("%q read as %d", in, got)
		}
	}
}
