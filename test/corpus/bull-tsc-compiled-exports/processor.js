"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const lib = require("./lib");
class Notifier {
    constructor(handlers) {
        this._queue = new lib.AppQueue("notify", handlers);
        this._queue.process(async (job) => {
            await lib.sendMail(job.data.to, job.data.text);
        });
    }
}
exports.Notifier = Notifier;
