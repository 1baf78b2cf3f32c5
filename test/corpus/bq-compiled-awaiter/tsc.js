"use strict";
// What tsc emits for an async processor at target ES2017-: a local __awaiter runs a generator.
var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : Promise.resolve(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
Object.defineProperty(exports, "__esModule", { value: true });
const bullmq_1 = require("bullmq");
const store_1 = require("@acme/store");
class Persister {
    save(rows) {
        return __awaiter(this, void 0, void 0, function* () {
            for (const row of rows) {
                yield store_1.put(row);
            }
        });
    }
    start() {
        return new bullmq_1.Worker('persist', (job) => __awaiter(this, void 0, void 0, function* () {
            yield this.save(job.data.rows);
        }));
    }
}
exports.Persister = Persister;
