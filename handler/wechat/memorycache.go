package wechat

import (
	"sync"
	"time"
)

// memoryCache keeps the access token in this process when there is no Redis. silenceper's own cache.Memory reads
// its map without its lock, and a sign-in, a message being sent and a content check use the token at once: a read
// meeting a write would crash the process.
type memoryCache struct {
	mu   sync.Mutex
	data map[string]memoryEntry
}

type memoryEntry struct {
	value   any
	expires time.Time
}

func newMemoryCache() *memoryCache { return &memoryCache{data: map[string]memoryEntry{}} }

// Get returns the value at key, or nil when there is none or it expired.
func (m *memoryCache) Get(key string) any {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.data[key]
	if !ok {
		return nil
	}
	if time.Now().After(e.expires) {
		delete(m.data, key)
		return nil
	}
	return e.value
}

// Set stores a value for timeout.
func (m *memoryCache) Set(key string, val any, timeout time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data[key] = memoryEntry{value: val, expires: time.Now().Add(timeout)}
	return nil
}

// IsExist tells whether key holds a value that has not expired.
func (m *memoryCache) IsExist(key string) bool { return m.Get(key) != nil }

// Delete removes key.
func (m *memoryCache) Delete(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.data, key)
	return nil
}
