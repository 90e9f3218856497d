// Package wasmabi is the memory interface between the polyfill's Go side and the shim: the
// functions the module exports for the shim's read loop, which hands it each chunk of a
// response body through the module's memory ([Loop], [Register]), the reply the consumer of a
// chunk gives back as the export's result ([Reply]), and text that Go leaves in its memory
// for the shim to decode during a call ([Text]). internal/protocol says what the text holds.
package wasmabi
