const { Worker } = require('bullmq');
const sizeof = require('object-sizeof');
const { isObjectLiteral } = require('@acme/guards');

function jobTags(job) {
  return Object.assign({ id: job.id, sizeBytes: sizeof(job.data) }, { attempts: job.attemptsMade });
}

function hasValidData(job) {
  return isObjectLiteral(job.data) && 'rows' in job.data;
}

new Worker('similarity', async (job) => {
  const tags = jobTags(job);
  if (!hasValidData(job)) throw new Error(`bad job ${tags.id}`);
  const rows = job.data.rows;
  let best = 0;
  for (const a of rows) {
    for (const b of rows) {
      let dot = 0;
      for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
      best = Math.max(best, dot);
    }
  }
  return best;
});
