const archiveBuildLogsDaily = require('./archiveBuildLogsDaily');
const buildTaskRunner = require('./buildTaskRunner');
const buildTasksScheduler = require('./buildTasksScheduler');
const cleanSandboxOrganizations = require('./cleanSandboxOrganizations');
const createEditorSite = require('./createEditorSite');
const destroySiteInfra = require('./destroySiteInfra');
const failStuckBuilds = require('./failStuckBuilds');
const multiJobProcessor = require('./multiJobProcessor');
const nightlyBuilds = require('./nightlyBuilds');
const sandboxNotifications = require('./sandboxNotifications');
const siteBuildRunner = require('./siteBuildRunner');
const timeoutBuilds = require('./timeoutBuilds');

module.exports = {
  archiveBuildLogsDaily,
  buildTaskRunner,
  buildTasksScheduler,
  cleanSandboxOrganizations,
  createEditorSite,
  destroySiteInfra,
  failStuckBuilds,
  multiJobProcessor,
  nightlyBuilds,
  sandboxNotifications,
  siteBuildRunner,
  timeoutBuilds,
};
