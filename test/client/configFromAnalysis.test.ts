import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configFromAnalysis } from '../../client/src/configFromAnalysis.ts';
import type { TaskAnalysis } from '../../analyzer/src/types.ts';

function task(name: string, file: string, kind: TaskAnalysis['kind'], pool: TaskAnalysis['pool'], concurrency: number, queue: string, routedQueue = 'default'): TaskAnalysis {
  const range = { file, startLine: 1, startColumn: 0, endLine: 1, endColumn: 1 };
  return { name, framework: 'tasklane', file, line: 1, range, kind, blocking: false, pool, concurrency, queue, routedQueue, summary: '', breakdown: '', evidence: [], problems: [] };
}

test('one worker per suggested queue, routes for tasks not routed there, default consumed by the I/O worker', () => {
  const config = configFromAnalysis([
    task('images.resize', '/ws/src/tasks.ts', 'cpu', 'threads', 2, 'cpu'),
    task('images.thumb', '/ws/src/tasks.ts', 'cpu', 'threads', 4, 'cpu', 'cpu'),
    task('http.fetch', '/ws/src/tasks.ts', 'io', 'async', 200, 'io'),
    task('mail.send', '/ws/src/mail.ts', 'io', 'async', 100, 'io'),
  ], '/ws');
  assert.deepEqual(config, {
    app: 'src/tasks.ts',
    routes: { 'images.resize': 'cpu', 'http.fetch': 'io', 'mail.send': 'io' },
    workers: {
      cpu: { pool: 'threads', concurrency: 4, queues: ['cpu'] },
      io: { pool: 'async', concurrency: 200, queues: ['io', 'default'] },
    },
  });
});

test('without any Tasklane task it says what to do first', () => {
  assert.throws(() => configFromAnalysis([{ ...task('q', '/ws/w.ts', 'io', 'async', 100, 'io'), framework: 'bullmq' }], '/ws'), /found no app\.task/);
});
