const sharp = require('sharp');

async function thumbs(job) {
  return sharp(job.data.path).resize(128).toBuffer();
}

module.exports = thumbs;
