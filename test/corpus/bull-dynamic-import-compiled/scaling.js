"use strict";
// tsc compiles `await import('bull')` to Promise.resolve().then(() => __importStar(require('bull'))).
var __importStar = (this && this.__importStar) || function (mod) { return mod && mod.__esModule ? mod : { default: mod }; };
Object.defineProperty(exports, "__esModule", { value: true });
class Scaling {
    async setupQueue() {
        const { default: BullQueue } = await Promise.resolve().then(() => __importStar(require('bull')));
        this.queue = new BullQueue('executions');
    }
    // The executor is handed in: what a job costs is the executor's business, so it stays undecided;
    // the job's id is a plain value, not a call into Bull.
    setupWorker(executor) {
        void this.queue.process('run', 4, async (job) => {
            console.log(`job ${job.id.toString()} started`);
            await executor.run(job.data);
        });
    }
}
exports.Scaling = Scaling;
