const { Worker } = require('bullmq');
const { Build } = require('./models');

async function failStuckBuilds() {
  const stuck = await Build.findAll({ where: { state: 'queued' } });
  await Build.update({ state: 'error' }, { where: { id: stuck.map((b) => b.id) } });
  return stuck.length;
}

module.exports = new Worker('fail-stuck-builds', failStuckBuilds, { connection: { host: 'localhost' } });
