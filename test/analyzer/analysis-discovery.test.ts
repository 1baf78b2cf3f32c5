// Discovery beyond the verdict the corpus checks: the framework each form is reported as, and what
// an entry says when a processor's dispatch on the job's name cannot be followed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createAnalysisService } from '../../analyzer/src/index.ts';

const corpus = join(__dirname, '..', 'corpus');
const analyse = (name: string) => createAnalysisService({ root: join(corpus, name), cores: 4 }).analyzeAll();

test('an unresolvable dispatch on job.name is unknown and names the call it could not follow', () => {
  const [task] = analyse('bq-dispatch-unresolved');
  assert.equal(task.kind, 'unknown');
  assert.ok(task.evidence.some((e) => e.message.includes('`getProcessor(job.name).handle(job)`')), JSON.stringify(task.evidence));
  assert.ok(!task.evidence.some((e) => e.message.startsWith('No I/O')));
});

test('frameworks: Bull 3 queue.process, NestJS processors, BullMQ workers per job name', () => {
  const frameworks = (name: string) => analyse(name).map((t) => `${t.name}=${t.framework}`).sort();
  assert.deepEqual(frameworks('bull-queue-process'), ['events=bull', 'images:resize=bull']);
  assert.deepEqual(frameworks('nest-bull-process-methods'), ['mail:welcome=nestjs', 'mail=nestjs']);
  assert.deepEqual(frameworks('nest-bullmq-switch-dispatch'), ['media:notify=nestjs', 'media:transcode=nestjs']);
  assert.deepEqual(frameworks('bq-dispatch-handler-map'), ['jobs:compress=bullmq', 'jobs:upload=bullmq']);
});
