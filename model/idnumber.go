package model

import (
	"errors"
	"strings"
	"time"
)

// Errors of the identity-number parsers; the handler names the field.
var (
	ErrIDNumber   = errors.New("invalid resident ID number")
	ErrCreditCode = errors.New("invalid unified social credit code")
)

// IDNumber is a resident identity number (GB 11643-1999) with what it tells about its holder.
type IDNumber struct {
	Number   string // 18 characters, upper-case X
	Birth    time.Time
	Male     bool
	AreaCode string // the 6-digit division code of where it was issued
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// ParseIDNumber checks an 18-digit ID number: digits, a real birth date not in the future, and the ISO 7064
// MOD 11-2 check character.
func ParseIDNumber(s string, now time.Time) (IDNumber, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 18 {
		return IDNumber{}, ErrIDNumber
	}
	if check, ok := idCheckChar(s[:17]); !ok || s[17] != check {
		return IDNumber{}, ErrIDNumber
	}
	birth, err := time.ParseInLocation("20060102", s[6:14], Shanghai)
	if err != nil || birth.After(now) || birth.Year() < 1900 || !provinceCodes[s[:2]] {
		return IDNumber{}, ErrIDNumber
	}
	return IDNumber{Number: s, Birth: birth, Male: (s[16]-'0')%2 == 1, AreaCode: s[:6]}, nil
}

// idCheckChar is the ISO 7064 MOD 11-2 check character of the first 17 digits.
func idCheckChar(first17 string) (byte, bool) {
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		sum += int(c-'0') * idWeights[i]
	}
	return idCheckChars[sum%11], true
}

// Age is the holder's age in whole years on the given day.
func (id IDNumber) Age(on time.Time) int {
	return ageOn(id.Birth, on)
}

func ageOn(birth, on time.Time) int {
	on = on.In(Shanghai)
	age := on.Year() - birth.Year()
	if on.Month() < birth.Month() || (on.Month() == birth.Month() && on.Day() < birth.Day()) {
		age--
	}
	return age
}

const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ParseCreditCode checks a unified social credit code (GB 32100-2015): 18 characters of its alphabet, a
// 6-digit division code, and the MOD 31 check character.
func ParseCreditCode(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 18 {
		return "", ErrCreditCode
	}
	if check, ok := creditCheckChar(s[:17]); !ok || s[17] != check {
		return "", ErrCreditCode
	}
	return s, nil
}

// creditCheckChar is the MOD 31 check character of a credit code's first 17 characters; characters 3–8
// are the registering authority's division code and must be digits.
func creditCheckChar(first17 string) (byte, bool) {
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditChars, first17[i])
		if v < 0 || (i >= 2 && i < 8 && (first17[i] < '0' || first17[i] > '9')) {
			return 0, false
		}
		sum += v * creditWeights[i]
	}
	return creditChars[(31-sum%31)%31], true
}

// MaskIDNumber shows the first and last few characters of an ID number: 340104********1234.
func MaskIDNumber(s string) string { return maskMiddle(s, 6, 4) }

// MaskName keeps the family name: 张*, 欧阳**.
func MaskName(s string) string {
	r := []rune(s)
	if len(r) <= 1 {
		return s
	}
	return string(r[:1]) + strings.Repeat("*", len(r)-1)
}

// provinceCodes are the first two digits of GB/T 2260 division codes: an ID number issued anywhere in China
// starts with one of them (lingong's own area table knows only Anhui, so the rest of the code is not checked).
var provinceCodes = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true, "21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true, "50": true, "51": true, "52": true,
	"53": true, "54": true, "61": true, "62": true, "63": true, "64": true, "65": true, "71": true, "81": true, "82": true, "83": true, // 83: residence permits of Taiwan residents
}
