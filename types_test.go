//go:build !js

package eventsource_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestTypes compiles js/types-check.ts, a user's code against the package's types
// (js/eventsource.d.ts), with tsc from the typescript package the lock file pins (make test
// installs it with npm ci): every option, the error details and the events' types must
// compile, and the mistakes it marks with @ts-expect-error must not.
func TestTypes(t *testing.T) {
	tsc := filepath.Join("node_modules", ".bin", "tsc")
	if _, err := os.Stat(tsc); err != nil {
		t.Fatalf("%s: %v (make test installs it: npm ci)", tsc, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, tsc, "-p", filepath.Join("js", "tsconfig.json")).CombinedOutput()
	if err != nil {
		t.Fatalf("tsc -p js/tsconfig.json: %v\n%s", err, out)
	}
}
