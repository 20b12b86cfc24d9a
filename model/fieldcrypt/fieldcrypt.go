// Package fieldcrypt encrypts sensitive personal information (phone numbers, ID numbers, names) before it is
// stored, and makes keyed look-up hashes so that equal values can be found without decrypting every row.
//
// A ciphertext names the key that made it ("k<8 hex>.<base64>"), so the key can be rotated: new writes use the
// current key while older rows stay readable with the previous keys until they are re-encrypted.
package fieldcrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of every key: AES-256 and HMAC-SHA256.
const KeySize = 32

// ErrUndecryptable means a stored value was made with a key this keyring lacks, or was altered.
var ErrUndecryptable = errors.New("fieldcrypt: value cannot be decrypted with the configured keys")

// Keyring holds the current encryption key, older keys still accepted for reading, and the look-up key.
type Keyring struct {
	currentID string
	aeads     map[string]cipher.AEAD
	lookupKey []byte
}

// New builds a keyring. current encrypts; previous only decrypts; lookup keys the look-up hashes and is
// separate so that rotating the encryption key does not invalidate every stored hash.
func New(current []byte, previous [][]byte, lookup []byte) (*Keyring, error) {
	if len(lookup) != KeySize {
		return nil, fmt.Errorf("fieldcrypt: look-up key must be %d bytes, got %d", KeySize, len(lookup))
	}
	k := &Keyring{aeads: map[string]cipher.AEAD{}, lookupKey: append([]byte(nil), lookup...)}
	for i, key := range append([][]byte{current}, previous...) {
		if len(key) != KeySize {
			return nil, fmt.Errorf("fieldcrypt: encryption key %d must be %d bytes, got %d", i, KeySize, len(key))
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		id := keyID(key)
		if i == 0 {
			k.currentID = id
		}
		k.aeads[id] = aead
	}
	return k, nil
}

// keyID names a key without revealing it: the first 4 bytes of its SHA-256.
func keyID(key []byte) string {
	sum := sha256.Sum256(key)
	return hex.EncodeToString(sum[:4])
}

// Encrypt seals plaintext with the current key. The empty string stays empty so that "not given" needs no
// special column.
func (k *Keyring) Encrypt(plaintext string) (string, error) {
	if plaintext == "" {
		return "", nil
	}
	aead := k.aeads[k.currentID]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := aead.Seal(nonce, nonce, []byte(plaintext), []byte(k.currentID))
	return "k" + k.currentID + "." + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// Decrypt opens a value made by Encrypt with any key of the ring.
func (k *Keyring) Decrypt(stored string) (string, error) {
	if stored == "" {
		return "", nil
	}
	id, payload, ok := strings.Cut(strings.TrimPrefix(stored, "k"), ".")
	aead, known := k.aeads[id]
	if !ok || !known || !strings.HasPrefix(stored, "k") {
		return "", ErrUndecryptable
	}
	sealed, err := base64.RawStdEncoding.DecodeString(payload)
	if err != nil || len(sealed) < aead.NonceSize() {
		return "", ErrUndecryptable
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(id))
	if err != nil {
		return "", ErrUndecryptable
	}
	return string(plain), nil
}

// NeedsRotation reports whether a stored value was sealed with an older key.
func (k *Keyring) NeedsRotation(stored string) bool {
	return stored != "" && !strings.HasPrefix(stored, "k"+k.currentID+".")
}

// LookupHash is a keyed hash of a normalised value, for unique keys and equality look-ups.
func (k *Keyring) LookupHash(kind, value string) string {
	if value == "" {
		return ""
	}
	mac := hmac.New(sha256.New, k.lookupKey)
	mac.Write([]byte(kind))
	mac.Write([]byte{0})
	mac.Write([]byte(value))
	return hex.EncodeToString(mac.Sum(nil))
}
