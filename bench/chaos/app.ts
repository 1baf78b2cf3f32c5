// The tasks of `npm run chaos`: short, and each execution leaves a line "<id> <attempt>" in a log
// file (one O_APPEND write, whole even when processes die around it), so the run can count how
// often every task ran: at least once is allowed to run twice, never to not run.
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, createApp } from 'tasklane';

export const app = createApp({ name: 'chaos' });

function record(log: string): void {
  const { id, retries } = context();
  appendFileSync(log, `${id} ${retries}\n`);
}

function spin(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

/** A few ms of CPU or of waiting. Retried (a prefork child killed under it is not a failure). */
app.task('chaos.work', async (log: string, ms: number, cpu: boolean) => {
  record(log);
  if (cpu) spin(ms);
  else await sleep(ms);
  return ms;
}, { retries: 5, retryBackoff: '100ms', retryBackoffMax: '1s' });

/** Fails on purpose, without retries: the run expects a FAILURE result named ChaosError. */
app.task('chaos.fail', (log: string) => {
  record(log);
  const error = new Error('failed on purpose');
  error.name = 'ChaosError';
  throw error;
});

/** The soak's task: nothing, so the broker's and worker's own costs are what is measured. */
app.task('chaos.noop', () => null);
