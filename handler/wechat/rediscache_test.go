package wechat_test

import (
	"context"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"lingong/handler/wechat"
	"lingong/handler/wechat/wechattest"
)

// Two instances sharing Redis fetch one access token between them.
func TestInstancesShareTheTokenThroughRedis(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	fake := wechattest.Start(t, appID, secret)

	build := func() *wechat.Client {
		c, err := wechat.New(wechat.Config{AppID: appID, AppSecret: secret, APIBase: fake.URL,
			Cache: wechat.RedisCache{Client: rdb, Prefix: "lingong:"}, Backoff: []time.Duration{}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	first, second := build(), build()
	if _, err := first.PhoneNumber(context.Background(), "p"); err != nil {
		t.Fatal(err)
	}
	if _, err := second.PhoneNumber(context.Background(), "p"); err != nil {
		t.Fatal(err)
	}
	if n := fake.Calls(wechattest.APIStableToken); n != 1 {
		t.Fatalf("two instances fetched %d tokens, want 1 shared", n)
	}
	keys := mr.Keys()
	if len(keys) != 1 || keys[0][:8] != "lingong:" {
		t.Fatalf("redis keys = %v", keys)
	}
	if ttl := mr.TTL(keys[0]); ttl <= 0 || ttl > 7200*time.Second {
		t.Fatalf("token ttl = %v", ttl)
	}
}
