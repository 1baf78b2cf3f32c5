import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argumentsTemplate, parseTaskArguments } from '../../client/src/taskArguments.ts';
import type { Parameter } from '../../analyzer/src/types.ts';

const resize: Parameter[] = [{ name: 'path', type: 'string' }, { name: 'width', type: 'number' }];

test('a JSON array of arguments is accepted as is', () => {
  assert.deepEqual(parseTaskArguments('["a.png", 200]', resize), { ok: true, args: ['a.png', 200] });
  assert.deepEqual(parseTaskArguments('  ', undefined), { ok: true, args: [] });
});

test('malformed JSON says what is wrong and how to write it', () => {
  const parsed = parseTaskArguments("['a.png', 200]", resize);
  assert.equal(parsed.ok, false);
  assert.match(!parsed.ok ? parsed.error : '', /^Not valid JSON \(.+\)\. Write the arguments as a JSON array.*double quotes/);
});

test('a value that is not an array asks for one', () => {
  const parsed = parseTaskArguments('{"path": "a.png"}', resize);
  assert.deepEqual(parsed, { ok: false, error: 'The arguments must be a JSON array with one element per parameter, e.g. ["a.png", 200]; got an object. Wrap a single argument in [ ].' });
});

test('arity is checked against the handler parameters', () => {
  assert.deepEqual(parseTaskArguments('["a.png"]', resize), { ok: false, error: 'The task takes 2 arguments (path: string, width: number); got 1.' });
  const optional = [...resize, { name: 'format', type: 'string', optional: true }];
  assert.equal(parseTaskArguments('["a.png", 1]', optional).ok, true);
  assert.match((parseTaskArguments('["a", 1, "png", 4]', optional) as { error: string }).error, /takes 2 to 3 arguments/);
  const rest = [{ name: 'urls', type: 'string[]', rest: true }];
  assert.equal(parseTaskArguments('["a", "b", "c"]', rest).ok, true);
  assert.deepEqual(parseTaskArguments('["a", 2]', rest), { ok: false, error: 'Argument 2 (urls) must be string; got number 2.' });
});

test('types are checked where the declared type is understood', () => {
  assert.deepEqual(parseTaskArguments('["a.png", "200"]', resize), { ok: false, error: 'Argument 2 (width) must be number; got string "200".' });
  const mixed: Parameter[] = [
    { name: 'mode', type: "'fast' | 'slow'" },
    { name: 'ids', type: 'Array<number>' },
    { name: 'opts', type: '{ retries: number }' },
    { name: 'user', type: 'User' },
  ];
  assert.equal(parseTaskArguments('["fast", [1, 2], {"retries": 1}, "anything: unknown type"]', mixed).ok, true);
  assert.match((parseTaskArguments('["medium", [], {}, 1]', mixed) as { error: string }).error, /^Argument 1 \(mode\)/);
  assert.match((parseTaskArguments('["fast", [1, "2"], {}, 1]', mixed) as { error: string }).error, /^Argument 2 \(ids\)/);
  assert.match((parseTaskArguments('["fast", [], [], 1]', mixed) as { error: string }).error, /^Argument 3 \(opts\) .* got an array/);
});

test('the input box starts from one placeholder per required parameter', () => {
  assert.equal(argumentsTemplate(resize), '["",0]');
  assert.equal(argumentsTemplate(undefined), '[]');
});
