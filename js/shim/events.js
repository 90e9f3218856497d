// events.js: the events an EventSource fires, their dispatch, and the arguments of
// addEventListener and removeEventListener.

// ---- Events and listeners ----------------------------------------------------------------
//
// The standard fires open and error as Events and messages as MessageEvents. A platform
// MessageEvent costs Chromium about 1.9 µs to create and 0.5 µs to dispatch, more than its own
// EventSource spends on a whole event, so the polyfill fires script objects that behave as
// those events instead: instances of Event or MessageEvent with every attribute and method of
// the DOM and HTML interfaces, isTrusted true as the browser's own events have, created for
// about 0.02 µs. An EventSource keeps its listeners itself and invokes them as DOM's "dispatch"
// does at a target; it also registers them with EventTarget, so that dispatchEvent() of an
// event made by script reaches them the platform's way. What a script can tell: the event's
// prototype is not MessageEvent.prototype itself but inherits from it, and a platform API
// that wants a platform Event (dispatchEvent on another target, say) refuses it (README,
// "Differences from the browser's own EventSource").

const NONE = 0, AT_TARGET = 2; // Event.eventPhase values
// An event's flags (DOM §2.2), in one number.
const STOP = 1, STOP_IMMEDIATE = 2, CANCELED = 4, DISPATCHING = 8, BUBBLES = 16, CANCELABLE = 32;
const noPorts = Object.freeze([]);
const report = typeof g.reportError === "function" ? (e) => g.reportError(e) : (e) => microtask(() => { throw e; });

// The prototypes of the events: eventProto for open and error, messageProto for messages.
// Their constructor is the platform's, so that e.constructor === MessageEvent, and their class
// string is inherited from it.
const ownProto = (base) => base && Object.create(base.prototype, { constructor: { value: base, writable: true, configurable: true } });
const eventProto = ownProto(g.Event);
const messageProto = ownProto(g.MessageEvent) || ownProto(g.Event);
let newEvent, newMessage, fire, fireOne, finish; // set in SourceEvent's static block

// Stamp's constructor returns the object it is given, so that a subclass's fields (private
// ones too) are defined on an object of any prototype.
class Stamp {
  constructor(o) { return o; }
}

// SourceEvent is the state of an event fired by an EventSource; the accessors on eventProto
// and messageProto read it.
class SourceEvent extends Stamp {
  isTrusted = true; // an own property, as [LegacyUnforgeable] makes it on platform events
  #type; #target; #timeStamp; #data; #origin; #lastEventId;
  #current = null; // the current target, set while the event is dispatched (eventPhase AT_TARGET)
  #flags = 0;
  #init = null; // {source, ports} once initMessageEvent has set them

  constructor(proto, type, target, timeStamp, data, origin, lastEventId) {
    super(Object.create(proto));
    this.#type = type;
    this.#target = target;
    this.#timeStamp = timeStamp;
    this.#data = data;
    this.#origin = origin;
    this.#lastEventId = lastEventId;
  }

