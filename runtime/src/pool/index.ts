// createPool(kind, options): the four execution pools behind one Pool interface (pool.ts).
//
// Entry files, found relative to import.meta.url so the tsx-run source and the extension's esbuild
// bundle both work. A bundle puts these beside its other entries and its shared chunks, all in one
// folder with one extension (scripts/build.mjs: dist/runtime/*.mjs), keeps `tsx` and `piscina`
// external, and copies runtime/src/loader-hooks.mjs as is:
//   index   <- runtime/src/index.ts        what `import 'tasklane'` falls back to (loader.ts)
//   child   <- runtime/src/pool/child.ts   the prefork child process
//   thread  <- runtime/src/pool/thread.ts  the threads pool's worker (source form starts it through
//                                          thread-bootstrap.mjs, which registers tsx in the thread)
import type { PoolKind } from '../protocol.ts';
import { createAsyncPool } from './async.ts';
import type { Pool, PoolLog, PoolOptions } from './pool.ts';
import { PreforkPool } from './prefork.ts';
import { createSoloPool } from './solo.ts';
import { ThreadsPool } from './threads.ts';

export { defaultConcurrency } from './defaults.ts';
export type { ExecutionOutcome, Invocation, Pool, PoolLog, PoolOptions } from './pool.ts';

export const POOL_KINDS: readonly PoolKind[] = ['prefork', 'threads', 'solo', 'async'];
const ALIASES: Record<string, PoolKind> = { gevent: 'async', eventlet: 'async' };

/** A pool name as users type it; Celery's gevent/eventlet are the async pool, with a notice. */
export function parsePoolKind(name: string, log?: PoolLog): PoolKind {
  if ((POOL_KINDS as readonly string[]).includes(name)) return name as PoolKind;
  const alias = ALIASES[name];
  if (alias) {
    log?.info(`pool "${name}" is Celery's name for green threads: using the "${alias}" pool (many concurrent tasks on one event loop)`);
    return alias;
  }
  throw new Error(`unknown pool "${name}": use one of ${POOL_KINDS.join(', ')} (gevent and eventlet mean async)`);
}

function checkOptions(kind: PoolKind, options: PoolOptions): void {
  const positive = (field: keyof PoolOptions, integer: boolean) => {
    const value = options[field];
    if (value === undefined) return;
    if (typeof value !== 'number' || !(value > 0) || (integer && !Number.isInteger(value))) {
      throw new Error(`${kind} pool: ${field} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(value)}`);
    }
  };
  positive('concurrency', true);
  positive('maxTasksPerChild', true);
  positive('maxMemoryPerChild', false);
  if (!options.appPath && (kind === 'prefork' || kind === 'threads')) {
    throw new Error(`${kind} pool: appPath is required (the module its ${kind === 'prefork' ? 'children' : 'threads'} load to register the tasks)`);
  }
}

export function createPool(kind: PoolKind, options: PoolOptions): Pool {
  checkOptions(kind, options);
  switch (kind) {
    case 'solo': return createSoloPool(options);
    case 'async': return createAsyncPool(options);
    case 'threads': return new ThreadsPool(options);
    case 'prefork': return new PreforkPool(options);
  }
}
