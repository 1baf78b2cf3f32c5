const { Worker } = require('bullmq');
module.exports = new Worker('compress', __dirname + '/p.js', { connection: { host: 'redis' } });
