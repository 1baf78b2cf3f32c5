const { Worker } = require('bullmq');

// The store comes from whoever builds the class: nothing here says what search() does.
class SearchWorker {
  constructor(params) {
    this.store = params.store;
  }

  start() {
    this.worker = new Worker('search', async (job) => {
      const docs = await this.store.search(job.data.query);
      return docs.map((d) => ({ text: d.text, score: d.score }));
    });
  }
}

module.exports = { SearchWorker };
