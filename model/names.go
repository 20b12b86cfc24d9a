package model

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// personName tidies a person's name as written on their ID card and tells whether it can be one: 2 to max
// characters, letters only apart from the middle dot of some ethnic names (·, as in 阿卜杜拉·艾买提) and inner
// spaces, no control or formatting characters (line breaks, zero-width, bidi), which would break lists, slips
// and messages.
func personName(s string, max int) (string, bool) {
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n < 2 || n > max {
		return s, false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && r != '·' && r != '•' && r != ' ' {
			return s, false
		}
	}
	return s, true
}

// plainText tells whether a short text (a company, contact or place name) holds no control or formatting
// characters and is at most max characters long.
func plainText(s string, max int) bool {
	if utf8.RuneCountInString(s) > max {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}
