// tasklane.config.json: the shipped schema, one clear error naming the field, lookup, routing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { absoluteBrokerUrl, ConfigError, configAppPath, findConfig, loadConfig, parseConfig, resolveBrokerUrl, validateConfig } from '../../runtime/src/config.ts';
import { routeTask } from '../../runtime/src/routing.ts';

const root = join(__dirname, '../..');

test('the example workspace config is valid', () => {
  const loaded = loadConfig(join(root, 'examples'))!;
  assert.equal(loaded.path, join(root, 'examples/tasklane.config.json'));
  assert.equal(loaded.config.workers?.cpu.pool, 'threads');
  assert.equal(configAppPath(loaded), join(root, 'examples/src/tasks.ts'));
});

test('a wrong config gets one error naming the field and what to write', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ workers: { cpu: { pool: 'gevent' } } }, /^tasklane\.config\.json: workers\.cpu\.pool must be one of prefork, threads, solo, async$/],
    [{ workers: { cpu: { pool: 'threads', concurrency: 0 } } }, /workers\.cpu\.concurrency must be >= 1/],
    [{ workers: { cpu: { pool: 'threads', concurrency: 'two' } } }, /workers\.cpu\.concurrency must be integer/],
    [{ workers: { io: {} } }, /workers\.io is missing the required field "pool"/],
    [{ workers: { io: { pool: 'async', queue: ['io'] } } }, /workers\.io has an unknown field "queue"/],
    [{ workers: { io: { pool: 'async', queues: [] } } }, /workers\.io\.queues must NOT have fewer than 1 items/],
    [{ broker: 'amqp://localhost' }, /broker must be a broker URL starting with file:\/\/, redis:\/\/, rediss:\/\/ or memory:\/\//],
    [{ routes: { 'images.*': 3 } }, /routes\["images\.\*"\] must be string/],
    [{ resultTtl: 'a week' }, /resultTtl must be milliseconds or a duration such as "500ms"/],
    [{ apps: 'src/tasks.ts' }, /tasklane\.config\.json: has an unknown field "apps"/],
    [[], /tasklane\.config\.json: must be a JSON object/],
  ];
  for (const [value, expected] of cases) {
    assert.throws(() => validateConfig(value), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, expected);
      return true;
    });
  }
  assert.throws(() => parseConfig('{ "app": ', 'x/tasklane.config.json'), /^ConfigError: x\/tasklane\.config\.json: is not valid JSON/);
  assert.throws(() => validateConfig({ workers: { cpu: { pool: 'gevent' } } }), (error: unknown) => (error as ConfigError).field === 'workers.cpu.pool');
});

test('the nearest config above a folder is found; relative paths resolve against its folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasklane-config-'));
  mkdirSync(join(dir, 'src/deep'), { recursive: true });
  writeFileSync(join(dir, 'tasklane.config.json'), JSON.stringify({ app: 'src/tasks.ts', broker: 'file://state/broker' }));
  assert.equal(findConfig(join(dir, 'src/deep')), join(dir, 'tasklane.config.json'));
  const loaded = loadConfig(join(dir, 'src/deep'))!;
  assert.equal(configAppPath(loaded), join(dir, 'src/tasks.ts'));
  assert.equal(resolveBrokerUrl({ config: loaded, env: {} }), pathToFileURL(join(dir, 'state/broker')).href);
  assert.equal(resolveBrokerUrl({ config: loaded, env: { TASKLANE_BROKER: 'redis://h:6379/0' } }), 'redis://h:6379/0');
  assert.equal(resolveBrokerUrl({ config: loaded, explicit: 'memory://x', env: { TASKLANE_BROKER: 'redis://h' } }), 'memory://x');
  assert.equal(resolveBrokerUrl({ cwd: dir, env: {} }), pathToFileURL(join(dir, '.tasklane')).href);
  assert.equal(absoluteBrokerUrl('file:///var/lib/tl', dir), 'file:///var/lib/tl');
  assert.equal(loadConfig(join(tmpdir(), 'surely-no-config-here', 'nested')), undefined);
});

test('routes: exact names beat globs, the first matching glob wins, then "default"', () => {
  const routes = { 'images.*': 'cpu', 'images.thumb': 'fast', 'http.*': 'io', '*.report': 'reports' };
  assert.equal(routeTask('images.resize', { routes }), 'cpu');
  assert.equal(routeTask('images.thumb', { routes }), 'fast');
  assert.equal(routeTask('sales.report', { routes }), 'reports');
  assert.equal(routeTask('other', { routes }), 'default');
  assert.equal(routeTask('images.resize', { routes, taskQueue: 'gpu' }), 'gpu');
  assert.equal(routeTask('images.resize', { routes, taskQueue: 'gpu', applyQueue: 'now' }), 'now');
  assert.equal(routeTask('imagesXresize', { routes: { 'images.x*': 'q' } }), 'default', 'dots are literal');
});
