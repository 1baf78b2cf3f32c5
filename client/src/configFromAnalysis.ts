// A first tasklane.config.json from the analysis's suggestions: the module holding the tasks as
// `app`, one worker per suggested queue with the suggested pool and concurrency, and routes for the
// tasks not already routed there. Free of `vscode` so it is unit-tested in Node.
import { relative } from 'node:path';
import { validateConfig, type TasklaneConfig, type WorkerConfig } from 'tasklane/config';
import { DEFAULT_QUEUE } from 'tasklane/contract';
import type { TaskAnalysis } from '@tasklane/server/protocol';

export function configFromAnalysis(tasks: TaskAnalysis[], root: string): TasklaneConfig {
  const own = tasks.filter((t) => t.framework === 'tasklane');
  if (!own.length) {
    throw new Error('the analysis found no app.task(...) in this folder: define a task first (app.task("name", handler)), then create the config');
  }
  const perFile = new Map<string, number>();
  for (const t of own) perFile.set(t.file, (perFile.get(t.file) ?? 0) + 1);
  const app = [...perFile.entries()].sort((a, b) => b[1] - a[1])[0][0];

  const workers: Record<string, WorkerConfig> = {};
  const routes: Record<string, string> = {};
  for (const t of own) {
    const existing = workers[t.queue];
    workers[t.queue] = {
      pool: existing?.pool ?? t.pool,
      concurrency: Math.max(existing?.concurrency ?? 0, t.concurrency),
      queues: [t.queue],
    };
    if (t.routedQueue !== t.queue) routes[t.name] = t.queue;
  }
  // Tasks sent without a route land on "default": some worker must consume it, the I/O one preferably.
  if (!workers[DEFAULT_QUEUE]) {
    const name = Object.keys(workers).find((q) => workers[q].pool === 'async') ?? Object.keys(workers)[0];
    workers[name].queues!.push(DEFAULT_QUEUE);
  }
  return validateConfig({
    app: relative(root, app).split('\\').join('/'),
    ...(Object.keys(routes).length && { routes }),
    workers,
  });
}
