// The knowledge tables' lookups: builtins with and without "node:", scopes and subpaths, the most
// specific member on a path, and calls on a member's result only when the member chains.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_COST, findModule, globalFact, moduleFact } from '../../analyzer/src/knowledge/index.ts';

test('modules by specifier: builtins, scopes, subpaths, unknown packages', () => {
  assert.equal(findModule('node:fs')?.name, 'fs');
  assert.equal(findModule('fs/promises')?.facts.default?.effect, 'io');
  assert.equal(findModule('@aws-sdk/client-s3')?.facts.default?.effect, 'io');
  assert.equal(findModule('drizzle-orm/pg-core')?.facts.default?.effect, 'io');
  assert.equal(findModule('lodash/fp')?.facts.default?.effect, 'neutral');
  assert.equal(findModule('@acme/unknown'), undefined);
  // NestJS: HttpService waits on the network; Logger, ConfigService and rxjs's firstValueFrom do no work of their own.
  assert.equal(findModule('@nestjs/axios')?.facts.default?.effect, 'io');
  assert.equal(findModule('@nestjs/common')?.facts.default?.effect, 'neutral');
  assert.equal(findModule('rxjs')?.facts.default?.effect, 'neutral');
  // Template engines render in proportion to their input: moderate, not blocking.
  assert.equal(findModule('handlebars')?.facts.default?.effect, 'cpu-light');
});

test('facts along a member path', () => {
  const fs = findModule('fs')!.facts;
  assert.equal(moduleFact(fs, ['readFileSync'], false)?.effect, 'sync-io');
  assert.deepEqual(moduleFact(fs, ['readFileSync'], false)?.replacement, { name: 'readFile', from: 'node:fs/promises' });
  assert.equal(moduleFact(fs, ['promises', 'readFile'], false)?.effect, 'io');
  assert.equal(moduleFact(fs, ['readFileSync', 'replace'], false), undefined, "a string's methods are not fs's");
  assert.equal(moduleFact(fs, ['createReadStream', 'pipe'], false)?.effect, 'io', 'a stream chains');
  const pg = findModule('pg')!.facts;
  assert.equal(moduleFact(pg, ['Pool'], true), undefined, 'building a client does no work');
  assert.equal(moduleFact(pg, ['Pool', 'query'], false)?.effect, 'io');
  const bcrypt = findModule('bcrypt')!.facts;
  assert.equal(moduleFact(bcrypt, ['hash'], false)?.effect, 'cpu-offloaded');
  assert.equal(moduleFact(bcrypt, ['hashSync'], false)?.effect, 'cpu-blocking');
  assert.equal(findModule('canvas')?.facts.isolate, true);
  // A job's bookkeeping is one small Redis command (a trivial wait); discard() only marks it in memory.
  const bullmq = findModule('bullmq')!.facts;
  assert.equal(moduleFact(bullmq, ['Job', 'updateProgress'], false)?.cost, 'wait-trivial');
  assert.equal(moduleFact(findModule('bull')!.facts, ['Job', 'discard'], false)?.effect, 'neutral');
});

test('globals', () => {
  assert.equal(globalFact(['fetch'])?.effect, 'io');
  assert.equal(globalFact(['fetch', 'json'])?.effect, 'io', "a response's body is read from the network");
  assert.equal(globalFact(['JSON', 'parse'])?.effect, 'cpu-light');
  assert.equal(globalFact(['JSON', 'parse', 'items', 'map']), undefined);
  assert.equal(globalFact(['Atomics', 'wait'])?.effect, 'sync-io');
  assert.equal(globalFact(['Math', 'random']), undefined);
});

