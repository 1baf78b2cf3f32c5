// A prefork child process: imports the app once (path in argv), then runs one task at a time for
// the parent over IPC. It exits when the parent goes away, so no orphan keeps running tasks.
import { RunContext } from '../context.ts';
import { execute, processCpuMeter, serializeError } from '../execute.ts';
import { loadApp } from '../loader.ts';
import type { TaskProgress } from '../protocol.ts';
import type { ChildMessage, ParentMessage } from './prefork-protocol.ts';

function send(message: ChildMessage, then?: () => void): void {
  process.send?.(message, undefined, undefined, then);
}

let current: RunContext | undefined;
const reportProgress = (id: string, progress: TaskProgress) => send({ type: 'progress', id, progress });

process.on('disconnect', () => process.exit(0));
process.on('message', async (message: ParentMessage) => {
  if (message.type === 'abort') {
    current?.abort(new Error(message.reason));
    return;
  }
  const { invocation } = message;
  current = new RunContext(invocation, reportProgress);
  send({ type: 'started', startedAt: Date.now() });
  const outcome = await execute(invocation, { context: current, cpu: processCpuMeter });
  current = undefined;
  send({ type: 'outcome', outcome, rssBytes: process.memoryUsage.rss() });
});

try {
  await loadApp(process.argv[2]);
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'load-failed', error: serializeError(error) }, () => process.exit(1));
}
