const path = require('node:path');
const { Worker } = require('bullmq');
const worker = new Worker('resize', path.join(__dirname, 'processors', 'resize.js'), {
  connection: { host: 'redis' },
  concurrency: 2,
  useWorkerThreads: true,
});
module.exports = worker;
