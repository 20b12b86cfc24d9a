package model

import (
	"context"
	"fmt"
)

// sealedColumns are every column that holds a value sealed by the keyring, by table and primary key.
var sealedColumns = []struct {
	table, key string
	columns    []string
}{
	{"users", "id", []string{"phone_cipher"}},
	{"sessions", "id", []string{"session_key_cipher"}},
	{"worker_profiles", "user_id", []string{"name_cipher", "id_number_cipher", "home_cipher"}},
	{"employers", "id", []string{"legal_name_cipher", "id_number_cipher", "contact_name_cipher", "contact_phone_cipher"}},
	{"gigs", "id", []string{"contact_phone_cipher"}},
}

// Reencrypt seals again, with the current key, every value still sealed with an older one, in batches, so
// that an old key can then be dropped from LINGONG_DATA_OLD_KEYS. It can run while the server serves: each
// row is rewritten only if it still holds the value that was read.
func (s *Store) Reencrypt(ctx context.Context, progress func(table string, done int)) (int, error) {
	total := 0
	for _, t := range sealedColumns {
		var last uint64
		done := 0
		for {
			var rows []map[string]any
			cols := t.key
			for _, c := range t.columns {
				cols += ", " + c
			}
			if err := s.DB.WithContext(ctx).Table(t.table).Select(cols).Where(t.key+" > ?", last).
				Order(t.key).Limit(1000).Find(&rows).Error; err != nil {
				return total, dbErr(err)
			}
			if len(rows) == 0 {
				break
			}
			for _, row := range rows {
				id := toUint64(row[t.key])
				last = id
				for _, c := range t.columns {
					old, _ := row[c].(string)
					if b, ok := row[c].([]byte); ok {
						old = string(b)
					}
					if !s.Crypt.NeedsRotation(old) {
						continue
					}
					plain, err := s.Crypt.Decrypt(old)
					if err != nil {
						return total, fmt.Errorf("%s %d %s: %w", t.table, id, c, err)
					}
					sealed, err := s.Crypt.Encrypt(plain)
					if err != nil {
						return total, err
					}
					res := s.DB.WithContext(ctx).Table(t.table).Where(t.key+" = ? AND "+c+" = ?", id, old).Update(c, sealed)
					if res.Error != nil {
						return total, dbErr(res.Error)
					}
					total += int(res.RowsAffected)
					done += int(res.RowsAffected)
				}
			}
		}
		if progress != nil {
			progress(t.table, done)
		}
	}
	return total, nil
}

func toUint64(v any) uint64 {
	switch n := v.(type) {
	case int64:
		return uint64(n)
	case uint64:
		return n
	case int:
		return uint64(n)
	case []byte:
		var out uint64
		fmt.Sscan(string(n), &out)
		return out
	}
	return 0
}
