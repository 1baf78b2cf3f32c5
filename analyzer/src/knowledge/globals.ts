// Globals available without an import, keyed by their dotted path.
import type { ApiFact } from './effects.ts';

const neutral: ApiFact = { effect: 'neutral', why: 'does no measurable work' };

export const globals: Record<string, ApiFact> = {
  // fetch's response body is read from the network too: res.json(), res.text().
  fetch: { effect: 'io', why: 'waits on the network', chain: true },
  // A timer schedules its callback for later and returns: the task waits only when it awaits a
  // promise around it (`await new Promise((r) => setTimeout(r, ms))`, see summarize.ts), and the
  // callback is not the task's work (a singleton's periodic flush is nobody's task).
  setTimeout: { effect: 'io', why: 'waits on a timer without using CPU', cost: 'wait-timer' },
  setInterval: neutral,
  setImmediate: neutral,
  'Atomics.wait': { effect: 'sync-io', why: 'parks the thread: the event loop stops until it is woken' },
  'JSON.parse': { effect: 'cpu-light', why: 'parses JSON on the event loop (costly only for big documents)' },
  'JSON.stringify': { effect: 'cpu-light', why: 'serialises JSON on the event loop (costly only for big documents)' },
  structuredClone: { effect: 'cpu-light', why: 'deep-copies on the event loop' },
  'crypto.subtle': { effect: 'cpu-offloaded', why: 'runs Web Crypto off the event loop', chain: true },
  'crypto.randomUUID': neutral,
  'WebAssembly.instantiate': { effect: 'cpu-light', why: 'compiles WebAssembly' },
  require: neutral,
  console: neutral,
  Math: neutral,
  Date: neutral,
  Object: neutral,
  Array: neutral,
  String: neutral,
  Number: neutral,
  Promise: neutral,
  Buffer: neutral,
  URL: neutral,
  Error: neutral,
  process: neutral,
};
