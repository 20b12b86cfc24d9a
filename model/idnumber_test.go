package model

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// validID makes a valid ID number for a birth date and sequence, computing its check character.
func validID(area, birth, seq string) string {
	base := area + birth + seq
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(base[i]-'0') * idWeights[i]
	}
	return base + string(idCheckChars[sum%11])
}

func TestParseIDNumber(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, Shanghai)
	// The standard's own example.
	if id, err := ParseIDNumber("11010519491231002x", now); err != nil || id.Number != "11010519491231002X" || id.Male {
		t.Fatalf("GB 11643 example: %+v %v", id, err)
	}
	man := validID("340104", "19700315", "123")
	id, err := ParseIDNumber(man, now)
	if err != nil {
		t.Fatal(err)
	}
	if !id.Male || id.Age(now) != 56 || id.AreaCode != "340104" {
		t.Fatalf("derived: %+v age %d", id, id.Age(now))
	}
	if got := id.Age(time.Date(2026, 3, 14, 12, 0, 0, 0, Shanghai)); got != 55 {
		t.Fatalf("the day before the birthday: age %d", got)
	}
	bad := []string{
		"", "123", man[:17] + "0", "34010419701315123X", // wrong check; month 13
		validID("340104", "20990101", "123"), // born in the future
		validID("340104", "19700230", "123"), // 30 February
		"A40104197003151234", validID("040104", "19700315", "123"),
		validID("990104", "19700315", "123"), validID("200104", "19700315", "123"), // no such province
	}
	for _, s := range bad {
		if _, err := ParseIDNumber(s, now); !errors.Is(err, ErrIDNumber) {
			t.Errorf("ParseIDNumber(%q) err = %v", s, err)
		}
	}
}

func TestParseCreditCode(t *testing.T) {
	valid := creditWithCheck("91340100MA2NXK1A0")
	if got, err := ParseCreditCode(valid); err != nil || got != valid {
		t.Fatalf("valid code %s: %v", valid, err)
	}
	for _, bad := range []string{"", "short", valid[:17] + "I", "91AB0100MA2NXK1A00", "91340100MA2NXK1AS0", valid[:17] + string(nextChar(valid[17]))} {
		if _, err := ParseCreditCode(bad); !errors.Is(err, ErrCreditCode) {
			t.Errorf("ParseCreditCode(%q) err = %v", bad, err)
		}
	}
}

func creditWithCheck(base string) string {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += indexOf(base[i]) * creditWeights[i]
	}
	return base + string(creditChars[(31-sum%31)%31])
}

func indexOf(c byte) int {
	for i := range len(creditChars) {
		if creditChars[i] == c {
			return i
		}
	}
	return -1
}

func nextChar(c byte) byte {
	i := indexOf(c)
	return creditChars[(i+1)%len(creditChars)]
}

func TestMasks(t *testing.T) {
	for in, want := range map[string]string{"13812341234": "138****1234", "12": "**", "": ""} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q", in, got)
		}
	}
	if got := MaskIDNumber("340104197003151234"); got != "340104********1234" {
		t.Errorf("MaskIDNumber = %q", got)
	}
	if got := MaskName("欧阳娜娜"); got != "欧***" {
		t.Errorf("MaskName = %q", got)
	}
}

func TestPersonNames(t *testing.T) {
	for _, name := range []string{"王建国", "欧阳秀英", "阿卜杜拉·艾买提", " 李四 "} {
		if _, ok := personName(name, 20); !ok {
			t.Errorf("%q refused", name)
		}
	}
	for _, name := range []string{"王", "王\n建国", "王\u200b建国", "王\u202e建国", "王<b>", "王建国1", strings.Repeat("王", 21)} {
		if _, ok := personName(name, 20); ok {
			t.Errorf("%q accepted", name)
		}
	}
	if plainText("合肥好帮手\n家政", 64) || plainText("赵\u2028经理", 20) || !plainText("合肥市蜀山区长江西路 218 号", 120) {
		t.Error("plainText")
	}
}
