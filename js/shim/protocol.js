// protocol.js: the decoder of the records the Go side sends for a source (specified in
// internal/protocol, whose tests run js/shim/protocol.test.mjs against what Go encodes).

// Records reads one source's records in order, from the batches push adds. next() reads the
// next record into the fields below and reports whether there was one. The pieces of a long
// message's data (records p and x) and the last event ID that d records leave out are resolved
// here: next() only ever reads an open ("o"), a message ("m") or an error ("e"). The fields
// are those of the last record read; the others keep older values.
class Records {
  kind = ""; // "o", "m" or "e"
  time = 0; // when the record's batch arrived
  origin = ""; // o: the origin of the messages that follow
  type = ""; // m: the event type
  lastEventId = ""; // m: the last event ID
  data = ""; // m: the data
  reason = ""; // e: why, and the response's status and statusText (0 and "" without one)
  status = 0;
  statusText = "";
  retryIn = -1; // e: the reconnection delay in ms, or -1 when the connection failed
  message = ""; // e: the underlying error
  // With track set, received is the last event ID of the last message pushed, read or not
  // (where a shared source's stream is: see RemoteEngine's resume), and stays what it was set
  // to until one comes.
  track = false;
  received = "";
  #batches = []; // [{parts, kinds, k, p, time}] not read to their end
  #pieces = ""; // the start of the next message's data

  // push adds a batch (a string) and the field beside it (a string, or undefined), which
  // arrived at time.
  push(batch, last, time) {
    const parts = batch.split("\r");
    const kinds = parts.pop();
    if (last !== undefined) parts.push(last);
    this.#batches.push({ parts, kinds, k: 0, p: 0, time });
    if (this.track) {
      const m = kinds.lastIndexOf("m");
      if (m >= 0) this.received = parts[fieldsBefore(kinds, m) + 1];
    }
  }

  // clear drops the records not read yet.
  clear() {
    this.#batches.length = 0;
    this.#pieces = "";
  }

  next() {
    for (let b; (b = this.#batches[0]);) {
      const kind = b.kinds[b.k++], parts = b.parts, p = b.p;
      if (b.k === b.kinds.length) this.#batches.shift();
      this.time = b.time;
      if (kind === "d" || kind === "m") {
        let data;
        if (kind === "d") {
          b.p = p + 1;
          this.type = "message";
          data = parts[p];
        } else {
          b.p = p + 3;
          this.type = parts[p] || "message";
          this.lastEventId = parts[p + 1];
          data = parts[p + 2];
        }
        if (this.#pieces !== "") {
          data = this.#pieces + data;
          this.#pieces = "";
        }
        this.kind = "m";
        this.data = data;
        return true;
      } else if (kind === "p") {
        // Joined as a rope, not copied.
        b.p = p + 1;
        this.#pieces += parts[p];
      } else if (kind === "x") {
        this.#pieces = "";
      } else if (kind === "o") {
        b.p = p + 1;
        this.kind = "o";
        this.origin = parts[p];
        return true;
      } else if (kind === "e") {
        b.p = p + 5;
        this.kind = "e";
        this.reason = parts[p];
        this.status = +parts[p + 1];
        this.statusText = parts[p + 2];
        this.retryIn = parts[p + 3] === "" ? -1 : +parts[p + 3];
        this.message = parts[p + 4];
        return true;
      } else {
        throw new Error(`EventSource polyfill: unknown record kind ${JSON.stringify(kind)} from the Go side`);
      }
    }
    return false;
  }
}

// fieldsBefore counts the fields of the first n records of kinds.
const fieldCounts = { o: 1, m: 3, d: 1, p: 1, x: 0, e: 5 };
const fieldsBefore = (kinds, n) => {
  let f = 0;
  for (let i = 0; i < n; i++) f += fieldCounts[kinds[i]];
  return f;
};
