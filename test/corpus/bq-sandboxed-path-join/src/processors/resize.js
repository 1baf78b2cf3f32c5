const sharp = require('sharp');
module.exports = async (job) => {
  await sharp(job.data.input).resize(1024).toFile(job.data.output);
  return job.data.output;
};
