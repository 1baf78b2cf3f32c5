// Measured beside predicted: every execution's CPU and wall time, kept per task on the broker so the
// editor and `tasklane inspect measured` see the runs of every worker, across restarts. Workers
// collect them in memory and hand them over in one batch per heartbeat, never one call per task.
import type { RunCost, TaskRuns } from './protocol.ts';

/** Runs kept per task: a window over the recent runs, so the figure follows the code as it is now. */
export const MEASURED_RUNS_KEPT = 100;

/** What the recent runs of a task say about its cost. */
export interface MeasuredSummary {
  task: string;
  /** Runs the figures are over (at most MEASURED_RUNS_KEPT). */
  runs: number;
  /** Total CPU time over total wall time, 0..1. */
  cpuShare: number;
  medianWallMs: number;
}

/** One execution's figures as stored: rounded to 0.1 ms (the stored window stays small). */
export function runCost(cpuMs: number, wallMs: number): RunCost {
  return { cpuMs: Math.round(cpuMs * 10) / 10, wallMs: Math.round(wallMs * 10) / 10 };
}

/** `stored` (newest first) with `added` (oldest first, as they ran) in front, cut to the window. */
export function keepRecent(stored: RunCost[], added: RunCost[]): RunCost[] {
  return [...added].reverse().concat(stored).slice(0, MEASURED_RUNS_KEPT);
}

export function summarizeRuns({ task, runs }: TaskRuns): MeasuredSummary | undefined {
  if (!runs.length) return undefined;
  let cpu = 0;
  let wall = 0;
  for (const run of runs) {
    cpu += run.cpuMs;
    wall += run.wallMs;
  }
  const walls = runs.map((run) => run.wallMs).sort((a, b) => a - b);
  const middle = walls.length >> 1;
  const medianWallMs = walls.length % 2 ? walls[middle] : (walls[middle - 1] + walls[middle]) / 2;
  return { task, runs: runs.length, cpuShare: wall > 0 ? Math.min(1, cpu / wall) : 0, medianWallMs };
}

/** A worker's runs since its last hand-over to the broker, per task, oldest first. */
export class RunRecorder {
  private pending = new Map<string, RunCost[]>();

  add(task: string, cpuMs: number, wallMs: number): void {
    const runs = this.pending.get(task);
    const cost = runCost(cpuMs, wallMs);
    if (runs) {
      runs.push(cost);
      // Between two hand-overs only the window can matter.
      if (runs.length > 2 * MEASURED_RUNS_KEPT) runs.splice(0, runs.length - MEASURED_RUNS_KEPT);
    } else this.pending.set(task, [cost]);
  }

  /** The runs recorded since the last call, emptied. */
  take(): TaskRuns[] {
    const batch = [...this.pending].map(([task, runs]) => ({ task, runs }));
    this.pending = new Map();
    return batch;
  }
}
