package ssehttp

import (
	"net/http/httptest"
	"testing"
)

func TestStartStream(t *testing.T) {
	rec := httptest.NewRecorder()
	rc := StartStream(rec)
	if rc == nil {
		t.Fatal("no ResponseController")
	}
	got := [...]any{rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Cache-Control"), rec.Flushed}
	if want := [...]any{200, "text/event-stream", "no-store", true}; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}
