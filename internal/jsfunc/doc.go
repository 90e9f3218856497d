// Package jsfunc holds what Go compiled to wasm needs to be called from JavaScript and to wait
// for it, on top of github.com/hack-pad/safejs: functions that never panic into JavaScript and
// are counted until released ([FuncOf], [LiveFuncs]), waiting for a promise ([Await]), and
// JavaScript exceptions as Go errors ([Error]).
package jsfunc