test('CPU-heavy, blocking and concurrency packages: effect and cost of a call into each', () => {
  const expected: Array<[specifier: string, path: string[], effect: string, cost: string | undefined]> = [
    ['@react-pdf/renderer', ['renderToBuffer'], 'cpu-blocking', 'cpu-heavy'],
    ['pdfkit', ['text'], 'cpu-blocking', 'cpu-heavy'],
    ['pdf-lib', ['PDFDocument', 'load'], 'cpu-blocking', 'cpu-heavy'],
    ['exceljs', ['Workbook', 'addWorksheet'], 'cpu-blocking', 'cpu-heavy'],
    ['xlsx', ['read'], 'cpu-blocking', 'cpu-heavy'],
    ['heic-convert', [], 'cpu-blocking', 'cpu-heavy'],
    ['officeparser', ['parseOfficeAsync'], 'cpu-blocking', 'cpu-heavy'],
    ['jimp', ['Jimp', 'read'], 'cpu-blocking', 'cpu-heavy'],
    ['bcryptjs', ['hash'], 'cpu-blocking', 'cpu-heavy'],
    ['@ffmpeg/ffmpeg', ['exec'], 'cpu-blocking', 'cpu-heavy'],
    ['mjml', [], 'cpu-blocking', 'cpu-heavy'],
    ['node:vm', ['runInNewContext'], 'cpu-blocking', 'cpu-heavy'],
    ['zlib', ['gzipSync'], 'cpu-blocking', 'cpu-heavy'],
    ['fast-xml-parser', ['XMLParser', 'parse'], 'cpu-blocking', 'cpu-moderate'],
    ['xml2js', ['parseStringPromise'], 'cpu-blocking', 'cpu-moderate'],
    ['csv-parse/sync', ['parse'], 'cpu-blocking', 'cpu-moderate'],
    ['papaparse', ['parse'], 'cpu-blocking', 'cpu-moderate'],
    ['js-yaml', ['load'], 'cpu-blocking', 'cpu-moderate'],
    ['sharp', ['resize'], 'cpu-offloaded', 'cpu-heavy'],
    ['canvas', ['createCanvas'], 'cpu-offloaded', 'cpu-heavy'],
    ['bcrypt', ['hash'], 'cpu-offloaded', 'cpu-heavy'],
    ['argon2', ['hash'], 'cpu-offloaded', 'cpu-heavy'],
    ['archiver', ['finalize'], 'cpu-offloaded', 'cpu-heavy'],
    ['tesseract.js', ['recognize'], 'cpu-offloaded', 'cpu-heavy'],
    ['zlib', ['gzip'], 'cpu-offloaded', 'cpu-heavy'],
    ['fluent-ffmpeg', ['run'], 'io', 'wait-child'],
    ['execa', ['execa'], 'io', 'wait-child'],
    ['child_process', ['execSync'], 'sync-io', 'wait-child'],
    ['fs', ['readFileSync'], 'sync-io', 'wait-disk'],
    ['fs', ['mkdirSync'], 'sync-io', 'wait-trivial'],
    ['fs/promises', ['mkdir'], 'io', 'wait-trivial'],
    ['fs/promises', ['readFile'], 'io', 'wait-disk'],
    ['timers/promises', ['setTimeout'], 'io', 'wait-timer'],
    ['crypto-js', ['PBKDF2'], 'cpu-blocking', 'cpu-heavy'],
    ['crypto-js', ['AES', 'encrypt'], 'cpu-light', 'cpu-moderate'],
    ['crypto-js', ['enc', 'Hex', 'parse'], 'cpu-light', 'cpu-trivial'],
    ['p-limit', [], 'neutral', undefined],
    ['p-queue', ['add'], 'neutral', undefined],
  ];
  for (const [specifier, path, effect, cost] of expected) {
    const match = findModule(specifier);
    assert.ok(match, `${specifier} is in the tables`);
    const fact = moduleFact(match.facts, path, false)!;
    assert.equal(fact.effect, effect, `${specifier} ${path.join('.')}`);
    assert.equal(fact.effect === 'neutral' ? undefined : fact.cost ?? DEFAULT_COST[fact.effect], cost, `${specifier} ${path.join('.')} cost`);
  }
});

test('a call named like an Object.prototype member is not a fact', () => {
  assert.equal(moduleFact(findModule('zlib')!.facts, ['gzipSync', 'toString'], false), undefined);
  assert.equal(moduleFact(findModule('fs')!.facts, ['constructor'], false)?.effect, 'io', "fs's default, not Object's constructor");
  assert.equal(findModule('constructor'), undefined);
  assert.equal(globalFact(['hasOwnProperty']), undefined);
});
