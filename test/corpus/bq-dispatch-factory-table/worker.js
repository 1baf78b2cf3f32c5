const { Worker } = require('bullmq');
const Jobs = require('./jobs');
const multiJobProcessor = require('./multi-job-processor');

const scheduledProcessor = multiJobProcessor({
  notify: Jobs.notify,
  thumbs: Jobs.thumbs,
});

module.exports = new Worker('scheduled', scheduledProcessor, { connection: { host: 'localhost' } });
