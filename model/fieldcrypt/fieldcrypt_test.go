package fieldcrypt

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func key(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func TestRoundTripAndRotation(t *testing.T) {
	oldRing, err := New(key(1), nil, key(9))
	if err != nil {
		t.Fatal(err)
	}
	sealedOld, err := oldRing.Encrypt("13812341234")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealedOld, "1381234") {
		t.Fatalf("ciphertext shows the plaintext: %s", sealedOld)
	}

	rotated, err := New(key(2), [][]byte{key(1)}, key(9))
	if err != nil {
		t.Fatal(err)
	}
	got, err := rotated.Decrypt(sealedOld)
	if err != nil || got != "13812341234" {
		t.Fatalf("old value after rotation = %q, %v", got, err)
	}
	if !rotated.NeedsRotation(sealedOld) {
		t.Error("a value sealed with the previous key should need rotation")
	}
	sealedNew, _ := rotated.Encrypt("13812341234")
	if rotated.NeedsRotation(sealedNew) {
		t.Error("a value sealed with the current key should not need rotation")
	}
	if _, err := oldRing.Decrypt(sealedNew); !errors.Is(err, ErrUndecryptable) {
		t.Errorf("old ring opened a value of a key it lacks: %v", err)
	}
	if oldRing.LookupHash("phone", "138") != rotated.LookupHash("phone", "138") {
		t.Error("look-up hashes must survive rotation of the encryption key")
	}
	if oldRing.LookupHash("phone", "138") == oldRing.LookupHash("id", "138") {
		t.Error("look-up hashes of different kinds must differ")
	}
}

func TestDecryptRejectsTampering(t *testing.T) {
	ring, _ := New(key(1), nil, key(9))
	sealed, _ := ring.Encrypt("340104199001011234")
	// One character of the sealed text changed, in the middle: its last ones may carry only padding bits that
	// decode to the same bytes (and did, once in a few thousand runs).
	mid := len(sealed) / 2
	flipped := byte('A')
	if sealed[mid] == 'A' {
		flipped = 'B'
	}
	tampered := sealed[:mid] + string(flipped) + sealed[mid+1:]
	for _, bad := range []string{tampered, "plain", "kdeadbeef.AAAA", strings.TrimPrefix(sealed, "k")} {
		if _, err := ring.Decrypt(bad); !errors.Is(err, ErrUndecryptable) {
			t.Errorf("Decrypt(%q) err = %v, want ErrUndecryptable", bad, err)
		}
	}
	if v, err := ring.Encrypt(""); v != "" || err != nil {
		t.Errorf("empty stays empty, got %q %v", v, err)
	}
}

func TestNewRejectsShortKeys(t *testing.T) {
	if _, err := New([]byte("short"), nil, key(9)); err == nil {
		t.Error("short encryption key accepted")
	}
	if _, err := New(key(1), nil, []byte("short")); err == nil {
		t.Error("short look-up key accepted")
	}
}
