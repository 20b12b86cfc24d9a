package fairness

import (
	"bufio"
	"fmt"
	"os"
	"testing"
)

func TestScratch(t *testing.T) {
	f, err := os.Open("/tmp/fair_try.txt")
	if err != nil {
		t.Skip()
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := unescape(sc.Text())
		if line == "" {
			continue
		}
		n := normalize(line)
		fmt.Printf("%-30q norm=%q -> %v\n", line, n.s, Check(line))
	}
}

func unescape(s string) string {
	out := []rune{}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if rs[i] == '\\' && i+5 < len(rs)+0 && rs[i+1] == 'u' {
			var v rune
			fmt.Sscanf(string(rs[i+2:i+6]), "%04x", &v)
			out = append(out, v)
			i += 5
			continue
		}
		out = append(out, rs[i])
	}
	return string(out)
}
