// CPU time of tasks run on the worker's own event loop (the async and solo pools):
// process.cpuUsage() is the whole process, so charge each synchronous slice of the loop (an
// async_hooks before/after pair) to the task whose context it runs in. A synchronous slice keeps the
// one JS thread busy from start to end, so its wall time is its CPU time: performance.now() (no
// syscall) rather than process.cpuUsage() (a getrusage per call, ~7 % of a no-op task's worker CPU).
// Time between slices (waiting on I/O) is charged to nobody; GC in a slice counts in it, the OS
// descheduling the process too (rare, and only ever more). Cost: two clock reads per task slice
// while a pool using it is open, none for callbacks outside tasks.
import { createHook } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { currentContext, type RunContext } from '../context.ts';
import type { CpuMeter } from '../execute.ts';

/** The execution whose slice is running now (charged when the slice ends), and since when. */
let current: RunContext | undefined;
let mark = 0;
const stack: Array<RunContext | undefined> = [];

function switchTo(next: RunContext | undefined): void {
  if (next === current) return;
  const now = performance.now();
  if (current) {
    current.cpuMs += now - mark;
    current.ranUntil = now;
  }
  current = next;
  mark = now;
}

const hook = createHook({
  before() {
    stack.push(current);
    switchTo(currentContext());
  },
  after() {
    switchTo(stack.pop());
  },
});

let users = 0;

export const sliceCpuMeter: CpuMeter<void> & { acquire(): void; release(): void } = {
  acquire() {
    if (users++ === 0) hook.enable();
  },
  release() {
    if (--users === 0) {
      hook.disable();
      stack.length = 0;
      current = undefined;
    }
  },
  // The handler's first synchronous slice runs inside the caller's slice: charge it here.
  start(ctx) {
    stack.push(current);
    switchTo(ctx);
  },
  stop(ctx) {
    if (current === ctx) switchTo(undefined);
    return ctx.cpuMs;
  },
  yielded() {
    switchTo(stack.pop());
  },
};
