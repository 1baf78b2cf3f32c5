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

test('compiled NestJS: each task spans its class (or its @Process method), and the injected queue is the package queue', () => {
  const tasks = new Map(analyse('nest-compiled').map((t) => [t.name, t]));
  const thumbs = tasks.get('thumbs')!;
  assert.equal(thumbs.framework, 'nestjs');
  assert.ok(thumbs.file.endsWith('thumbs.processor.js'));
  // `let ThumbsProcessor = class ThumbsProcessor extends bullmq_1.WorkerHost {` … `};`
  assert.deepEqual([thumbs.range.startLine, thumbs.range.endLine], [17, 28]);
  const transcode = tasks.get('video:transcode')!;
  assert.deepEqual([transcode.range.startLine, transcode.range.endLine], [24, 28], 'the @Process method');
  assert.ok(transcode.evidence.some((e) => e.message === 'this.videoQueue.add() (bull) waits on the network'), JSON.stringify(transcode.evidence));
  assert.ok(!tasks.has('video:onActive') && ![...tasks.keys()].some((name) => /onCompleted|onFailed/.test(name)), 'event handlers are no tasks');
});
