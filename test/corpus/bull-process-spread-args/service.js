const Queue = require('bull');

// A mixin that registers whatever handlers its user lists: the processor arrives with the arguments.
module.exports = function queueMixin(handlers) {
  const queues = {};
  return {
    getQueue(name) {
      if (!queues[name]) queues[name] = new Queue(name);
      return queues[name];
    },
    started() {
      for (const [name, args] of Object.entries(handlers)) this.getQueue(name).process(...args);
    },
  };
};
