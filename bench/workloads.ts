// The three workloads, shared by the Tasklane app and the BullMQ processors so both systems run
// exactly the same code per task.
import { setTimeout as sleep } from 'node:timers/promises';

/** W1: nothing at all; what is left is the queue's own cost. */
export function noop(): null {
  return null;
}

/**
 * W2: pure-JS CPU work (xorshift rounds). The result is returned so the JIT cannot drop the loop.
 * The iteration count is calibrated by the bench for ~100 ms on this machine.
 */
export function spin(iterations: number): number {
  let x = 0x9e3779b9;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x >>> 0;
}

/** W3: one timer wait, the shape of an I/O-bound task. */
export async function wait(ms: number): Promise<null> {
  await sleep(ms);
  return null;
}

/** Iterations of `spin` that take about `targetMs` here (after JIT warm-up). */
export function calibrateSpin(targetMs: number): number {
  // Warm calls first, so the probe runs the fully optimised loop; the fastest of three probes is
  // the one least disturbed by other processes.
  for (let i = 0; i < 3; i++) spin(5_000_000);
  const probe = 20_000_000;
  let fastest = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    spin(probe);
    fastest = Math.min(fastest, performance.now() - started);
  }
  return Math.round((probe * targetMs) / fastest);
}
