const QueueWorker = require('./queue-worker');
const Mailer = require('./mailer');
const { ThumbnailWorker } = require('./thumbnail-worker');

const connection = { host: 'localhost' };
const mailJobProcessor = (job) => new Mailer().send(job.data);

module.exports = [
  new QueueWorker('mail', connection, mailJobProcessor),
  new ThumbnailWorker(connection),
];
