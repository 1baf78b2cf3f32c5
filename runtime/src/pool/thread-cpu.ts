// CPU time of the calling worker thread. Node 20 has no threadCpuUsage(), and process.cpuUsage()
// counts every thread of the process, so read the kernel's per-thread accounting: schedstat (ns
// on CPU), else stat's utime+stime (clock ticks), else event-loop utilisation (the time the
// thread's loop was busy: CPU plus any blocking it did).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { CpuMeter } from '../execute.ts';

// USER_HZ: 100 on every Linux architecture Node supports.
const TICK_MS = 10;

function readSchedstat(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
}

function readStat(): number {
  const text = readFileSync('/proc/thread-self/stat', 'utf8');
  // Fields after the command name (which may contain spaces) in parentheses; utime and stime are 14 and 15.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function works(read: () => number): boolean {
  try { return Number.isFinite(read()); } catch { return false; }
}

const threadClock: (() => number) | undefined = [readSchedstat, readStat].find(works);

export const threadCpuMeter: CpuMeter = threadClock
  ? {
    start() {
      const before = threadClock();
      return () => threadClock() - before;
    },
  }
  : {
    start() {
      const before = performance.eventLoopUtilization();
      return () => performance.eventLoopUtilization(before).active;
    },
  };
