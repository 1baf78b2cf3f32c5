// How a running task's progress reads in the Runs view: a bar and a percentage when the task gave
// a total, a count when it did not (context().progress(done, total?)).
import type { TaskProgress } from 'tasklane/contract';

const CELLS = 10;

export function progressText({ done, total }: TaskProgress): string {
  if (!total) return `${done} done`;
  const share = Math.min(1, Math.max(0, done / total));
  const filled = Math.floor(share * CELLS);
  return `${'▰'.repeat(filled)}${'▱'.repeat(CELLS - filled)} ${Math.floor(share * 100)}%`;
}
