package wechat

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisCache keeps silenceper's access token in Redis so that every instance uses one token: WeChat
// invalidates older tokens when a new one is fetched, and instances fetching their own would undo each other.
// It adapts silenceper's four-method cache to go-redis v9, the client lingong already has.
type RedisCache struct {
	Client *redis.Client
	Prefix string
}

const redisTimeout = 2 * time.Second

// Get returns the string stored at key, or nil when there is none (or Redis does not answer, in which case
// silenceper fetches a token from WeChat).
func (c RedisCache) Get(key string) any {
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	v, err := c.Client.Get(ctx, c.Prefix+key).Result()
	if err != nil {
		return nil
	}
	return v
}

// Set stores a string value for timeout.
func (c RedisCache) Set(key string, val any, timeout time.Duration) error {
	s, ok := val.(string)
	if !ok {
		return fmt.Errorf("wechat redis cache: only strings are stored, got %T", val)
	}
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	return c.Client.Set(ctx, c.Prefix+key, s, timeout).Err()
}

// IsExist tells whether key holds a value.
func (c RedisCache) IsExist(key string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	n, err := c.Client.Exists(ctx, c.Prefix+key).Result()
	return err == nil && n > 0
}

// Delete removes key.
func (c RedisCache) Delete(key string) error {
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	err := c.Client.Del(ctx, c.Prefix+key).Err()
	if errors.Is(err, redis.Nil) {
		return nil
	}
	return err
}
