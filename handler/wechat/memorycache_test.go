package wechat

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// Reads and writes at once, as concurrent WeChat calls make them: a cache without a lock on its reads crashes the
// test binary here ("concurrent map read and map write"), with or without the race detector.
func TestMemoryCacheIsSafeForConcurrentUse(t *testing.T) {
	c := newMemoryCache()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20_000 {
				key := fmt.Sprintf("k%d", (g+i)%16)
				if i%2 == 0 {
					_ = c.Set(key, "token", time.Minute)
				} else if v := c.Get(key); v != nil && v != "token" {
					t.Errorf("got %v", v)
				}
			}
		}()
	}
	wg.Wait()
	if c.Get("k1") != "token" || !c.IsExist("k1") {
		t.Fatal("a stored value is gone")
	}
	_ = c.Set("short", "x", -time.Second)
	if c.Get("short") != nil || c.IsExist("short") {
		t.Fatal("an expired value is still given")
	}
	_ = c.Delete("k1")
	if c.Get("k1") != nil {
		t.Fatal("a deleted value is still given")
	}
}
