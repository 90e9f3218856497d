// types-check.ts: the package's types as a user's code uses them, compiled by tsc (TestTypes in
// types_test.go) and never run: every option, the error details, and the events' types. The
// lines after @ts-expect-error must stay errors: tsc fails on one that compiles.
import { EventSource } from "./eventsource.js";
import type { EventSourceErrorEvent, EventSourceErrorReason, EventSourceInit, EventSourceRetryPolicy } from "./eventsource.js";

const retry: EventSourceRetryPolicy = { initialDelay: 1000, maxDelay: 30000, factor: 2, jitter: 0.5, maxAttempts: 10, retryServerErrors: true };
const init: EventSourceInit = {
  withCredentials: true,
  headers: { Authorization: "Bearer x" },
  method: "POST",
  body: new Uint8Array([1, 2]),
  lastEventId: "41",
  retry,
  idleTimeout: 30000,
  signal: new AbortController().signal,
  lastEventIdParam: "lastEventId",
  worker: true,
  shared: false,
};
const es = new EventSource(new URL("https://example.com/updates"), init);
new EventSource("/updates", { headers: async () => new Headers({ "X-Token": "t" }), body: "{}", method: "PUT" });
new EventSource("/updates", { headers: () => ({ "X-Token": "t" }), body: new ArrayBuffer(1), method: "POST" });

const state: 0 | 1 | 2 = es.readyState;
const closed: 2 = EventSource.CLOSED;
es.onopen = (e) => {
  const ev: Event = e;
};
es.onmessage = (e) => {
  const data: string = e.data;
  const id: string = e.lastEventId;
  const origin: string = e.origin;
};
es.onerror = (e) => {
  const reason: EventSourceErrorReason = e.reason;
  const status: number = e.status;
  const statusText: string = e.statusText;
  const willRetry: boolean = e.willRetry;
  const retryIn: number | undefined = e.retryIn;
};
es.addEventListener("custom", (e) => {
  const data: string = e.data;
  const m: MessageEvent<string> = e;
});
es.addEventListener("error", (e) => {
  const ev: EventSourceErrorEvent = e;
});
es.addEventListener("message", (e) => e.data.toUpperCase(), { once: true, signal: new AbortController().signal });
es.close();

// @ts-expect-error: idleTimeout is a number of milliseconds
new EventSource("/updates", { idleTimeout: "30s" });
new EventSource("/updates", { shared: true, headers: new Headers({ "X-Token": "t" }) });
// @ts-expect-error: there is no such option
new EventSource("/updates", { retries: 3 });
// @ts-expect-error: retry takes no unknown member
new EventSource("/updates", { retry: { backoff: 2 } });
// @ts-expect-error: an error's reason is one of the listed strings
const unknown: EventSourceErrorReason = "timeout";
// @ts-expect-error: readyState is a number
const text: string = es.readyState;
