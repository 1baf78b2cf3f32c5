const alert = require('./alert');
const { layout } = require('./layout');
const uaaIDPInvite = require('./uaaIDPInvite');
const uaaInvite = require('./uaaInvite');
const sandboxReminder = require('./sandboxReminder');

module.exports = {
  alert,
  layout,
  uaaIDPInvite,
  uaaInvite,
  sandboxReminder,
};
