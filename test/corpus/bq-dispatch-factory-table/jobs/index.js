const notify = require('./notify');
const thumbs = require('./thumbs');

module.exports = { notify, thumbs };
