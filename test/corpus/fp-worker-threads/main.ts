import { Worker } from 'node:worker_threads';
const worker = new Worker(new URL('./child.js', import.meta.url), { workerData: { n: 40 } });
worker.on('message', (m) => console.log(m));
