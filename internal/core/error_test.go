package core

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

// TestIsError checks isError against errors.As, which it stands for, on the shapes of error
// chains a transport may return.
func TestIsError(t *testing.T) {
	cors := &CORSError{Err: errors.New("no ACAO")}
	other := errors.New("reset")
	tests := []struct {
		name string
		err  error
	}{
		{"nil", nil},
		{"itself", cors},
		{"another", other},
		{"wrapped", fmt.Errorf("fetch: %w", cors)},
		{"wrapped twice", fmt.Errorf("a: %w", fmt.Errorf("b: %w", cors))},
		{"joined, second", errors.Join(other, cors)},
		{"joined, absent", errors.Join(other, errors.New("x"))},
		{"wrapped in a join", errors.Join(other, fmt.Errorf("c: %w", cors))},
		{"join in a wrap", fmt.Errorf("d: %w", errors.Join(other, cors))},
		{"several %w", fmt.Errorf("%w and %w", other, cors)},
		{"a CORSError's cause is no CORSError", &URLError{Err: other}},
	}
	for _, tt := range tests {
		var target *CORSError
		want := errors.As(tt.err, &target)
		if got := isError[*CORSError](tt.err); got != want {
			t.Errorf("%s: isError = %v, errors.As = %v", tt.name, got, want)
		}
	}
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{io.EOF, true},
		{io.ErrUnexpectedEOF, false},
		{fmt.Errorf("read: %w", io.EOF), true},
		{errors.Join(errors.New("x"), io.EOF), true},
		{fmt.Errorf("a: %w", errors.Join(errors.New("x"), fmt.Errorf("b: %w", io.EOF))), true},
		{errors.New("EOF"), false},
	} {
		if got := isEOF(tc.err); got != tc.want || got != errors.Is(tc.err, io.EOF) {
			t.Errorf("isEOF(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
	if !isError[*URLError](fmt.Errorf("e: %w", &URLError{Err: cors})) || !isError[*CORSError](&URLError{Err: cors}) {
		t.Error("isError does not find errors along a chain of marked errors")
	}
}
