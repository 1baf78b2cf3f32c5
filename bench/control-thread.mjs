// W2's control: a bare worker thread running the same CPU task, no queue and no pool in between.
// Plain JS loading the TypeScript workloads through tsx's API: Node 20 applies no --import to
// worker threads.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { spin } = await tsImport('./workloads.ts', import.meta.url);
parentPort.on('message', (iterations) => parentPort.postMessage(spin(iterations)));
parentPort.postMessage('ready');
