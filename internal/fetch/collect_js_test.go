//go:build js && wasm

package fetch

import (
	"testing"
	"time"
)

// collected waits up to 2 s for the scheduled collection to have run.
func collected(t *testing.T) bool {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if !collecting.Load() {
			return true
		}
	}
	return false
}

func TestCollectWaitsWhileABodyIsRead(t *testing.T) {
	if !collected(t) {
		t.Fatal("a collection from before the test is still scheduled")
	}
	t.Run("until none is", func(t *testing.T) {
		done := streaming()
		collectSoon()
		time.Sleep(3 * collectDelay)
		if !collecting.Load() || ended.Load() != 1 {
			t.Fatalf("after %v with a body being read: scheduled %v, %d fetches ended; want it waiting for the one", 3*collectDelay, collecting.Load(), ended.Load())
		}
		done()
		if !collected(t) {
			t.Fatal("no collection once no body was being read")
		}
	})
	t.Run("until collectMaxFetches have ended", func(t *testing.T) {
		done := streaming()
		defer done()
		for range collectMaxFetches {
			collectSoon()
		}
		if !collected(t) || ended.Load() != 0 {
			t.Fatalf("no collection after %d fetches ended while a body was being read", collectMaxFetches)
		}
	})
	t.Run("until collectMaxWait has passed", func(t *testing.T) {
		defer func(d time.Duration) { collectMaxWait = d }(collectMaxWait)
		collectMaxWait = 3 * collectDelay
		done := streaming()
		defer done()
		start := time.Now()
		collectSoon()
		if !collected(t) {
			t.Fatalf("no collection %v after a fetch ended while a body was being read", collectMaxWait)
		}
		if waited := time.Since(start); waited < collectMaxWait {
			t.Errorf("collected after %v, want at least collectMaxWait, %v", waited, collectMaxWait)
		}
	})
	t.Run("not when no body is read", func(t *testing.T) {
		start := time.Now()
		collectSoon()
		if !collected(t) {
			t.Fatal("no collection after a fetch ended")
		}
		if waited := time.Since(start); waited > 10*collectDelay {
			t.Errorf("collected after %v with no body being read, want about collectDelay, %v", waited, collectDelay)
		}
	})
}
