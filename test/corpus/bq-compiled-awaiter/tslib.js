"use strict";
// The same compiled with importHelpers: tslib's __awaiter, called through (0, tslib_1.__awaiter).
Object.defineProperty(exports, "__esModule", { value: true });
const tslib_1 = require("tslib");
const bullmq_1 = require("bullmq");
const store_1 = require("@acme/store");
function crawl(url, depth) {
    return (0, tslib_1.__awaiter)(this, void 0, void 0, function* () {
        const page = yield store_1.fetchPage(url);
        if (depth > 0) for (const link of page.links) yield crawl(link, depth - 1);
    });
}
exports.worker = new bullmq_1.Worker('crawl', (job) => tslib_1.__awaiter(void 0, void 0, void 0, function* () {
    yield crawl(job.data.url, 2);
}));
