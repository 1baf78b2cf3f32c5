// One processor for several job names: the handlers come in as the factory's argument.
function multiJobProcessor(processors) {
  return async function processJob(job) {
    if (processors[job.name]) {
      return processors[job.name](job);
    }
    throw new Error(`No processor found for job type: ${job.name}.`);
  };
}

module.exports = multiJobProcessor;
