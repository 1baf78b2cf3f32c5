const { Worker } = require('bullmq');

new Worker('acks', async (job) => {
  const { orderId } = job.data;
  await job.updateProgress(50);
  await job.log(`acknowledged ${orderId}`);
  return orderId;
});