  static {
    newEvent = (type, target, timeStamp) => new SourceEvent(eventProto, type, target, timeStamp, undefined, "", "");
    newMessage = (type, target, timeStamp, data, origin, lastEventId) => new SourceEvent(messageProto, type, target, timeStamp, data, origin, lastEventId);

    // DOM §2.9 "initialize" an event, for initEvent and initMessageEvent.
    const initialize = (e, type, bubbles, cancelable) => {
      e.#type = `${type}`;
      e.#flags = (bubbles ? BUBBLES : 0) | (cancelable ? CANCELABLE : 0);
      e.#target = null;
      e.isTrusted = false;
    };
    const has = (e, flag) => (e.#flags & flag) !== 0;
    const need = (n, args, method, iface) => {
      if (args.length < n) throw new TypeError(`Failed to execute '${method}' on '${iface}': ${n} argument required, but only ${args.length} present.`);
    };
    const members = {
      type: { get() { return this.#type; } },
      target: { get() { return this.#target; } },
      srcElement: { get() { return this.#target; } },
      currentTarget: { get() { return this.#current; } },
      eventPhase: { get() { return this.#current === null ? NONE : AT_TARGET; } },
      bubbles: { get() { return has(this, BUBBLES); } },
      cancelable: { get() { return has(this, CANCELABLE); } },
      defaultPrevented: { get() { return has(this, CANCELED); } },
      composed: { get() { return false; } },
      timeStamp: { get() { return this.#timeStamp; } },
      returnValue: {
        get() { return !has(this, CANCELED); },
        set(v) { if (!v && has(this, CANCELABLE)) this.#flags |= CANCELED; },
      },
      cancelBubble: {
        get() { return has(this, STOP); },
        set(v) { if (v) this.#flags |= STOP; },
      },
      composedPath: { value() { return has(this, DISPATCHING) ? [this.#target] : []; } },
      stopPropagation: { value() { this.#flags |= STOP; } },
      stopImmediatePropagation: { value() { this.#flags |= STOP | STOP_IMMEDIATE; } },
      // The events an EventSource fires are not cancelable; one made so with initEvent is
      // canceled (its listener may be passive, but it can only be dispatched by an
      // EventSource, which does not cancel it anyway).
      preventDefault: { value() { if (has(this, CANCELABLE)) this.#flags |= CANCELED; } },
      initEvent: {
        value(type, bubbles = false, cancelable = false) {
          need(1, arguments, "initEvent", "Event");
          if (!has(this, DISPATCHING)) initialize(this, type, bubbles, cancelable);
        },
      },
    };
    const messageMembers = {
      data: { get() { return this.#data; } },
      origin: { get() { return this.#origin; } },
      lastEventId: { get() { return this.#lastEventId; } },
      source: { get() { return this.#init ? this.#init.source : null; } },
      ports: { get() { return this.#init ? this.#init.ports : noPorts; } },
      initMessageEvent: {
        value(type, bubbles = false, cancelable = false, data = null, origin = "", lastEventId = "", source = null, ports = []) {
          need(1, arguments, "initMessageEvent", "MessageEvent");
          if (has(this, DISPATCHING)) return;
          initialize(this, type, bubbles, cancelable);
          this.#data = data;
          this.#origin = `${origin}`;
          this.#lastEventId = `${lastEventId}`;
          this.#init = { source, ports: Object.freeze([...ports]) };
        },
      },
    };
    const attrs = (m) => {
      for (const d of Object.values(m)) Object.assign(d, { enumerable: true, configurable: true }, "value" in d ? { writable: true } : {});
      return m;
    };
    Object.defineProperties(eventProto, attrs(members));
    Object.defineProperties(messageProto, attrs({ ...members, ...messageMembers }));

    // fire dispatches e at target, whose listeners for e's type are list, as DOM §2.9
    // "dispatch" does for a target with no parent: over a clone of the list, first the
    // capturing listeners, then the others ("invoke" at the target, for the capturing and
    // then the bubbling phase), skipping listeners removed meanwhile; an exception is
    // reported and the next listener still runs. The browser calls each listener from a task
    // with an empty JavaScript stack, so the microtasks a listener queues run before the next
    // listener (see settle).
    fire = async (e, target, list) => {
      const listeners = list.slice();
      begin(e, target);
      for (let capturing = 1; capturing >= 0 && !(e.#flags & STOP); capturing--) {
        for (const l of listeners) {
          if (l.removed || l.capture !== (capturing === 1)) continue;
          await settle(invoke(e, target, l));
          if (e.#flags & STOP_IMMEDIATE) break;
        }
      }
      finish(e);
    };
    // fireOne, then an await of settle of its result, then finish, do what fire does when
    // there is one listener, without its copy of the list and its promise.
    fireOne = (e, target, l) => {
      begin(e, target);
      return invoke(e, target, l);
    };
    const begin = (e, target) => {
      e.#flags |= DISPATCHING;
      e.#current = target;
    };
    const invoke = (e, target, l) => {
      if (l.once) l.remove();
      try {
        return call(l.callback, e, target);
      } catch (err) {
        report(err);
      }
    };
    finish = (e) => {
      // DOM §2.9 "dispatch", the last steps: unset the dispatch and stop flags, and the
      // current target.
      e.#flags &= ~(DISPATCHING | STOP | STOP_IMMEDIATE);
      e.#current = null;
    };
  }
}

// call invokes a listener's callback as WebIDL's "call a user object's operation" does: a
// function with this = the current target, or else the object's handleEvent method.
const call = (callback, e, target) => {
  if (typeof callback === "function") return callback.call(target, e);
  const handleEvent = callback.handleEvent;
  if (typeof handleEvent !== "function") throw new TypeError("'handleEvent' property of event listener is not a function");
  return handleEvent.call(callback, e);
};

// settle(result) is what the pump awaits after a listener call that returned result, so that
// the microtasks the call queued run first, as the microtask checkpoint after each listener
// call of the browser's own does. One await lets those the call queued run, but not those
// that they queue in turn: an async listener's `await a; await b;` would finish after the
// next listener. So after a listener that returned a promise (an async function), the next
// waits for a task of its own, which comes after a checkpoint that empties the queue; other
// listeners cost one await, as before (README, "Speed").
const settle = (result) => (result instanceof Promise ? nextTask() : undefined);

// nextTask() returns a promise resolved in a task of its own: through a MessageChannel (no
// clamping, unlike setTimeout), or Node.js's setImmediate.
let taskQueue = null;
const nextTask = () => new Promise((resolve) => {
  if (typeof real.setImmediate === "function") return real.setImmediate(resolve);
  if (!taskQueue) {
    const channel = new MessageChannel();
    taskQueue = { port: channel.port2, waiting: [] };
    channel.port1.onmessage = () => taskQueue.waiting.shift()();
  }
  taskQueue.waiting.push(resolve);
  taskQueue.port.postMessage(null);
});

// errorEvent makes an error event that says what happened (the polyfill's extension; it
// stays an Event): reason, status and statusText of the response if any, willRetry, and
// retryIn (ms) when a reconnection is scheduled (retryIn < 0: none).
const errorEvent = (target, reason, status, statusText, retryIn) => {
  const e = newEvent("error", target, now());
  const ro = (value) => ({ value, enumerable: true });
  return Object.defineProperties(e, {
    reason: ro(reason), status: ro(status), statusText: ro(statusText),
    willRetry: ro(retryIn >= 0), retryIn: ro(retryIn >= 0 ? retryIn : undefined),
  });
};

// readListenerArgs converts addEventListener's and removeEventListener's arguments as
// WebIDL does (DOM §2.7): the type to a string, the callback to an object or null, and the
// options to a dictionary (its members read in order: capture, once, passive, signal) or a
// boolean capture.
const readListenerArgs = (method, args, full) => {
  const fail = (msg) => { throw new TypeError(`Failed to execute '${method}' on 'EventTarget': ${msg}`); };
  if (args.length < 2) fail(`2 arguments required, but only ${args.length} present.`);
  const type = `${args[0]}`;
  let callback = args[1], options = args[2];
  if (callback === undefined) callback = null;
  if (callback !== null && typeof callback !== "object" && typeof callback !== "function") fail("parameter 2 is not of type 'Object'.");
  const o = { type, callback, capture: false, once: false, passive: undefined, signal: undefined };
  if (options !== null && (typeof options === "object" || typeof options === "function")) {
    o.capture = Boolean(options.capture);
    if (full) {
      o.once = Boolean(options.once);
      const passive = options.passive;
      if (passive !== undefined) o.passive = Boolean(passive);
      o.signal = options.signal;
      if (o.signal !== undefined && !(typeof AbortSignal === "function" && o.signal instanceof AbortSignal)) {
        fail("Failed to read the 'signal' property from 'AddEventListenerOptions': Failed to convert value to 'AbortSignal'.");
      }
    }
  } else o.capture = Boolean(options);
  return o;
};
