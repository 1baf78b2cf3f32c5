"use strict";
// Target ES5: __awaiter around a __generator state machine, `return [4 /*yield*/, x]` for each await.
var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {
    return new (P || (P = Promise))(function (resolve) { resolve(generator); });
};
var __generator = (this && this.__generator) || function (thisArg, body) {
    var _ = { label: 0, sent: function () { return _.last; } };
    return { next: function (v) { _.last = v; return body.call(thisArg, _); } };
};
Object.defineProperty(exports, "__esModule", { value: true });
var bullmq_1 = require("bullmq");
var store_1 = require("@acme/store");
exports.worker = new bullmq_1.Worker('archive', function (job) { return __awaiter(void 0, void 0, void 0, function () {
    var doc;
    return __generator(this, function (_a) {
        switch (_a.label) {
            case 0: return [4 /*yield*/, store_1.get(job.data.id)];
            case 1:
                doc = _a.sent();
                return [4 /*yield*/, store_1.archive(doc)];
            case 2:
                _a.sent();
                return [2 /*return*/];
        }
    });
}); });
