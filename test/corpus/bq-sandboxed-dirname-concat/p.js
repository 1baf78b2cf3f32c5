const { promisify } = require('node:util');
const zlib = require('node:zlib');
const gzip = promisify(zlib.gzip);
module.exports = async function (job) { return (await gzip(Buffer.from(job.data.text))).toString('base64'); };
