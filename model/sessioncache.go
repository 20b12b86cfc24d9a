package model

import (
	"sync"
	"time"
)

// sessionCache keeps the users of the live sessions this instance checked lately, so that a signed-in
// request costs no database read. It stays true by forgetting: at once for what this instance ends (a logout,
// a disabled account), within a second through the change feed for what other instances end, and after
// sessionCacheAge in any case, which bounds the harm of a change the feed gave up on.
type sessionCache struct {
	mu        sync.RWMutex
	bySession map[uint64]cachedSession
	byUser    map[uint64][]uint64
	// epoch grows with every forget; a fill whose database read began before it may hold what was just
	// forgotten, and is dropped.
	epoch   uint64
	sweptAt time.Time
}

type cachedSession struct {
	user     User
	cachedAt time.Time
}

const sessionCacheAge = time.Minute

func newSessionCache() *sessionCache {
	return &sessionCache{bySession: map[uint64]cachedSession{}, byUser: map[uint64][]uint64{}}
}

func (c *sessionCache) get(sessionID uint64, now time.Time) (*User, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.RLock()
	e, ok := c.bySession[sessionID]
	c.mu.RUnlock()
	if !ok || now.Sub(e.cachedAt) >= sessionCacheAge {
		return nil, false
	}
	u := e.user
	return &u, true
}

// begin returns the epoch to hand to put after reading the database.
func (c *sessionCache) begin() uint64 {
	if c == nil {
		return 0
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.epoch
}

func (c *sessionCache) put(sessionID uint64, u *User, epoch uint64, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != c.epoch {
		return
	}
	if now.Sub(c.sweptAt) >= sessionCacheAge {
		for id, e := range c.bySession {
			if now.Sub(e.cachedAt) >= sessionCacheAge {
				c.drop(id, e.user.ID)
			}
		}
		c.sweptAt = now
	}
	if _, had := c.bySession[sessionID]; !had {
		c.byUser[u.ID] = append(c.byUser[u.ID], sessionID)
	}
	c.bySession[sessionID] = cachedSession{user: *u, cachedAt: now}
}

func (c *sessionCache) drop(sessionID, userID uint64) {
	delete(c.bySession, sessionID)
	rest := c.byUser[userID][:0]
	for _, id := range c.byUser[userID] {
		if id != sessionID {
			rest = append(rest, id)
		}
	}
	if len(rest) == 0 {
		delete(c.byUser, userID)
	} else {
		c.byUser[userID] = rest
	}
}

// forget drops the named sessions and every session of the named users.
func (c *sessionCache) forget(users, sessions []uint64) {
	if c == nil || len(users)+len(sessions) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	for _, id := range sessions {
		if e, ok := c.bySession[id]; ok {
			c.drop(id, e.user.ID)
		}
	}
	for _, u := range users {
		for _, id := range append([]uint64(nil), c.byUser[u]...) {
			c.drop(id, u)
		}
	}
}

// ForgetSessions applies what the change feed says about users and sessions: their next request is checked
// against the database again.
func (s *Store) ForgetSessions(ch Changes) { s.sessions.forget(ch.Users, ch.Sessions) }
