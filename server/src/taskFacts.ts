// How a task is named, described and acted on, the same in the code lens, the hover and the
// sidebar: pure functions over the analysis, shared with the extension through protocol.ts.
import { basename } from 'node:path';
import type { Evidence, TaskAnalysis } from '@tasklane/analyzer';

/** One fact of the evidence and every place it was seen: a fact repeated at ten call sites shows once. */
export interface Fact {
  kind: Evidence['kind'];
  message: string;
  places: Array<{ file: string; line: number }>;
}

export function distinctEvidence(evidence: Evidence[]): Fact[] {
  const facts = new Map<string, Fact>();
  for (const e of evidence) {
    const fact = facts.get(e.message);
    if (fact) fact.places.push({ file: e.file, line: e.line });
    else facts.set(e.message, { kind: e.kind, message: e.message, places: [{ file: e.file, line: e.line }] });
  }
  return [...facts.values()];
}

/** What the user named: a Tasklane task's name; a BullMQ Worker's variable, class or function and its file ("firstWorker · workers.ts:6"). */
export function taskLabel(task: TaskAnalysis): string {
  if (task.framework === 'tasklane') return task.name;
  return `${task.binding ?? `Worker '${task.name}'`} · ${basename(task.file)}:${task.line}`;
}

/** A BullMQ Worker's concurrency as its code sets it. */
export function concurrencyNow(task: TaskAnalysis): string | undefined {
  if (!task.bullmq) return undefined;
  return task.bullmq.concurrency === undefined ? 'BullMQ default 1' : `concurrency ${task.bullmq.concurrency}`;
}

/** Whether Run and Debug can work for the task: true, or why not (shown where the action would be). */
export interface TaskActions {
  run: true | string;
  debug: true | string;
}

/** How the user calls a task's kind of worker, in the tooltip and the suggestions document. */
export const WORKER_KIND: Record<TaskAnalysis['framework'], string> = {
  tasklane: 'Tasklane task', bullmq: 'BullMQ Worker', bull: 'Bull processor', nestjs: 'NestJS processor',
};

export function taskActions(task: TaskAnalysis): TaskActions {
  const bull = task.bullmq;
  if (task.framework === 'tasklane') return { run: true, debug: true };
  if (task.framework !== 'bullmq' || !bull) {
    // The editor adds jobs with BullMQ's own client, from facts it reads off a `new Worker(...)`.
    const why = task.framework === 'bullmq'
      ? "the Worker's options could not be read from the code"
      : `Tasklane adds jobs with BullMQ's client from a \`new Worker(...)\`, and this is a ${WORKER_KIND[task.framework]}: run it from your application`;
    return { run: why, debug: why };
  }
  if (bull.queue === undefined) {
    const why = `the queue name \`${task.name}\` is computed when the program runs, so Tasklane cannot tell which queue to add a job to`;
    return { run: why, debug: why };
  }
  const debug = bull.startsWithFile ? true
    : `the Worker is created inside ${task.binding ? `\`${task.binding}\`` : 'a function'}, so running ${basename(task.file)} does not start it: start your application under the debugger with its own launch configuration`;
  return { run: true, debug };
}
