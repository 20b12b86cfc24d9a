package model

import "strings"

// MaskPhone shows the first three and last four digits of a phone number: 138****1234.
func MaskPhone(phone string) string {
	return maskMiddle(phone, 3, 4)
}

// maskMiddle keeps head and tail runes and stars the rest; short values are starred whole so that masking
// never shows more than it hides.
func maskMiddle(s string, head, tail int) string {
	r := []rune(s)
	if len(r) == 0 {
		return ""
	}
	if len(r) <= head+tail {
		return strings.Repeat("*", len(r))
	}
	return string(r[:head]) + strings.Repeat("*", len(r)-head-tail) + string(r[len(r)-tail:])
}
