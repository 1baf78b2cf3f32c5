"use strict";
// A compiled wrapper that runs the processor it is handed inside a tracing span.
var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {
    return new (P || (P = Promise))(function (resolve) { resolve(generator.apply(thisArg, _arguments || []).next()); });
};
Object.defineProperty(exports, "__esModule", { value: true });
const dd_trace_1 = require("dd-trace");
const bullmq_1 = require("bullmq");
function startTraced(processor) {
    return new bullmq_1.Worker('traced', (job) => __awaiter(this, void 0, void 0, function* () {
        return yield dd_trace_1.default.trace('job.process', () => __awaiter(this, void 0, void 0, function* () {
            return yield processor(job);
        }));
    }));
}
exports.startTraced = startTraced;
