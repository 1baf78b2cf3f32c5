// CPU time of tasks sharing one event loop (the async pool): process.cpuUsage() is the whole
// process, so charge each synchronous slice of the loop (an async_hooks before/after pair) to the
// task whose context it runs in. A synchronous slice keeps the one JS thread busy from start to end,
// so its wall time is its CPU time: performance.now() (no syscall) rather than process.cpuUsage()
// (a getrusage per call, ~7 % of a no-op task's worker CPU). Time between slices (waiting on I/O) is
// charged to nobody; GC in a slice counts in it, the OS descheduling the process too (rare, and
// only ever more). Cost: two clock reads per task slice while a pool using it is open, none for
// callbacks outside tasks.
import { createHook } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { currentContext, type TaskContext } from '../context.ts';
import type { CpuMeter } from '../execute.ts';

interface Account { ms: number }

const accounts = new Map<TaskContext, Account>();
const stack: Array<Account | undefined> = [];
let current: Account | undefined;
let mark = 0;

function switchTo(next: Account | undefined): void {
  if (next === current) return;
  const now = performance.now();
  if (current) current.ms += now - mark;
  current = next;
  mark = now;
}

const hook = createHook({
  before() {
    stack.push(current);
    const ctx = currentContext();
    switchTo(ctx && accounts.get(ctx));
  },
  after() {
    switchTo(stack.pop());
  },
});

let users = 0;

export const sliceCpuMeter: CpuMeter & { acquire(): void; release(): void } = {
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
  start(ctx) {
    const account: Account = { ms: 0 };
    accounts.set(ctx, account);
    return () => {
      if (current === account) switchTo(undefined);
      accounts.delete(ctx);
      return account.ms;
    };
  },
};
