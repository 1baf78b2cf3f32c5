// CPU time of the calling worker thread. Node 20 has no threadCpuUsage(), and process.cpuUsage()
// counts every thread of the process, so read the kernel's per-thread accounting: schedstat (ns
// on CPU), else stat's utime+stime (clock ticks), else event-loop utilisation (the time the
// thread's loop has been busy: CPU plus any blocking it did).
import { openSync, readSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { CpuMeter } from '../execute.ts';

// USER_HZ: 100 on every Linux architecture Node supports.
const TICK_MS = 10;

const buffer = Buffer.alloc(1024);

/**
 * A /proc file of the calling thread, opened once (this module is loaded in each thread, so the
 * fd is the thread's own; Node closes it when the thread ends, terminated or not) and read again
 * from its start each time: one pread per reading, where readFileSync opens, stats, reads and
 * closes, twice per task.
 */
function procReader(path: string): () => string {
  let fd: number | undefined;
  return () => {
    fd ??= openSync(path, 'r');
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.toString('latin1', 0, length);
  };
}

const schedstat = procReader('/proc/thread-self/schedstat');
const stat = procReader('/proc/thread-self/stat');

function readSchedstat(): number {
  return Number(schedstat().split(' ')[0]) / 1e6;
}

function readStat(): number {
  const text = stat();
  // Fields after the command name (which may contain spaces) in parentheses; utime and stime are 14 and 15.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function works(read: () => number): boolean {
  try { return Number.isFinite(read()); } catch { return false; }
}

const threadClock: (() => number) | undefined = [readSchedstat, readStat].find(works);

const eventLoopActive = () => performance.eventLoopUtilization().active;

/**
 * A meter for the tasks of one batch, run back to back in this thread: the reading that ends a
 * task also starts the next (only the thread's own glue runs between them), one reading per task.
 */
export function threadCpuMeter(): CpuMeter<number> {
  const clock = threadClock ?? eventLoopActive;
  let last: number | undefined;
  return {
    start: () => last ?? clock(),
    stop: (_ctx, before) => (last = clock()) - before,
  };
}
