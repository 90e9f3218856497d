// Types of ssewasm-eventsource: the standard EventSource, plus the polyfill's options and the
// details it adds to error events.

/** The reason an error event fired. */
export type EventSourceErrorReason =
  | "network"
  | "end-of-stream"
  | "http-status"
  | "content-type"
  | "cors"
  | "url"
  | "csp"
  | "idle-timeout"
  | "retries-exhausted"
  | "headers"
  | "aborted"
  | "internal";

/** An `error` event of the polyfill: a plain Event with what happened. */
export interface EventSourceErrorEvent extends Event {
  readonly reason: EventSourceErrorReason;
  /** The response's status, 0 without a response. */
  readonly status: number;
  /** The response's status text, "" without a response. */
  readonly statusText: string;
  /** True when the connection is being re-established (readyState CONNECTING). */
  readonly willRetry: boolean;
  /** Milliseconds until the next attempt, when willRetry. */
  readonly retryIn: number | undefined;
}

/** Header values as an object or a Headers. */
export type EventSourceHeaders = Record<string, string> | Headers;

/** How a dropped connection is re-established. All fields are optional. */
export interface EventSourceRetryPolicy {
  /** The initial delay in ms (default 3000); the stream's retry: field still sets it. */
  initialDelay?: number;
  /** The largest delay in ms. */
  maxDelay?: number;
  /** Multiplies the delay after each consecutive failure (1 or more). */
  factor?: number;
  /** The largest fraction of each delay taken off at random (0 to 1). */
  jitter?: number;
  /** Consecutive attempts before the source fails with reason "retries-exhausted". */
  maxAttempts?: number;
  /** Retry 5xx and 429 responses (at least Retry-After later) instead of failing. */
  retryServerErrors?: boolean;
}

/** The init dictionary: the standard's withCredentials and the polyfill's options. */
export interface EventSourceInit {
  withCredentials?: boolean;
  /** Extra request headers; a function is called again before every reconnection. */
  headers?: EventSourceHeaders | (() => EventSourceHeaders | Promise<EventSourceHeaders>);
  /** The request method (with body: not GET or HEAD). */
  method?: string;
  /** The request body, sent again on every reconnection. */
  body?: string | ArrayBuffer | ArrayBufferView;
  /** The initial last event ID. */
  lastEventId?: string;
  retry?: EventSourceRetryPolicy;
  /** Milliseconds of silence after which the connection is treated as lost. */
  idleTimeout?: number;
  /** Aborting it closes the source. */
  signal?: AbortSignal;
  /** Send the last event ID as this query parameter instead of the Last-Event-ID header. */
  lastEventIdParam?: string;
  /** Run the connection in the page's engine worker, one for all such sources of the page. */
  worker?: boolean;
  /**
   * Share one connection with the sources of every page of the origin that have the same URL,
   * credentials mode and options (in a SharedWorker); headers then only as an object or a Headers.
   */
  shared?: boolean;
}

export interface EventSourceEventMap {
  open: Event;
  message: MessageEvent<string>;
  error: EventSourceErrorEvent;
}

/** The EventSource interface of the WHATWG HTML standard, implemented in Go and WebAssembly. */
export declare class EventSource extends EventTarget {
  constructor(url: string | URL, eventSourceInitDict?: EventSourceInit);
  readonly url: string;
  readonly withCredentials: boolean;
  readonly readyState: 0 | 1 | 2;
  readonly CONNECTING: 0;
  readonly OPEN: 1;
  readonly CLOSED: 2;
  static readonly CONNECTING: 0;
  static readonly OPEN: 1;
  static readonly CLOSED: 2;
  onopen: ((this: EventSource, ev: Event) => any) | null;
  onmessage: ((this: EventSource, ev: MessageEvent<string>) => any) | null;
  onerror: ((this: EventSource, ev: EventSourceErrorEvent) => any) | null;
  close(): void;
  addEventListener<K extends keyof EventSourceEventMap>(
    type: K,
    listener: (this: EventSource, ev: EventSourceEventMap[K]) => any,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: (this: EventSource, ev: MessageEvent<string>) => any,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof EventSourceEventMap>(
    type: K,
    listener: (this: EventSource, ev: EventSourceEventMap[K]) => any,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

export default EventSource;
