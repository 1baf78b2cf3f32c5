"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const bull_1 = require("bull");
const lib = require("./lib");
const queue = new bull_1.default("rows");
queue.process(async (job) => {
    const store = lib.openStore();
    await store.save(job.data.row);
    await lib.sendMail(job.data.owner, 'saved');
});
