// The bench's Tasklane tasks. The worker process and prefork children / worker threads load this
// module (the worker's `app`); the bench registers the same tasks on its producer apps through
// defineTasks, with the very same handlers, as the registry requires.
import { createApp, type App } from 'tasklane';
import { noop, spin, wait } from '../workloads.ts';

export function defineTasks(app: App) {
  return {
    noop: app.task('bench.noop', noop),
    spin: app.task('bench.spin', spin),
    wait: app.task('bench.wait', wait),
  };
}

export const app = createApp({ name: 'bench' });
export const tasks = defineTasks(app);
