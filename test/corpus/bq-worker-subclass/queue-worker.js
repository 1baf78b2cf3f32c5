const { Worker } = require('bullmq');

// The application's own Worker: fixed options and logging; queue and processor come from each `new`.
class QueueWorker extends Worker {
  constructor(queueName, connection, processor, { concurrency = 5 } = {}) {
    super(queueName, processor, { connection, concurrency });
    this.on('failed', (job, err) => console.error(`${queueName} ${job.id} failed`, err));
  }
}

module.exports = QueueWorker;
