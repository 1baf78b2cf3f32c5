// BullMQ's processor for the baseline, in-process and sandboxed (a sandboxed processor must be a
// file). Plain JS like the rest of bench/bullmq: bullmq is installed on demand under bench/ only,
// so nothing the root typecheck sees may import it.
import { tsImport } from 'tsx/esm/api';

// Through tsx's API rather than a plain import: Node 20 applies no --import to worker threads
// (useWorkerThreads), so a thread would not load TypeScript otherwise.
const { noop, spin, wait } = await tsImport('../workloads.ts', import.meta.url);

export default async function processor(job) {
  const { workload, arg } = job.data;
  if (workload === 'noop') return noop();
  if (workload === 'spin') return spin(arg);
  if (workload === 'wait') return wait(arg);
  throw new Error(`unknown bench workload ${JSON.stringify(workload)}`);
}
