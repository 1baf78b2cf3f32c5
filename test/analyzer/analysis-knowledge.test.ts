// The knowledge tables' lookups: builtins with and without "node:", scopes and subpaths, the most
// specific member on a path, and calls on a member's result only when the member chains.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findModule, globalFact, moduleFact } from '../../analyzer/src/knowledge/index.ts';

test('modules by specifier: builtins, scopes, subpaths, unknown packages', () => {
  assert.equal(findModule('node:fs')?.name, 'fs');
  assert.equal(findModule('fs/promises')?.facts.default?.effect, 'io');
  assert.equal(findModule('@aws-sdk/client-s3')?.facts.default?.effect, 'io');
  assert.equal(findModule('drizzle-orm/pg-core')?.facts.default?.effect, 'io');
  assert.equal(findModule('lodash/fp')?.facts.default?.effect, 'neutral');
  assert.equal(findModule('@acme/unknown'), undefined);
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
});

test('globals', () => {
  assert.equal(globalFact(['fetch'])?.effect, 'io');
  assert.equal(globalFact(['fetch', 'json'])?.effect, 'io', "a response's body is read from the network");
  assert.equal(globalFact(['JSON', 'parse'])?.effect, 'cpu-light');
  assert.equal(globalFact(['JSON', 'parse', 'items', 'map']), undefined);
  assert.equal(globalFact(['Atomics', 'wait'])?.effect, 'sync-io');
  assert.equal(globalFact(['Math', 'random']), undefined);
});
